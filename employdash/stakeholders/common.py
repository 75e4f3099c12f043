"""Rules shared by the stakeholder, organisation and survey services: review quarters and the field
checks every form repeats. Who may read or edit is the access policy's `Area.STAKEHOLDERS`."""

from __future__ import annotations

from datetime import date
from typing import Any

from employdash.errors import ValidationError


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
    errors: dict[str, str], field: str, value: str | None, max_len: int, required: bool = False
) -> str | None:
    """Strip the text; flag it when required and empty or when too long."""
    text = (value or "").strip()
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
