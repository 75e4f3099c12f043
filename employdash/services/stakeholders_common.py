"""Rules shared by the stakeholder, organisation and survey services: who may read or edit these
pages, review quarters, and the field checks every form repeats."""

from __future__ import annotations

from datetime import date
from typing import Any

from employdash.errors import ValidationError
from employdash.limits import FIELDS, strip_controls
from employdash.services.access import (
    ADMIN,
    LEADERSHIP,
    MANAGER,
    Actor,
    require_edit,
    require_locality,
    require_role,
)

READERS = (ADMIN, LEADERSHIP, MANAGER)


def require_read(actor: Actor, locality_code: int | None) -> None:
    """Mapping pages are for leadership, managers and admins; forum members have no access."""
    require_role(actor, *READERS)
    require_locality(actor, locality_code)


def require_read_all(actor: Actor, locality_codes: list[int]) -> list[int]:
    require_role(actor, *READERS)
    for code in locality_codes:
        require_locality(actor, code)
    return list(dict.fromkeys(locality_codes))


def require_write(actor: Actor, locality_code: int | None) -> None:
    require_edit(actor, locality_code)


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
