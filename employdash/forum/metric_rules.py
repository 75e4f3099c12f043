"""The rules every success metric keeps, catalogue or manual, when it is added and when it is
edited: the target lies the way the indicator gets better (higher or lower), the target date
comes after the baseline date, and the baseline and target are in range for the unit.

One function, `check_metric`, judges a metric as it would stand after the change (the stored
values merged with the changed ones), so an edit cannot reach what a new metric is refused.
"""

from __future__ import annotations

import math
from datetime import date

from employdash.errors import ValidationError

# The values a unit admits (None: no bound). A catalogue indicator's unit is one of the first
# three; a manual metric's unit is free text, judged only when it is a percentage.
UNIT_RANGES: dict[str, tuple[float | None, float | None]] = {
    "fraction": (0.0, 1.0),
    "count": (0.0, None),
    "ils": (0.0, None),
    "%": (0.0, 100.0),
}


def in_range(unit: str | None, value: float) -> bool:
    """A finite value inside the unit's bounds (any finite value for a unit with none)."""
    if not math.isfinite(value):
        return False
    low, high = UNIT_RANGES.get((unit or "").strip(), (None, None))
    return (low is None or value >= low) and (high is None or value <= high)


def range_params(unit: str | None) -> dict[str, float | str]:
    """The bounds of a unit for the refusal's sentence."""
    low, high = UNIT_RANGES.get((unit or "").strip(), (None, None))
    return {"low": "—" if low is None else low, "high": "∞" if high is None else high}


def check_metric(
    *,
    higher_is_better: bool,
    unit: str | None,
    baseline: float,
    baseline_date: date | None,
    target: float,
    target_date: date | None,
) -> None:
    """Refuse (`ValidationError`, every broken rule at once) a metric that breaks a rule."""
    errors: dict[str, str] = {}
    params: dict[str, dict[str, object]] = {}
    for field, value in (("baseline", baseline), ("target", target)):
        if not in_range(unit, value):
            errors[field] = "forum.targets.rule.out_of_range"
            params[field] = dict(range_params(unit))
    rise = target - baseline
    if "target" not in errors and (rise <= 0 if higher_is_better else rise >= 0):
        errors["target"] = f"forum.targets.rule.{'up' if higher_is_better else 'down'}"
    if target_date is None:
        errors["target_date"] = "validation.required"
    elif baseline_date is not None and target_date <= baseline_date:
        errors["target_date"] = "forum.targets.rule.after_baseline"
    if errors:
        raise ValidationError(errors, field_params=params)
