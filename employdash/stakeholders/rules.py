"""The model's rules for the stakeholder map, as plain functions (no database).

Quadrants (model annex 9): A "work with them closely", B "raise awareness and find shared
interests", C "build capacity and position", D "do not invest". The annex's grid picture did not
survive in the source text, so the mapping follows what each action is for, lettered in the
Hebrew reading order of a 2x2 grid with power up and interest to the right (A top-right, B
top-left, C bottom-right, D bottom-left):
- A high power, high interest: key players, work with them closely;
- B high power, low interest: they can move things but do not care yet, so raise their awareness
  and find the interests they share with the forum;
- C low power, high interest: they care but cannot move things, so build their capacity and
  position them;
- D low power, low interest: do not invest.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta

HIGH_FROM = 3  # on the 1-5 scale, 3 ("medium") and above counts as high
BOUNDARY = HIGH_FROM - 0.5  # where the quadrant lines are drawn
QUADRANTS = ("A", "B", "C", "D")
FOLLOW_UP_DAYS = 60
# The forum composition the model recommends (ch. 2-3): municipality, employment office,
# employers, academia/training bodies, regional NGOs.
RECOMMENDED_SECTORS = ("municipality", "employment_office", "employer", "academia_training", "ngo")
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SPREAD = 0.38  # largest offset from the cell centre, in grid units (cells are 1 apart)


def quadrant(power: int, interest: int) -> str:
    high_power, high_interest = power >= HIGH_FROM, interest >= HIGH_FROM
    if high_power:
        return "A" if high_interest else "B"
    return "C" if high_interest else "D"


def offsets(count: int) -> list[tuple[float, float]]:
    """Deterministic offsets for `count` points sharing one grid cell: a sunflower spiral, so any
    number of points stays inside the cell and none sits on another."""
    if count <= 1:
        return [(0.0, 0.0)] * count
    result = []
    for k in range(count):
        radius = SPREAD * math.sqrt((k + 0.5) / count)
        angle = k * GOLDEN_ANGLE
        result.append((radius * math.cos(angle), radius * math.sin(angle)))
    return result


def needs_follow_up(power: int, interest: int, last_contact: date | None, as_of: date) -> bool:
    """Quadrant-A stakeholders not contacted in the last 60 days (or never)."""
    if quadrant(power, interest) != "A":
        return False
    return last_contact is None or last_contact < as_of - timedelta(days=FOLLOW_UP_DAYS)


def coverage_gaps(member_sectors: Iterable[str]) -> list[str]:
    """Recommended sectors with no forum member, in the model's order."""
    present = set(member_sectors)
    return [sector for sector in RECOMMENDED_SECTORS if sector not in present]
