"""The scheduled reminders: each task owner's daily list of their own tasks that are due soon or
overdue, and each manager's weekly summary of overdue tasks and open decisions by team.

Both are built for a day (`today`, the local date) from one query each, so a national run reads
its tasks in a few statements; the scheduler (`employdash.mail.schedule`) queues what they build.
Each message carries the one-click unsubscribe headers (RFC 8058) with its holder's token.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import groupby
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from employdash.config import get_config
from employdash.i18n import fmt_date as _fmt_date
from employdash.i18n import t
from employdash.mail import preferences
from employdash.mail.layout import (
    UNSUBSCRIBE_PATH,
    Block,
    Button,
    Items,
    Paragraph,
    Recipient,
    compose,
    link,
    unsubscribe_headers,
)
from employdash.mail.outbox import Mail
from employdash.models import Locality, Person, User, UserLocality
from employdash.models.forum import Decision, Forum, Meeting, Task, Team

REMINDER = "reminder"
SUMMARY = "summary"
CLOSED = ("done", "cancelled")
DECISION_CHARS = 200


# A national run writes some 50,000 dates, a few dozen distinct ones: Babel formats each once.
fmt_date = lru_cache(maxsize=4096)(_fmt_date)


def week_of(today: date) -> str:
    """The ISO week of the Israeli work week (Sunday to Saturday) that holds `today`: a Sunday
    belongs to the week of the Monday after it, so the week's summary can go out on Sunday."""
    year, week, _ = (today + timedelta(days=1)).isocalendar()
    return f"{year}-W{week:02d}"


def reachable(address: str | None) -> str | None:
    """The address in its normal form, or None: no address, or one no server would accept."""
    if not address or not address.strip():
        return None
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _footer(language: str, token: str) -> tuple[str, ...]:
    return (
        t("mail.reminder.why", language),
        t("mail.unsubscribe.footer", language, url=link(UNSUBSCRIBE_PATH, token=token)),
    )


