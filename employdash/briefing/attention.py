"""What needs the mayor's attention, ranked worst first.

Rules, each giving items with a severity:
- an indicator that has been worse than the same month a year earlier for three months or more
  in a row (year-on-year, so the autumn rise in job seekers every year is not an alarm);
- an indicator moving the wrong way while the district moves the right way;
- the forum's health warnings (from the forum area, already ordered worst first), a success
  metric off track against its target among them;
- overdue forum tasks;
- mentees waiting for a mentor.
Items carry a catalogue key and parameters; the page renders them in the reader's language.

Only the first `MAX_ATTENTION` items are shown (the screen, the PDF, the digest). Indicator items
outweigh the rest, so ranked by severity alone five falling indicators would hide an off-track
target of the forum's own plan, the one thing the mayor can act on in the forum: the list
therefore keeps a place among the first for the worst item of each kind, and orders those shown
worst first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from employdash.i18n import plural_key

if TYPE_CHECKING:
    from employdash.briefing.build import Headline

STREAK_MONTHS = 3
MAX_ATTENTION = 5  # items shown
OFF_TRACK = "forum.health.off_track"


@dataclass(frozen=True)
class AttentionItem:
    key: str  # catalogue key of the sentence
    severity: float
    kind: str  # 'indicator' | 'target' (a metric off track) | 'forum' | 'mentoring'
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
        AttentionItem(key, 2.5 - i * 0.1, "target" if key == OFF_TRACK else "forum", dict(params))
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


def _worst(items: list[AttentionItem]) -> list[AttentionItem]:
    return sorted(items, key=lambda i: i.severity, reverse=True)


def fair_order(items: list[AttentionItem], room: int = MAX_ATTENTION) -> list[AttentionItem]:
    """`items` with the first `room` places holding the worst item of each kind and then the
    worst of the rest, worst first; the items left out follow, worst first."""
    ranked = _worst(items)
    first_of_kind: dict[str, int] = {}
    for n, item in enumerate(ranked):
        first_of_kind.setdefault(item.kind, n)
    chosen = sorted(first_of_kind.values())[:room]
    chosen += [n for n in range(len(ranked)) if n not in chosen][: room - len(chosen)]
    return [ranked[n] for n in sorted(chosen)] + [
        item for n, item in enumerate(ranked) if n not in chosen
    ]


def rank_attention(headlines: list[Headline], forum: Any, mentoring: Any) -> list[AttentionItem]:
    """Every attention item, the first `MAX_ATTENTION` of them fair to every kind."""
    return fair_order(
        _indicator_items(headlines) + _forum_items(forum) + _mentoring_items(mentoring)
    )
