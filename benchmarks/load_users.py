"""Users for the load benchmark, added to the benchmark's own seeded database.

The demo data has one user per role. Fifty sessions need more: managers and leadership are copies
of `manager` and `mayor` (same role and localities). Members each get their own person owning
their own tasks, so fifty members updating tasks at once measure the server rather than version
conflicts between people editing the same task (the conflict path has its own tests).
"""

from __future__ import annotations

import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from employdash.db import Database
from employdash.forum.tasks import own_team_ids
from employdash.models import Person
from employdash.models.core import User, UserLocality
from employdash.models.forum import Forum, Task
from employdash.users import hash_password

ROLES = ("member", "manager", "leadership")
TEMPLATE_USER = {"member": "member", "manager": "manager", "leadership": "mayor"}
TASKS_PER_MEMBER = 2
# Not the demo password: on PostgreSQL the app runs outside demo mode, where it refuses to serve
# while any active user can still log in with the public demo password.
LOAD_PASSWORD = "load-benchmark-password"


def production_env() -> dict[str, str]:
    """What an app server on PostgreSQL needs (demo mode is SQLite-only): production mode and one
    strong cookie key shared by every replica, so a login cookie from one is honoured by another."""
    return {"DEMO_MODE": "false", "COOKIE_KEY": secrets.token_urlsafe(48)}


def set_password(db: Database, password: str = LOAD_PASSWORD) -> None:
    """Every active user logs in with `password` (one hash at the app's bcrypt cost)."""
    hashed = hash_password(password)
    with db.transaction() as s:
        s.execute(update(User).where(User.active.is_(True)).values(password_hash=hashed))


def role_of(index: int) -> str:
    """Half members, three in ten managers, two in ten leadership, interleaved."""
    slot = index % 10
    return "member" if slot < 5 else "manager" if slot < 8 else "leadership"


def username_of(index: int) -> str:
    """Session 0 of each role is the demo user itself; the others are `load_<role>_<n>`."""
    role = role_of(index)
    n = sum(1 for i in range(index) if role_of(i) == role)
    return TEMPLATE_USER[role] if n == 0 else f"load_{role}_{n}"


def add_users(db: Database, sessions: int) -> list[str]:
    """Create the users sessions 0..sessions-1 log in as (those not there yet); return names."""
    names = [username_of(i) for i in range(sessions)]
    with db.transaction() as s:
        existing = set(s.scalars(select(User.username)))
        templates = {
            role: s.scalars(select(User).where(User.username == name)).one()
            for role, name in TEMPLATE_USER.items()
        }
        member_teams = own_team_ids(s, templates["member"].person_id)
        free_tasks = list(
            s.execute(
                select(Task.id, Forum.locality_code)
                .join(Forum, Forum.id == Task.forum_id)
                .where(
                    Task.status != "done",
                    Task.owner_person_id.is_not(None),
                    Task.team_id.not_in(sorted(member_teams)),
                )
                .order_by(Task.id)
            ).tuples()
        )
        taken = set(s.scalars(select(Task.id).where(Task.owner_person_id.in_(_load_people(s)))))
        open_tasks, free_tasks = free_tasks, [(t, c) for t, c in free_tasks if t not in taken]
        new_members = sum(
            1 for i, n in enumerate(names) if n not in existing and role_of(i) == "member"
        )
        free_tasks += _copies(s, open_tasks, TASKS_PER_MEMBER * new_members - len(free_tasks))
        for index, name in enumerate(names):
            if name in existing:
                continue
            role = role_of(index)
            template = templates[role]
            user = User(
                username=name,
                full_name=name,
                password_hash=template.password_hash,
                role=template.role,
                language=template.language,
                active=True,
            )
            codes = [loc.locality_code for loc in template.localities]
            if role == "member":
                mine, free_tasks = free_tasks[:TASKS_PER_MEMBER], free_tasks[TASKS_PER_MEMBER:]
                if not mine:
                    raise RuntimeError("not enough open tasks for another load member")
                person = Person(full_name=name, locality_code=mine[0][1])
                s.add(person)
                s.flush()
                user.person_id = person.id
                codes = sorted({code for _, code in mine})
                s.execute(
                    update(Task)
                    .where(Task.id.in_([task_id for task_id, _ in mine]))
                    .values(owner_person_id=person.id)
                )
            s.add(user)
            s.flush()
            s.add_all(UserLocality(user_id=user.id, locality_code=c) for c in codes)
    return names


def _copies(s: Session, free: list[tuple[int, int]], missing: int) -> list[tuple[int, int]]:
    """`missing` more open tasks, copies of the demo's in turn: past about thirty members, the
    demo has too few for each to own tasks of their own."""
    if missing <= 0 or not free:
        return []
    columns = [c.key for c in Task.__table__.columns if c.key not in ("id", "version")]
    originals = {t.id: t for t in s.scalars(select(Task).where(Task.id.in_([t for t, _ in free])))}
    made: list[tuple[int, int]] = []
    for k in range(missing):
        task_id, code = free[k % len(free)]
        copy = Task(**{c: getattr(originals[task_id], c) for c in columns})
        copy.title = f"{copy.title} ({k + 1})"
        s.add(copy)
        s.flush()
        made.append((copy.id, code))
    return made


def _load_people(s: Session) -> list[int]:
    return list(
        s.scalars(select(Person.id).where(Person.full_name.like("load\\_member\\_%", escape="\\")))
    )
