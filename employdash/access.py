"""Who may do what, where: roles and locality scope, checked on the server for every call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, true

from employdash.errors import PermissionDenied

ADMIN, LEADERSHIP, MANAGER, MEMBER = "admin", "leadership", "manager", "member"
EDITORS = frozenset({ADMIN, MANAGER})


@dataclass(frozen=True)
class Actor:
    """The logged-in user as the services see it, loaded from the database on every run."""

    user_id: int
    username: str
    full_name: str
    role: str
    localities: frozenset[int] | None  # None: every locality (admin)
    person_id: int | None = None
    language: str = "he"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    def can_see(self, locality_code: int | None) -> bool:
        return self.localities is None or locality_code in self.localities

    def can_edit(self, locality_code: int | None) -> bool:
        return self.role in EDITORS and self.can_see(locality_code)


def require_role(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise PermissionDenied(f"{actor.username} ({actor.role}) needs one of {roles}")


def require_locality(actor: Actor, locality_code: int | None) -> None:
    if not actor.can_see(locality_code):
        raise PermissionDenied(f"{actor.username} has no access to locality {locality_code}")


def require_edit(actor: Actor, locality_code: int | None) -> None:
    """Managers and admins edit forums, meetings, stakeholders and mentoring in their scope."""
    require_role(actor, *EDITORS)
    require_locality(actor, locality_code)


def scope_clause(actor: Actor, column: ColumnElement[int]) -> ColumnElement[bool]:
    """A WHERE clause limiting `column` (a locality code) to the actor's scope."""
    if actor.localities is None:
        return true()
    return column.in_(sorted(actor.localities))


def visible_codes(actor: Actor, requested: Iterable[int]) -> list[int]:
    """The requested localities, refusing any outside the scope rather than silently dropping."""
    codes = list(dict.fromkeys(int(c) for c in requested))
    for code in codes:
        require_locality(actor, code)
    return codes
