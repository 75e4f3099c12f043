"""Rules shared by the stakeholder, organisation and survey services: review quarters and the field
checks every form repeats. Who may read or edit is the access policy's `Area.STAKEHOLDERS`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from employdash.access import Area, ReadScope
from employdash.commands import Command
from employdash.errors import ValidationError
from employdash.limits import FIELDS, strip_controls
from employdash.models import Organisation, Person
from employdash.models.stakeholders import Stakeholder

R = TypeVar("R")


@dataclass
class StakeholderChange(
    Command[R],
    area=Area.STAKEHOLDERS,
    entity="stakeholder",
    invalidates=frozenset({Area.STAKEHOLDERS}),
):
    """What every stakeholder write shares: a manager of the locality, and the stakeholder read
    models refreshed after it (the audit row names a stakeholder unless the command names its
    own record kind)."""


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def check_choice(errors: dict[str, str], field: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        errors[field] = "validation.invalid"


def check_scale(
    errors: dict[str, str],
    field: str,
    value: Any,
    low: int = 1,
    high: int = 5,
    required: bool = True,
) -> None:
    if value is None:
        if required:
            errors[field] = "validation.required"
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[field] = "validation.out_of_range"


def check_text(
    errors: dict[str, str],
    field: str,
    value: str | None,
    limit: str | int,
    required: bool = False,
) -> str | None:
    """Clean the text (control characters out, spaces stripped); flag it when required and
    empty or when longer than `limit`: a key of `employdash.limits.FIELDS` or a length."""
    declared = FIELDS[limit] if isinstance(limit, str) else None
    max_len = declared.max_len if declared else int(limit)
    multiline = bool(declared and declared.multiline)
    text = strip_controls(value or "", multiline=multiline).strip()
    if not text:
        if required:
            errors[field] = "validation.required"
        return None
    if len(text) > max_len:
        errors[field] = "validation.too_long"
    return text


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def stakeholders_named(scope: ReadScope, *columns: Any) -> Select[Any]:
    """The locality's stakeholders with their organisation's, contact's and owner's names, and
    any further columns: the join the grid, the register and the follow-ups all read."""
    contact, owner = aliased(Person), aliased(Person)
    return (
        select(
            Stakeholder.id,
            Organisation.name.label("organisation"),
            contact.full_name.label("person"),
            owner.full_name.label("owner"),
            *columns,
        )
        .join(Organisation, Organisation.id == Stakeholder.organisation_id)
        .outerjoin(contact, contact.id == Stakeholder.person_id)
        .outerjoin(owner, owner.id == Stakeholder.owner_person_id)
        .where(scope.of(Stakeholder.locality_code))
    )