def _languages(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    """The language of each person's account (the oldest active one), where they have one."""
    rows = session.execute(
        select(User.person_id, User.language)
        .where(User.person_id.in_(sorted(set(person_ids))), User.active.is_(True))
        .order_by(User.id.desc())
    )
    return {person_id: language for person_id, language in rows if person_id is not None}


@dataclass(frozen=True)
class _Due:
    id: int
    title: str
    due_date: date
    status: str
    forum: str
    locality_he: str
    locality_en: str
    owner_id: int
    owner_name: str
    owner_email: str | None
    owner_locality: int | None


def _place(row: _Due, language: str) -> str:
    locality = row.locality_he if language == "he" else row.locality_en
    return f"{row.forum} · {locality}" if row.forum != locality else locality


def _task_line(row: _Due, language: str) -> tuple[str, str]:
    text = t(
        "mail.reminder.task_line",
        language,
        title=row.title,
        date=fmt_date(row.due_date, language),
        status=t(f"task.status.{row.status}", language),
        place=_place(row, language),
    )
    return text, link("/tasks", task=str(row.id))


def _due_query(today: date, days: int) -> Select[*tuple[Any, ...]]:
    return (
        select(
            Task.id,
            Task.title,
            Task.due_date,
            Task.status,
            Forum.name,
            Locality.name_he,
            Locality.name_en,
            Person.id,
            Person.full_name,
            Person.email,
            Person.locality_code,
        )
        .join(Forum, Forum.id == Task.forum_id)
        .join(Locality, Locality.code == Forum.locality_code)
        .join(Person, Person.id == Task.owner_person_id)
        .where(
            Task.status.not_in(CLOSED),
            Task.due_date.is_not(None),
            Task.due_date <= today + timedelta(days=days),
            Person.active.is_(True),
            func.coalesce(Person.email, "") != "",
        )
        .order_by(Person.id, Task.due_date, Task.id)
    )


def owner_reminders(session: Session, today: date) -> list[Mail]:
    """One message per task owner with an address who has open tasks due within REMINDER_DAYS
    or overdue, listing only their own; nothing for an owner with none."""
    config = get_config()
    days = int(config.REMINDER_DAYS)
    rows = [_Due(*r) for r in session.execute(_due_query(today, days))]
    off = preferences.stopped(session).person_ids
    languages = _languages(session, {r.owner_id for r in rows})
    owners = []
    for owner_id, owned in groupby(rows, key=lambda r: r.owner_id):
        tasks = list(owned)
        address = reachable(tasks[0].owner_email)
        if owner_id not in off and address is not None:
            owners.append((tasks, address))
    tokens = preferences.tokens_for(session, person_ids=[t[0].owner_id for t, _ in owners])
    default = str(config.DEFAULT_LANGUAGE)
    return [
        _reminder(
            tasks,
            address,
            languages.get(tasks[0].owner_id, default),
            tokens[("person", tasks[0].owner_id)],
            today,
            days,
        )
        for tasks, address in owners
    ]


def _reminder(
    tasks: Sequence[_Due], address: str, language: str, token: str, today: date, days: int
) -> Mail:
    owner = tasks[0]
    overdue = [_task_line(r, language) for r in tasks if r.due_date < today]
    soon = [_task_line(r, language) for r in tasks if r.due_date >= today]
    blocks: list[Block] = [
        Paragraph(t("mail.reminder.hello", language, name=owner.owner_name)),
    ]
    if overdue:
        blocks.append(Items(t("mail.reminder.overdue", language, n=len(overdue)), overdue))
    if soon:
        blocks.append(Items(t("mail.reminder.due_soon", language, n=len(soon), days=days), soon))
    blocks.append(Button(t("mail.reminder.open_tasks", language), link("/tasks")))
    subject = t("mail.reminder.subject", language, n=len(tasks), date=fmt_date(today, language))
    return compose(
        REMINDER,
        Recipient(address, owner.owner_name, language),
        subject,
        blocks,
        _footer(language, token),
        locality_code=owner.owner_locality,
        headers=unsubscribe_headers(token),
        dedupe_key=f"reminder:{owner.owner_id}:{today.isoformat()}",
    )


@dataclass(frozen=True)
class _Forum:
    code: int
    name: str
    locality_he: str
    locality_en: str


def _managers(session: Session) -> list[User]:
    off = preferences.stopped(session).user_ids
    users = session.scalars(
        select(User)
        .where(
            User.role == "manager",
            User.active.is_(True),
            func.coalesce(User.email, "") != "",
        )
        .order_by(User.id)
    ).all()
    return [u for u in users if u.id not in off]


Overdue = tuple[str | None, str, date | None, int, str | None]  # team, title, due, id, owner
Open = tuple[str | None, str, date]  # team, decision, the meeting's date


def _overdue_by_forum(
    session: Session, codes: Sequence[int], today: date
) -> dict[int, list[Overdue]]:
    owner = aliased(Person)
    rows = session.execute(
        select(Forum.locality_code, Team.name, Task.title, Task.due_date, Task.id, owner.full_name)
        .join(Forum, Forum.id == Task.forum_id)
        .outerjoin(Team, Team.id == Task.team_id)
        .outerjoin(owner, owner.id == Task.owner_person_id)
        .where(
            Forum.locality_code.in_(codes),
            Task.status.not_in(CLOSED),
            Task.due_date < today,
        )
        .order_by(Forum.locality_code, Team.name, Task.due_date, Task.id)
    )
    found: dict[int, list[Overdue]] = {}
    for code, team, title, due, task_id, owner_name in rows:
        found.setdefault(code, []).append((team, title, due, task_id, owner_name))
    return found


def _open_decisions_by_forum(session: Session, codes: Sequence[int]) -> dict[int, list[Open]]:
    rows = session.execute(
        select(Forum.locality_code, Team.name, Decision.text, Meeting.held_on)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .join(Forum, Forum.id == Meeting.forum_id)
        .outerjoin(Team, Team.id == Meeting.team_id)
        .where(Forum.locality_code.in_(codes), Decision.is_open.is_(True))
        .order_by(Forum.locality_code, Team.name, Meeting.held_on, Decision.id)
    )
    found: dict[int, list[Open]] = {}
    for code, team, text, held_on in rows:
        found.setdefault(code, []).append((team, text, held_on))
    return found


def _shorten(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= DECISION_CHARS else one[: DECISION_CHARS - 1] + "…"


def manager_summaries(session: Session, today: date) -> list[Mail]:
    """One message per manager with an address: per forum of their localities, the overdue tasks
    and the open decisions, grouped by team; nothing for a manager whose forums have neither."""
    managers = _managers(session)
    scopes = {
        user_id: sorted(codes)
        for user_id, codes in _scopes(session, [m.id for m in managers]).items()
    }
    codes = sorted({c for cs in scopes.values() for c in cs})
    forums = {
        f.code: f
        for f in (
            _Forum(*r)
            for r in session.execute(
                select(Forum.locality_code, Forum.name, Locality.name_he, Locality.name_en)
                .join(Locality, Locality.code == Forum.locality_code)
                .where(Forum.locality_code.in_(codes))
            )
        )
    }
    overdue = _overdue_by_forum(session, codes, today)
    decisions = _open_decisions_by_forum(session, codes)
    due = []
    for manager in managers:
        address = reachable(manager.email)
        mine = [forums[c] for c in scopes.get(manager.id, []) if c in forums]
        blocks = [
            b
            for forum in mine
            for b in _forum_blocks(manager.language, forum, overdue, decisions, today)
        ]
        if address is not None and blocks:
            due.append((manager, address, blocks))
    tokens = preferences.tokens_for(session, user_ids=[m.id for m, _, _ in due])
    return [
        _summary(manager, address, blocks, tokens[("user", manager.id)], today)
        for manager, address, blocks in due
    ]


def _scopes(session: Session, user_ids: Sequence[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    rows = session.execute(
        select(UserLocality.user_id, UserLocality.locality_code).where(
            UserLocality.user_id.in_(user_ids)
        )
    )
    for user_id, code in rows:
        found.setdefault(user_id, set()).add(code)
    return found


def _forum_blocks(
    language: str,
    forum: _Forum,
    overdue: dict[int, list[Overdue]],
    decisions: dict[int, list[Open]],
    today: date,
) -> list[Block]:
    no_team = t("task.no_team", language)
    lines: dict[str, list[tuple[str, str | None]]] = {}
    for team, title, due, task_id, owner in overdue.get(forum.code, []):
        assert due is not None  # overdue: the query keeps only tasks with a due date
        text = t(
            "mail.summary.task_line",
            language,
            title=title,
            date=fmt_date(due, language),
            days=(today - due).days,
            owner=owner or "—",
        )
        lines.setdefault(team or no_team, []).append((text, link("/tasks", task=str(task_id))))
    for team, text, held_on in decisions.get(forum.code, []):
        line = t(
            "mail.summary.decision_line",
            language,
            text=_shorten(text),
            date=fmt_date(held_on, language),
        )
        lines.setdefault(team or no_team, []).append((line, None))
    if not lines:
        return []
    locality = forum.locality_he if language == "he" else forum.locality_en
    heading = t("mail.summary.forum", language, forum=forum.name, locality=locality)
    blocks: list[Block] = [Paragraph(heading)]
    blocks.extend(Items(team, team_lines) for team, team_lines in sorted(lines.items()))
    return blocks


def _summary(manager: User, address: str, blocks: list[Block], token: str, today: date) -> Mail:
    language = manager.language
    subject = t("mail.summary.subject", language, date=fmt_date(today, language))
    body: list[Block] = [
        Paragraph(t("mail.summary.hello", language, name=manager.full_name)),
        *blocks,
        Button(t("mail.summary.open_forum", language), link("/tasks")),
    ]
    return compose(
        SUMMARY,
        Recipient(address, manager.full_name, language),
        subject,
        body,
        _footer(language, token),
        headers=unsubscribe_headers(token),
        dedupe_key=f"summary:{manager.id}:{week_of(today)}",
    )
