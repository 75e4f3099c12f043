"""The leadership briefing for one locality: headline figures with their change, trend and
district comparison, the things that need attention, and the forum and mentoring status.

Everything the page shows comes from `build_briefing` in one call, computed from a handful of
queries (the locality's series, its district's aggregate, one peer query for ranks), so the page
stays quick on 2 million values. Sentences are rendered per language in `briefing_text`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, read_scope
from employdash.briefing.attention import AttentionItem, rank_attention
from employdash.db import Database
from employdash.errors import NotFound
from employdash.i18n.names import Named, NamedPlace
from employdash.indicators import values as indicators
from employdash.indicators.values import Rank, add_months
from employdash.models import Locality
from employdash.models.indicators import IndicatorDefinition, IndicatorValue

SPARK_MONTHS = 13
HISTORY_MONTHS = 24  # enough for a year-on-year streak over the last year
MAX_STREAK = 12
FLAT = {"count": 0.005, "ils": 0.005, "fraction": 0.0005}  # changes below these are "flat"
# Monthly files come a month or two after the month they describe; a newest month further behind
# than this means newer files were not imported, and the briefing says how old its figures are.
STALE_AFTER_MONTHS = 2
TREND_MIN_MONTHS = 2  # a trend needs two months: one point is not a line


@dataclass(frozen=True)
class Headline(Named):
    """One headline indicator. Changes are relative (0.04 = +4%) except for rates, whose
    changes are in percentage points as fractions (0.003 = +0.3 points)."""

    code: str
    name_he: str
    name_en: str
    unit: str
    higher_is_better: bool
    period: date | None
    value: float | None
    status: str | None
    mom: float | None
    yoy: float | None
    district_value: float | None
    district_yoy: float | None
    verdict: str | None  # 'good' | 'bad' | 'flat' for the year-on-year change
    spark: list[tuple[date, float | None]]
    district_spark: list[tuple[date, float | None]]
    ranks: tuple[Rank, ...]
    bad_streak: int  # months in a row ending now that were worse than a year earlier

    def rank(self, group: str) -> Rank | None:
        return next((r for r in self.ranks if r.group == group), None)

    @property
    def trend_months(self) -> int:
        """Months of the locality's own line in the trend (a suppressed month is a gap)."""
        return sum(1 for _, v in self.spark if v is not None)


@dataclass(frozen=True)
class Briefing(NamedPlace):
    locality_code: int
    name_he: str
    name_en: str
    district_he: str
    district_en: str
    period: date | None
    headlines: list[Headline]
    attention: list[AttentionItem]
    forum: Any | None  # forum_briefing.ForumBriefing
    mentoring: Any | None  # mentoring_briefing.MentoringSnapshot
    unavailable: list[str] = field(default_factory=list)  # parts that could not be loaded
    months_behind: int | None = None  # from the newest month to the month of `as_of`

    @property
    def stale(self) -> bool:
        return self.months_behind is not None and self.months_behind > STALE_AFTER_MONTHS

    def trend(self, preferred: str = "unemployment_rate") -> Headline | None:
        """The headline whose trend is drawn: `preferred` when it has one, else the first that
        has; None when no headline has two months (a single month or nothing: no chart)."""
        drawable = [h for h in self.headlines if h.trend_months >= TREND_MIN_MONTHS]
        return next((h for h in drawable if h.code == preferred), None) or next(
            iter(drawable), None
        )

    def headline(self, code: str) -> Headline | None:
        return next((h for h in self.headlines if h.code == code), None)


def change(unit: str, new: float | None, old: float | None) -> float | None:
    if new is None or old is None:
        return None
    if unit == "fraction":
        return new - old
    return (new - old) / old if old else None


def verdict(unit: str, higher_is_better: bool, delta: float | None) -> str | None:
    if delta is None:
        return None
    if abs(delta) < FLAT[unit]:
        return "flat"
    return "good" if (delta > 0) == higher_is_better else "bad"


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _lookup(frame: pd.DataFrame) -> dict[date, float | None]:
    return {
        p.date(): (None if pd.isna(v) else float(v))
        for p, v in zip(frame["period"], frame["value"], strict=True)
    }


def _bad_streak(values: dict[date, float | None], unit: str, higher: bool, latest: date) -> int:
    months = 0
    period = latest
    while months < MAX_STREAK:
        delta = change(unit, values.get(period), values.get(add_months(period, -12)))
        if verdict(unit, higher, delta) != "bad":
            return months
        months += 1
        period = add_months(period, -1)
    return months


