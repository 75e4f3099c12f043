"""What needs the mayor's attention, ranked worst first.

Rules, each giving items with a severity:
- an indicator that has been worse than the same month a year earlier for three months or more
  in a row (year-on-year, so the autumn rise in job seekers every year is not an alarm);
- an indicator moving the wrong way while the district moves the right way;
- the forum's health warnings (from the forum area, already ordered worst first);
- overdue forum tasks;
- mentees waiting for a mentor.
Items carry a catalogue key and parameters; the page renders them in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from employdash.i18n import plural_key

if TYPE_CHECKING:
    from employdash.briefing.build import Headline

STREAK_MONTHS = 3


@dataclass(frozen=True)
class AttentionItem:
    key: str  # catalogue key of the sentence
    severity: float
    kind: str  # 'indicator' | 'forum' | 'mentoring'
    params: dict[str, Any] = field(default_factory=dict)
    indicator_code: str | None = None


def _indicator_items(headlines: list[Headline]) -> list[AttentionItem]:
    items = []
    for h in headlines:
        size = abs(h.yoy or 0) * (100 if h.unit == "fraction" else 10)
        if h.bad_streak >= STREAK_MONTHS:
            items.append(
                AttentionItem(
                    "brief.attention.wrong_way",
                    3 + h.bad_streak / 3 + size,
                    "indicator",
                    {"months": h.bad_streak, "yoy": h.yoy, "unit": h.unit},
                    h.code,
                )
            )
        elif (
            h.verdict == "bad" and h.district_yoy is not None and h.district_yoy * (h.yoy or 0) < 0
        ):
            items.append(
                AttentionItem(
                    "brief.attention.against_district",
                    2 + size,
                    "indicator",
                    {"yoy": h.yoy, "district_yoy": h.district_yoy, "unit": h.unit},
                    h.code,
                )
            )
    return items


def _forum_items(forum: Any) -> list[AttentionItem]:
    if forum is None:
        return []
    items = [
        AttentionItem(key, 2.5 - i * 0.1, "forum", dict(params))
        for i, (key, params) in enumerate(forum.warnings)
    ]
    if forum.tasks_overdue and not any("overdue" in key for key, _ in forum.warnings):
        items.append(
            AttentionItem(
                plural_key(forum.tasks_overdue, "brief.attention.overdue_tasks"),
                1.5 + min(forum.tasks_overdue, 10) / 10,
                "forum",
                {"count": forum.tasks_overdue},
            )
        )
    return items


def _mentoring_items(mentoring: Any) -> list[AttentionItem]:
    waiting = getattr(mentoring, "waiting_for_mentor", None)
    if not waiting:
        return []
    return [
        AttentionItem(
            plural_key(waiting, "brief.attention.waiting_mentees"),
            1 + min(waiting, 20) / 40,
            "mentoring",
            {"count": waiting},
        )
    ]


def rank_attention(headlines: list[Headline], forum: Any, mentoring: Any) -> list[AttentionItem]:
    items = _indicator_items(headlines) + _forum_items(forum) + _mentoring_items(mentoring)
    return sorted(items, key=lambda i: i.severity, reverse=True)
