"""Who may do what, where: one policy table, read by every service check and by the navigation.

The table says, per role, which areas it reads and writes and how its locality scope applies.
Services call `require_read` / `require_write` with their area; the menu shows a page when the
policy allows its area, so what a role sees and what it may call cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from sqlalchemy import ColumnElement, or_, true
from sqlalchemy.orm import InstrumentedAttribute

from employdash.errors import PermissionDenied

ADMIN, LEADERSHIP, MANAGER, MEMBER = "admin", "leadership", "manager", "member"
PROGRAMME = "programme"  # the national programme's staff: every locality of theirs side by side
ROLES = (ADMIN, LEADERSHIP, MANAGER, MEMBER, PROGRAMME)


class Area(StrEnum):
    """What a permission is about. Pages and services name exactly one area each."""

    INDICATORS = "indicators"  # values, trends, explorer
    BRIEFING = "briefing"  # the leadership briefing and its PDF
    FORUM = "forum"  # forum structure, meetings, work plan (writing tasks too)
    TASKS = "tasks"  # updating a task: members only their own or their team's
    STAKEHOLDERS = "stakeholders"  # register, grid, network, organisation mapping, survey
    MENTORING = "mentoring"  # programs, cohorts, funnels and the writes that move participants
    PARTICIPANTS = "participants"  # lists of individual participants, not only aggregates
    CATALOGUE = "catalogue"  # the indicator catalogue, local indicators, pipeline definitions
    # Importing monthly indicator values: every locality for a scope of all, the user's own
    # localities otherwise (each row a file writes is checked against the scope).
    INDICATOR_IMPORTS = "indicator_imports"
    PEOPLE = "people"  # the one register of people the forum, stakeholders and mentoring share
    PLAN_APPROVAL = "plan_approval"  # the mayor approves the work plan (shown on the briefing)
    USERS = "users"
    LOCALITIES = "localities"  # which catalogue localities the installation serves
    AUDIT = "audit"
    RSVP = "rsvp"  # answering an invitation to a meeting: everyone, their own invitation only
    OUTBOX = "outbox"  # the mail outbox: what was sent, what failed and why, retrying
    PORTFOLIO = "portfolio"  # every locality's forum, mentoring and indicators side by side
    PROGRAMME_NOTES = "programme_notes"  # the programme's dated notes on a locality


class Action(StrEnum):
    READ = "read"
    WRITE = "write"


class Scope(StrEnum):
    ALL = "all"  # every locality
    ASSIGNED = "assigned"  # the localities on the user's record
    # the localities on the user's record, or every locality when the record names none (the
    # programme's national staff; regional staff have their region's localities)
    ASSIGNED_OR_ALL = "assigned_or_all"


@dataclass(frozen=True)
class RolePolicy:
    scope: Scope
    reads: frozenset[Area]
    writes: frozenset[Area]
    own_only: frozenset[Area] = frozenset()  # writes limited to records assigned to the user

    def allows(self, area: Area, action: Action) -> bool:
        return area in (self.reads if action is Action.READ else self.writes)


# Areas that have read services, and areas that have write services (TASKS is read as FORUM,
# the plan approval as part of the briefing).
READABLE = frozenset(Area) - {Area.TASKS, Area.PLAN_APPROVAL}
WRITABLE = frozenset(
    {
        Area.FORUM,
        Area.TASKS,
        Area.STAKEHOLDERS,
        Area.MENTORING,
        Area.CATALOGUE,
        Area.INDICATOR_IMPORTS,
        Area.USERS,
        Area.LOCALITIES,
        Area.PEOPLE,
        Area.PLAN_APPROVAL,
        Area.RSVP,
        Area.OUTBOX,
        Area.PROGRAMME_NOTES,
    }
)
_PRODUCT = frozenset(
    {Area.INDICATORS, Area.BRIEFING, Area.FORUM, Area.STAKEHOLDERS, Area.MENTORING}
)

POLICY: Mapping[str, RolePolicy] = MappingProxyType(
    {
        ADMIN: RolePolicy(
            Scope.ALL, reads=READABLE, writes=WRITABLE, own_only=frozenset({Area.RSVP})
        ),
        # Leadership's writes: approving the work plan, and answering its own invitations.
        LEADERSHIP: RolePolicy(
            Scope.ASSIGNED,
            reads=_PRODUCT | {Area.RSVP},
            writes=frozenset({Area.PLAN_APPROVAL, Area.RSVP}),
            own_only=frozenset({Area.RSVP}),
        ),
        MANAGER: RolePolicy(
            Scope.ASSIGNED,
            reads=_PRODUCT
            | {
                Area.PARTICIPANTS,
                Area.PEOPLE,
                Area.INDICATOR_IMPORTS,
                Area.RSVP,
                Area.PROGRAMME_NOTES,
            },
            writes=frozenset(
                {
                    Area.RSVP,
                    Area.FORUM,
                    Area.TASKS,
                    Area.STAKEHOLDERS,
                    Area.MENTORING,
                    Area.PEOPLE,
                    Area.INDICATOR_IMPORTS,
                }
            ),
            own_only=frozenset({Area.RSVP}),
        ),
        MEMBER: RolePolicy(
            Scope.ASSIGNED,
            reads=frozenset({Area.FORUM, Area.RSVP}),
            writes=frozenset({Area.TASKS, Area.RSVP}),
            own_only=frozenset({Area.TASKS, Area.RSVP}),
        ),
        # Reads the forums (their targets too), mentoring and indicators of its localities and
        # the portfolio of them all; writes nothing but its own notes.
        PROGRAMME: RolePolicy(
            Scope.ASSIGNED_OR_ALL,
            reads=frozenset(
                {
                    Area.INDICATORS,
                    Area.FORUM,
                    Area.MENTORING,
                    Area.PORTFOLIO,
                    Area.PROGRAMME_NOTES,
                }
            ),
            writes=frozenset({Area.PROGRAMME_NOTES}),
        ),
    }
)


def policy_of(role: str) -> RolePolicy:
    try:
        return POLICY[role]
    except KeyError:
        raise PermissionDenied(f"unknown role {role!r}") from None


def sees_every_locality(role: str, localities: Collection[int]) -> bool:
    """Whether an account of `role` with `localities` on its record sees every locality."""
    scope = policy_of(role).scope
    return scope is Scope.ALL or (scope is Scope.ASSIGNED_OR_ALL and not localities)


def allows(role: str, area: Area, action: Action) -> bool:
    return role in POLICY and POLICY[role].allows(area, action)


@dataclass(frozen=True)
class Actor:
    """The logged-in user as the services see it, loaded from the database on every run."""

    user_id: int
    username: str
    full_name: str
    role: str
    localities: frozenset[int] | None  # None: every locality (Scope.ALL)
    person_id: int | None = None
    language: str = "he"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def can_see(self, locality_code: int | None) -> bool:
        return self.localities is None or locality_code in self.localities

    def can_read(self, area: Area, locality_code: int | None = None) -> bool:
        return allows(self.role, area, Action.READ) and (
            locality_code is None or self.can_see(locality_code)
        )

    def can_write(self, area: Area, locality_code: int | None = None) -> bool:
        return allows(self.role, area, Action.WRITE) and (
            locality_code is None or self.can_see(locality_code)
        )

    def writes_own_only(self, area: Area) -> bool:
        """True when this role's writes in `area` are limited to records assigned to it."""
        return area in policy_of(self.role).own_only


