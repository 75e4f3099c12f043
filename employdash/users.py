"""Accounts: their credentials, the sessions they may resume, and the admin's commands on them.

Credentials live in the database as Argon2id hashes at OWASP's parameters; a bcrypt hash from a
database made before them still logs in and is replaced on that login (`logins.py`). The
authenticator gets a fresh dictionary built from the active, unlocked users on every run, so a
deactivation or a lock takes effect at once on every replica. Each user has a session version that
is signed into the login cookie and checked on every run; logout, a password reset, a role change
and a deactivation bump it, so every older cookie and open session of that user ends at once.
Accounts are managed by administrators only, through the commands below: an account spans
localities (an admin's none), so its commands are of no one locality.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypedDict, TypeVar

import bcrypt
from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from employdash import people
from employdash.access import (
    ADMIN,
    ROLES,
    Actor,
    Area,
    Scope,
    policy_of,
    require_read,
    sees_every_locality,
)
from employdash.commands import Command, Ref, Write, execute, ref
from employdash.config import DEMO_PASSWORD, Config, check_production_safety
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.handed_ids import in_scope
from employdash.models import Locality, LoginThrottle, Person, User
from employdash.models.base import as_row, utcnow

USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,60}$")
MIN_PASSWORD = 10
# The bound stays with Argon2id (which reads any length): the bcrypt hashes of databases made
# before it are checked by bcrypt, which reads 72 bytes at most (bcrypt 5 refuses longer input),
# and a release rolled back to bcrypt must still be able to hash every password in use. It also
# caps what an anonymous login attempt makes the server hash. 72 bytes: 36 Hebrew letters.
MAX_PASSWORD_BYTES = 72


def password_problem(password: str | None) -> str | None:
    """The catalogue key of what is wrong with a new password, or None when it is acceptable.

    The login form strips surrounding spaces, so the same is done before measuring and hashing.
    """
    text = (password or "").strip()
    if len(text) < MIN_PASSWORD:
        return "validation.weak_password"
    if len(text.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return "validation.password_too_long"
    return None


@dataclass(frozen=True)
class PasswordHashing:
    """Argon2id's cost. The app hashes at OWASP's recommended parameters (the defaults: 19 MiB,
    two passes, one lane; OWASP's Password Storage Cheat Sheet), always: only test and benchmark
    seeding pass CHEAP, so that building their databases costs nothing. A hash made at other
    parameters (CHEAP's included) is replaced by an OWASP one at its user's next login."""

    memory_kib: int = 19456
    time_cost: int = 2
    parallelism: int = 1

    def describe(self) -> str:
        return f"argon2id m={self.memory_kib},t={self.time_cost},p={self.parallelism}"


OWASP = PasswordHashing()
CHEAP = PasswordHashing(memory_kib=8, time_cost=1, parallelism=1)  # seeding tests only
_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")


@cache
def _hasher(hashing: PasswordHashing) -> PasswordHasher:
    return PasswordHasher(
        time_cost=hashing.time_cost,
        memory_cost=hashing.memory_kib,
        parallelism=hashing.parallelism,
        type=Type.ID,
    )


def hash_password(password: str, hashing: PasswordHashing = OWASP) -> str:
    return _hasher(hashing).hash(password.strip())


def check_password(password: str, hashed: str) -> bool:
    """Whether `password` is the one `hashed` was made from: an Argon2 hash (at whatever
    parameters it records) or a bcrypt hash from before Argon2id. Never raises on a malformed
    hash or an over-long password (no password over MAX_PASSWORD_BYTES was ever accepted)."""
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return False
    if hashed.startswith(_BCRYPT_PREFIXES):
        try:
            return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
        except ValueError:
            return False
    try:
        return _hasher(OWASP).verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(hashed: str) -> bool:
    """Whether a hash that just matched should be replaced: bcrypt, or Argon2 at parameters other
    than the current ones (argon2's own check_needs_rehash)."""
    if hashed.startswith(_BCRYPT_PREFIXES):
        return True
    try:
        return _hasher(OWASP).check_needs_rehash(hashed)
    except InvalidHashError:
        return False


def hash_scheme(hashed: str) -> str:
    """What a hash is, for the audit log (never the hash itself): "bcrypt" or the Argon2 type
    and parameters."""
    if hashed.startswith(_BCRYPT_PREFIXES):
        return "bcrypt"
    try:
        p = extract_parameters(hashed)
    except InvalidHashError:
        return "unknown"
    return f"argon2{p.type.name.lower()} m={p.memory_cost},t={p.time_cost},p={p.parallelism}"


@dataclass(frozen=True)
class Rehash:
    """A successful login's hash upgrade: the stored hash that was checked, and its replacement
    at the current parameters. `record_login` stores it with the login, only over that hash."""

    checked: str
    new: str

    def __repr__(self) -> str:  # never a hash in a log or a traceback
        return f"Rehash({hash_scheme(self.checked)} -> {hash_scheme(self.new)})"


def rehash_for(password: str, hashed: str) -> Rehash | None:
    """After `check_password(password, hashed)` succeeded: the replacement of an outdated hash
    (bcrypt, or other Argon2 parameters), or None when `hashed` is current."""
    return Rehash(hashed, hash_password(password)) if needs_rehash(hashed) else None


def _actor_of(user: User) -> Actor:
    codes = frozenset(ul.locality_code for ul in user.localities)
    scope = None if sees_every_locality(user.role, codes) else codes
    return Actor(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        localities=scope,
        person_id=user.person_id,
        language=user.language,
    )


def load_actor(db: Database, username: str) -> Actor | None:
    """The active user behind a login, with role and scope as the database says now."""
    with db.transaction() as s:
        user = s.scalar(select(User).where(User.username == username, User.active.is_(True)))
        return _actor_of(user) if user else None


def session_version(db: Database, username: str) -> int | None:
    """The current session version of an active user (None: no such active user)."""
    with db.transaction() as s:
        return s.scalar(
            select(User.session_version).where(User.username == username, User.active.is_(True))
        )


def username_for_email(db: Database, email: str) -> str | None:
    """The active account an identity provider's sign-in with `email` lands in (any case), or
    None: no such account, or several (which one would be a guess). Never makes one."""
    with db.transaction() as s:
        found = s.scalars(
            select(User.username)
            .where(func.lower(User.email) == email.strip().lower(), User.active.is_(True))
            .limit(2)
        ).all()
        return found[0] if len(found) == 1 else None


def resume_session(db: Database, username: str, version: object) -> Actor | None:
    """The acting user for a session started at `version`, or None once that session is revoked.

    Called on every run, so a logout elsewhere, a password reset, a role change or a deactivation
    ends the session on its next click, on whichever replica it lives.
    """
    if not isinstance(version, int) or isinstance(version, bool):
        return None
    with db.transaction() as s:
        user = s.scalar(
            select(User).where(
                User.username == username,
                User.active.is_(True),
                User.session_version == version,
            )
        )
        return _actor_of(user) if user else None


def _locked_usernames(s: Session) -> set[str]:
    now = utcnow()
    rows = s.scalars(select(LoginThrottle.username).where(LoginThrottle.locked_until > now))
    return set(rows)


def authenticator_credentials(db: Database) -> dict[str, Any]:
    """The credentials dictionary streamlit-authenticator expects, for active unlocked users."""
    with db.transaction() as s:
        locked = _locked_usernames(s)
        users = s.scalars(select(User).where(User.active.is_(True))).all()
        return {
            "usernames": {
                u.username: {
                    "email": u.email or f"{u.username}@example.invalid",
                    "first_name": u.full_name,
                    "last_name": "",
                    "password": u.password_hash,
                    "roles": [u.role],
                }
                for u in users
                if u.username not in locked
            }
        }


def is_locked(db: Database, username: str) -> bool:
    with db.transaction() as s:
        return username in _locked_usernames(s)


# --- administration -------------------------------------------------------------------------


@dataclass(frozen=True)
class UserForm:
    username: str
    full_name: str
    role: str
    localities: tuple[int, ...]
    email: str | None = None
    password: str | None = None
    person_id: int | None = None  # the person this account is (their tasks, their teams)


class UserRow(TypedDict):
    """A user as the Users page lists it."""

    id: int
    username: str
    full_name: str
    role: str
    active: bool
    email: str | None
    localities: list[int]
    person_id: int | None
    version: int


def list_users(db: Database, actor: Actor) -> list[UserRow]:
    require_read(actor, Area.USERS)
    with db.transaction() as s:
        users = s.scalars(select(User).order_by(User.username)).all()
        return [as_row(UserRow, u, localities="locality_codes") for u in users]


def _scoped(role: str) -> bool:
    """Whether accounts of `role` see only their own localities."""
    return role in ROLES and policy_of(role).scope is Scope.ASSIGNED


def _anywhere(s: Session, actor: Actor, code: int, _locality: int) -> Locality:
    """An account's localities are any of the actor's scope, whatever the command's locality."""
    return in_scope(s, actor, Locality, code)


def _localities(codes: Iterable[int]) -> tuple[Ref[Locality], ...]:
    return tuple(Ref(Locality, int(c), _anywhere) for c in dict.fromkeys(codes))


def _person_outside(role: str, person: Person | None, codes: list[int]) -> bool:
    """A linked person must be of one of a scoped account's localities."""
    return person is not None and (
        person.locality_code is None or (_scoped(role) and person.locality_code not in codes)
    )


def _audit_locality(person: Person | None, codes: list[int]) -> int | None:
    """Where an account's audit rows are filed: its person's locality, else its only one."""
    if person is not None:
        return person.locality_code
    return codes[0] if len(codes) == 1 else None


ACCOUNT_TEXTS = {"full_name": "user/full_name", "email": "user/email"}


R = TypeVar("R")


@dataclass
class AccountChange(
    Command[R], area=Area.USERS, entity="user", invalidates=frozenset({Area.USERS})
):
    """What every account write shares: the admin's area, the account lists refreshed after,
    and no one locality: an account spans localities (an admin's none), each is checked in
    scope."""

    def where(self) -> None:
        return None


@dataclass
class Account(people.Contact):
    """The fields an account form enters (bounded by `ACCOUNT_TEXTS`)."""

    full_name: str
    email: str | None
    role: str
    localities: tuple[Ref[Locality], ...]

    @property
    def codes(self) -> list[int]:
        return sorted(r.id for r in self.localities)

    def account_errors(self) -> dict[str, str]:
        errors = self.contact_errors()
        if self.role not in ROLES:
            errors["role"] = "validation.invalid"
        elif _scoped(self.role) and not self.localities:
            errors["localities"] = "validation.required"
        return errors


@dataclass
class NewAccount(Account):
    """An account being created: its login name and first password (hashed, never audited)."""

    username: str
    password: str = dataclasses.field(repr=False)

    def new_account_errors(self, w: Write) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
        errors = self.account_errors()
        if not USERNAME_RE.match(self.username or ""):
            errors["username"] = "validation.invalid"
        elif w.session.scalar(select(User.id).where(User.username == self.username)):
            errors["username"] = "admin.users.username_taken"
        if problem := password_problem(self.password):
            errors["password"] = problem
        return errors, {}

    def add(self, w: Write, person: Person | None) -> int:
        user = User(
            username=self.username,
            full_name=self.full_name,
            email=self.email,
            role=self.role,
            password_hash=hash_password(self.password),
            person_id=None if person is None else person.id,
            locality_codes=self.codes,
        )
        w.create(user, _snapshot(user), locality_code=_audit_locality(person, self.codes))
        return user.id


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "active": user.active if user.active is not None else True,
        "email": user.email,
        "locality_codes": user.locality_codes,
        "person_id": user.person_id,
    }


def _person_taken(w: Write, person: Person) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """One person, one account: their tasks, their login."""
    taken = w.session.scalar(select(User.username).where(User.person_id == person.id))
    if taken is None:
        return {}, {}
    return {"person": "admin.users.person_taken"}, {"person": {"username": taken}}


@dataclass
class CreateUser(NewAccount, AccountChange[int], texts=ACCOUNT_TEXTS):
    """A new account, linked to an existing person when `person` is given."""

    person: Ref[Person] | None = None

    @classmethod
    def of(cls, form: UserForm) -> CreateUser:
        return cls(
            full_name=form.full_name,
            email=form.email,
            role=form.role,
            localities=_localities(form.localities),
            username=form.username,
            password=form.password or "",
            person=ref(Person, form.person_id),
        )

    def validate(self, w: Write) -> None:
        errors, params = self.new_account_errors(w)
        person = w.get_optional(self.person)
        if person is not None:
            if _person_outside(self.role, person, self.codes):
                errors["person"] = "admin.users.person_outside"
            else:
                taken, taken_params = _person_taken(w, person)
                errors |= taken
                params |= taken_params
        if errors:
            raise ValidationError(errors, field_params=params)

    def run(self, w: Write) -> int:
        return self.add(w, w.get_optional(self.person))


@dataclass
class CreateUserWithPerson(
    NewAccount,
    people.PersonDetails,
    Command[tuple[int, int]],
    area=Area.USERS,
    entity="user",
    texts=ACCOUNT_TEXTS | {k: v for k, v in people.TEXTS.items() if k != "full_name"},
    invalidates=frozenset({Area.USERS, Area.PEOPLE, Area.STAKEHOLDERS}),
    at="locality_code",
):
    """A new account and the new person it is, of `locality_code`, made and linked at once: an
    admin adding a forum member who logs in does it in one step, and a refusal of either leaves
    neither. Returns (user, person) ids.

    Every field's problem is reported at once; a person of the same name in the locality (in any
    organisation) is refused with `LikelyDuplicate` unless confirmed as someone else (if it is
    them, the existing person is picked instead: `CreateUser` with their `person`)."""

    locality_code: int

    @classmethod
    def of(
        cls,
        form: UserForm,
        locality_code: int,
        person: people.PersonInput,
        allow_duplicate: bool = False,
    ) -> CreateUserWithPerson:
        details = people.PersonDetails.details(person, allow_duplicate)
        return cls(
            **details
            | {
                "full_name": form.full_name,
                "email": person.email or form.email,  # one address: the account's and the person's
                "role": form.role,
                "localities": _localities(form.localities),
                "username": form.username,
                "password": form.password or "",
                "locality_code": locality_code,
            }
        )

    def validate(self, w: Write) -> None:
        if not w.actor.can_write(Area.PEOPLE, self.locality_code):
            raise PermissionDenied(f"{w.actor.username} may not add people here")
        errors, params = self.new_account_errors(w)
        for name, problem in self.person_errors().items():  # the account's first, as on the form
            errors.setdefault(name, problem)
        if w.session.get(Locality, self.locality_code) is None:
            errors.setdefault("person", "validation.invalid")
        elif _scoped(self.role) and self.localities and self.locality_code not in self.codes:
            errors.setdefault("person", "admin.users.person_outside")
        if errors:
            raise ValidationError(errors, field_params=params)

    def run(self, w: Write) -> tuple[int, int]:
        person_id = people.add_person(w, self, self.locality_code, namesake_ids=True)
        return self.add(w, w.session.get_one(Person, person_id)), person_id


@dataclass
class UpdateUser(Account, AccountChange[int], texts=ACCOUNT_TEXTS):
    """Change an account read at `version`; returns its new version. A role change or a
    deactivation ends the account's open sessions (the old role's rights go at once)."""

    user: Ref[User]
    version: int
    active: bool

    @classmethod
    def of(cls, user_id: int, version: int, form: UserForm, active: bool) -> UpdateUser:
        return cls(
            form.full_name, form.email, form.role, _localities(form.localities),
            Ref(User, user_id), version, active,
        )  # fmt: skip

    def validate(self, w: Write) -> None:
        if errors := self.account_errors():
            raise ValidationError(errors)

    def run(self, w: Write) -> int:
        user = w.get(self.user)
        values: dict[str, Any] = {
            "full_name": self.full_name,
            "email": self.email,
            "role": self.role,
            "active": self.active,
            "locality_codes": self.codes,
        }
        if self.role != user.role or (user.active and not self.active):
            values["session_version"] = user.session_version + 1
        person = None if user.person_id is None else w.session.get(Person, user.person_id)
        locality = _audit_locality(person, self.codes)
        changed = w.update(user, self.version, values, entity="user", locality_code=locality)
        if changed.keys() == {"locality_codes"}:  # only the scope's rows changed: the account
            flag_modified(user, "role")  # row is saved too, so its version moves on
            w.session.flush()
        return user.version


@dataclass
class LinkPerson(AccountChange[int]):
    """Link an account read at `version` to the person it is (or unlink it): a member then sees
    their tasks. The person must be of one of the account's localities (any, for an admin's).
    Returns the account's new version."""

    user: Ref[User]
    version: int
    person: Ref[Person] | None

    def validate(self, w: Write) -> None:
        user = w.get(self.user)
        if _person_outside(user.role, w.get_optional(self.person), user.locality_codes):
            raise ValidationError({"person": "admin.users.person_outside"})

    def run(self, w: Write) -> int:
        user, person = w.get(self.user), w.get_optional(self.person)
        locality = None if person is None else person.locality_code
        values = {"person_id": None if person is None else person.id}
        w.update(user, self.version, values, locality_code=locality)
        return user.version


@dataclass
class ResetPassword(AccountChange[None]):
    """A new password for an account; whoever knew the old one is logged out everywhere. The
    audit row says the password changed, never the password or its hash."""

    user: Ref[User]
    password: str = dataclasses.field(repr=False)

    def validate(self, w: Write) -> None:
        if problem := password_problem(self.password):
            raise ValidationError({"password": problem})

    def run(self, w: Write) -> None:
        user = w.get(self.user)
        before = user.session_version
        user.password_hash = hash_password(self.password)
        user.session_version = before + 1
        w.session.merge(LoginThrottle(username=user.username, failures=0, locked_until=None))
        w.session.flush()
        person = None if user.person_id is None else w.session.get(Person, user.person_id)
        w.audit(
            "reset_password",
            user.id,
            before={"session_version": before},
            after={"session_version": before + 1, "password": "changed"},
            locality_code=_audit_locality(person, user.locality_codes),
        )


def create_user(db: Database, actor: Actor, form: UserForm) -> int:
    return execute(db, actor, CreateUser.of(form)).value


def create_user_with_person(
    db: Database,
    actor: Actor,
    form: UserForm,
    locality_code: int,
    person: people.PersonInput,
    allow_duplicate: bool = False,
) -> tuple[int, int]:
    command = CreateUserWithPerson.of(form, locality_code, person, allow_duplicate)
    return execute(db, actor, command).value


def update_user(
    db: Database, actor: Actor, user_id: int, form: UserForm, active: bool, version: int
) -> int:
    return execute(db, actor, UpdateUser.of(user_id, version, form, active)).value


def link_person(
    db: Database, actor: Actor, user_id: int, version: int, person_id: int | None
) -> int:
    return execute(db, actor, LinkPerson.of(user_id, version, person_id)).value


def reset_password(db: Database, actor: Actor, user_id: int, new_password: str) -> None:
    execute(db, actor, ResetPassword.of(user_id, new_password))


def demo_credentials_in_use(db: Database) -> bool:
    """Whether any active user can still log in with the public demo password."""
    with db.transaction() as s:
        hashes = s.scalars(select(User.password_hash).where(User.active.is_(True))).all()
    return any(check_password(DEMO_PASSWORD, h) for h in hashes)


def bootstrap_admin(db: Database, username: str, password: str) -> None:
    """The first administrator of a production database, created from the command line."""
    system = Actor(0, "system", "system", ADMIN, None)
    create_user(db, system, UserForm(username, username, ADMIN, (), None, password))


_verified: set[tuple[str, str, bool]] = set()


def ensure_safe_to_serve(db: Database, config: Config) -> None:
    """Refuse to serve with a published or weak cookie key, or (outside demo mode) a demo password.

    The demo-password check costs a password check per user (Argon2id, or bcrypt for hashes from
    before it), so a passing check is remembered for the process; a failing one is checked again
    on the next run, once someone has fixed it.
    """
    key = (db.url, config.COOKIE_KEY, config.DEMO_MODE)
    if key in _verified:
        return
    check_production_safety(config, False if config.DEMO_MODE else demo_credentials_in_use(db))
    _verified.add(key)
