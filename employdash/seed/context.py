"""What the core seed hands to the area seeds: localities, organisations, people, users."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DEMO_SEED = 20261123
# The date the demo's story was written at, and the one tests pin the demo to: every seeded date
# keeps its distance to it, so a demo seeded at another date is the same story moved in time.
DEMO_AS_OF = date(2026, 11, 1)
HISTORY_MONTHS = 48

# WORKIT's 14 localities: 7 in the north, 7 in the south (CBS codes).
NORTH = (2800, 1063, 8000, 9200, 874, 7500, 1061)
SOUTH = (2200, 831, 31, 1031, 246, 1161, 2560)
PROGRAM_LOCALITIES = NORTH + SOUTH

DEMO_LOCALITY = 1031  # Sederot: the mayor's and the member's locality
MANAGER_LOCALITIES = (1031, 246)  # Sederot and Netivot


@dataclass
class SeedContext:
    localities: tuple[int, ...] = PROGRAM_LOCALITIES
    organisations: dict[int, list[int]] = field(default_factory=dict)  # locality -> org ids
    people: dict[int, list[int]] = field(default_factory=dict)  # locality -> person ids
    users: dict[str, int] = field(default_factory=dict)  # username -> user id
    member_person_id: int | None = None
    manager_person_id: int | None = None
    as_of: date = DEMO_AS_OF  # the demo's "today": indicator history runs up to the month before
    # What a newcomer's first look needs to see live, healthy forums with a few real warnings:
    # Sederot's next plenary meeting planned (invitations mostly answered) and its last one well
    # attended, a recent plenary meeting in Netivot, the manager's other forum, and a milestone
    # of its stage checked lately, and both forums' owners caught up on most overdue tasks. Each
    # has its own generator or none: the rest of the demo stays the same.
    recent_activity: bool = True

    def shifted(self, day: date) -> date:
        """`day` of the story written at DEMO_AS_OF, moved to the same distance from `as_of`."""
        return day + (self.as_of - DEMO_AS_OF)
