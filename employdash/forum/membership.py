"""Changing who sits where: a member's role or team changes, and a membership ends on a date.

An ended membership stays (history and past attendance are untouched); from its end date the
person is no longer listed in the team or expected at its meetings.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_write
from employdash.db import Database, rowcount
from employdash.errors import NotFound, StaleVersion, ValidationError
from employdash.handed_ids import in_locality
from employdash.models.forum import FORUM_ROLES, Membership, Team


def _membership(s: Session, actor: Actor, membership_id: int, locality_code: int) -> Membership:
    row = s.get(Membership, membership_id)
    if row is None:
        raise NotFound(f"membership {membership_id}")
    in_locality(s, actor, Team, row.team_id, locality_code)
    return row


def forum_role(role: str | None) -> str | None:
    """A member's role from the fixed vocabulary (shown in both languages), never free text;
    empty means none given."""
    role = (role or "").strip() or None
    if role is not None and role not in FORUM_ROLES:
        raise ValidationError({"role": "validation.invalid"})
    return role


def update_membership(
    db: Database,
    actor: Actor,
    locality_code: int,
    membership_id: int,
    version: int,
    values: dict[str, Any],
) -> int:
    """Change `role`, `team_id` or `ended_on` of a membership read at `version`."""
    require_write(actor, Area.FORUM, locality_code)
    values = {k: v for k, v in values.items() if k in ("role", "team_id", "ended_on")}
    if "role" in values:
        values["role"] = forum_role(values["role"])
    with db.transaction() as s:
        row = _membership(s, actor, membership_id, locality_code)
        if "team_id" in values:
            in_locality(s, actor, Team, values["team_id"], locality_code)
            clash = s.scalar(
                select(Membership.id).where(
                    Membership.team_id == values["team_id"],
                    Membership.person_id == row.person_id,
                    Membership.id != membership_id,
                )
            )
            if clash:
                raise ValidationError({"team": "validation.duplicate"})
        ended = values.get("ended_on")
        if ended is not None and row.joined_on is not None and ended < row.joined_on:
            raise ValidationError({"ended_on": "validation.out_of_range"})
        before = {k: getattr(row, k) for k in values}
        result = s.execute(
            update(Membership)
            .where(Membership.id == membership_id, Membership.version == version)
            .values(**values, version=version + 1)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            s.rollback()
            current = s.scalar(select(Membership.version).where(Membership.id == membership_id))
            raise StaleVersion({}, current or version)
        old, new = audit.changed_fields(before, {**before, **values})
        audit.record(
            s,
            actor,
            "update",
            "membership",
            membership_id,
            before=old,
            after=new,
            locality_code=locality_code,
        )
        return version + 1


def end_membership(
    db: Database, actor: Actor, locality_code: int, membership_id: int, version: int, on: date
) -> int:
    """End a membership on `on`: kept for the history, out of the expected attendance after."""
    if on is None:
        raise ValidationError({"ended_on": "validation.required"})
    return update_membership(db, actor, locality_code, membership_id, version, {"ended_on": on})