def _require(actor: Actor, area: Area, action: Action, locality_code: int | None) -> None:
    if not allows(actor.role, area, action):
        raise PermissionDenied(f"{actor.username} ({actor.role}) may not {action} {area}")
    if locality_code is not None:
        require_locality(actor, locality_code)


def require_read(actor: Actor, area: Area, locality_code: int | None = None) -> None:
    """The role reads `area` (by the policy) and, when given, the locality is in its scope."""
    _require(actor, area, Action.READ, locality_code)


def require_write(actor: Actor, area: Area, locality_code: int | None = None) -> None:
    """The role writes `area` (by the policy) and, when given, the locality is in its scope."""
    _require(actor, area, Action.WRITE, locality_code)


def require_locality(actor: Actor, locality_code: int | None) -> None:
    if not actor.can_see(locality_code):
        raise PermissionDenied(f"{actor.username} has no access to locality {locality_code}")


def require_read_all(actor: Actor, area: Area, requested: Iterable[int]) -> list[int]:
    """The requested localities, refusing any outside the scope rather than silently dropping."""
    require_read(actor, area)
    codes = list(dict.fromkeys(int(c) for c in requested))
    for code in codes:
        require_locality(actor, code)
    return codes


def scope_clause(
    actor: Actor, column: ColumnElement[int] | InstrumentedAttribute[int]
) -> ColumnElement[bool]:
    """A WHERE clause limiting `column` (a locality code) to the actor's scope."""
    if actor.localities is None:
        return true()
    return column.in_(sorted(actor.localities))


LocalityColumn = ColumnElement[int] | InstrumentedAttribute[int] | InstrumentedAttribute[int | None]


@dataclass(frozen=True)
class ReadScope:
    """The localities one read may return, checked against the actor's scope when it was made
    (`read_scope`): every query of a read limits its locality columns with `of`, so a read
    cannot forget the scope nor widen it."""

    codes: frozenset[int] | None  # None: every locality (a scope of all, nothing asked)

    def of(self, column: LocalityColumn, *, national: bool = False) -> ColumnElement[bool]:
        """A WHERE clause limiting `column` (a locality code) to this read's localities, and with
        `national` to the records of no locality too (national organisations, shared by all)."""
        if self.codes is None:
            return true()
        if len(self.codes) == 1:
            clause = column == next(iter(self.codes))
        else:
            clause = column.in_(sorted(self.codes))
        return or_(clause, column.is_(None)) if national else clause


def read_scope(
    actor: Actor, area: Area, localities: int | Iterable[int] | None = None
) -> ReadScope:
    """The scope of a read of `area`: the locality (or localities) asked for, each refused when
    outside the actor's scope, or every locality the actor sees when none is asked."""
    require_read(actor, area)
    if localities is None:
        return ReadScope(actor.localities)
    codes = list(localities) if isinstance(localities, Iterable) else [localities]
    for code in codes:
        require_locality(actor, code)
    return ReadScope(frozenset(int(c) for c in codes))


def only(locality_code: int) -> ReadScope:
    """The scope of one locality already authorised by the caller (a query a benchmark or a
    write's rule reuses); a read service makes its scope with `read_scope`."""
    return ReadScope(frozenset({locality_code}))