def _peer_ranks(
    s: Session, codes: dict[str, IndicatorDefinition], period: date, me: Locality
) -> dict[str, list[Rank]]:
    """Ranks in district and among similar-sized localities for every headline, from one query."""
    rows = s.execute(
        select(
            IndicatorValue.indicator_code,
            IndicatorValue.locality_code,
            IndicatorValue.value,
            Locality.district_id,
            Locality.population,
        )
        .select_from(IndicatorValue)
        .join(Locality, Locality.code == IndicatorValue.locality_code)
        .where(
            IndicatorValue.indicator_code.in_(list(codes)),
            IndicatorValue.period == period,
            IndicatorValue.value.is_not(None),
            Locality.population > 0,
        )
    ).all()
    pop = me.population or 0
    low, high = pop * indicators.SIZE_BAND[0], pop * indicators.SIZE_BAND[1]
    peers: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for r in rows:
        unit = codes[r.indicator_code].unit
        measure = r.value * 1000.0 / r.population if unit == "count" else r.value
        if r.district_id == me.district_id:
            peers.setdefault((r.indicator_code, "district"), []).append((r.locality_code, measure))
        if low <= r.population <= high:
            peers.setdefault((r.indicator_code, "size"), []).append((r.locality_code, measure))
    ranks: dict[str, list[Rank]] = {}
    for (code, group), found in sorted(peers.items()):
        mine = next((m for c, m in found if c == me.code), None)
        if mine is None or len(found) < 2:
            continue
        higher = codes[code].higher_is_better
        better = sum(1 for _, m in found if (m > mine if higher else m < mine))
        ranks.setdefault(code, []).append(Rank(group, better + 1, len(found)))
    return ranks


def _headlines(
    db: Database, actor: Actor, me: Locality, defs: list[IndicatorDefinition], latest: date
) -> list[Headline]:
    codes = [d.code for d in defs]
    start = add_months(latest, -HISTORY_MONTHS)
    own = indicators.series(db, actor, [me.code], codes, start, latest)
    district = indicators.district_series(db, actor, me.code, codes, start, latest)
    with db.transaction() as s:
        ranks = _peer_ranks(s, {d.code: d for d in defs}, latest, me)
    result = []
    for d in defs:
        mine = own[own.indicator_code == d.code]
        if mine.empty:  # a measure never imported for this locality: nothing to show for it
            continue
        values = _lookup(mine)
        statuses = dict(zip((p.date() for p in mine["period"]), mine["status"], strict=True))
        dist = _lookup(district[district.indicator_code == d.code])
        value = values.get(latest)
        yoy = change(d.unit, value, values.get(add_months(latest, -12)))
        months = [add_months(latest, -i) for i in range(SPARK_MONTHS - 1, -1, -1)]
        result.append(
            Headline(
                code=d.code,
                name_he=d.name_he,
                name_en=d.name_en,
                unit=d.unit,
                higher_is_better=d.higher_is_better,
                period=latest,
                value=value,
                status=statuses.get(latest),
                mom=change(d.unit, value, values.get(add_months(latest, -1))),
                yoy=yoy,
                district_value=dist.get(latest),
                district_yoy=change(d.unit, dist.get(latest), dist.get(add_months(latest, -12))),
                verdict=verdict(d.unit, d.higher_is_better, yoy),
                spark=[(m, values.get(m)) for m in months],
                district_spark=[(m, dist.get(m)) for m in months],
                ranks=tuple(ranks.get(d.code, ())),
                bad_streak=_bad_streak(values, d.unit, d.higher_is_better, latest),
            )
        )
    return result


if TYPE_CHECKING:
    from employdash.forum.briefing import ForumBriefing
    from employdash.mentoring.briefing import MentoringSnapshot

T = TypeVar("T")


def _optional(name: str, call: Callable[[], T | None], unavailable: list[str]) -> T | None:
    """Forum and mentoring are other areas: a missing module or table is an empty state."""
    try:
        return call()
    except ImportError:
        unavailable.append(name)
        return None


def _forum(db: Database, actor: Actor, code: int, as_of: date) -> ForumBriefing | None:
    from employdash.forum.briefing import briefing_status

    return briefing_status(db, actor, code, as_of)


def _mentoring(db: Database, actor: Actor, code: int, as_of: date) -> MentoringSnapshot | None:
    from employdash.mentoring.briefing import briefing_snapshot

    return briefing_snapshot(db, actor, code, as_of)


def build_briefing(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> Briefing:
    """The briefing as of `as_of` (default today): indicators up to the newest month published."""
    scope = read_scope(actor, Area.BRIEFING, locality_code)
    as_of = as_of or date.today()
    with db.transaction() as s:
        me = s.get(Locality, locality_code)
        if me is None:
            raise NotFound(f"locality {locality_code}")
        defs = list(
            s.scalars(
                select(IndicatorDefinition)
                .where(IndicatorDefinition.headline)
                .order_by(IndicatorDefinition.sort_order)
            )
        )
        latest = s.scalar(
            select(IndicatorValue.period)
            .where(
                scope.of(IndicatorValue.locality_code),
                IndicatorValue.indicator_code.in_([d.code for d in defs]),
                IndicatorValue.period <= as_of,
            )
            .order_by(IndicatorValue.period.desc())
            .limit(1)
        )
    headlines = _headlines(db, actor, me, defs, latest) if latest else []
    unavailable: list[str] = []
    forum = _optional("forum", lambda: _forum(db, actor, locality_code, as_of), unavailable)
    mentoring = _optional(
        "mentoring", lambda: _mentoring(db, actor, locality_code, as_of), unavailable
    )
    return Briefing(
        locality_code=me.code,
        name_he=me.name_he,
        name_en=me.name_en,
        district_he=me.district_he or "",
        district_en=me.district_en or "",
        period=latest,
        headlines=headlines,
        attention=rank_attention(headlines, forum, mentoring),
        forum=forum,
        mentoring=mentoring,
        unavailable=unavailable,
        months_behind=_months_between(latest, as_of) if latest else None,
    )
