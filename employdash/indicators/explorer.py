"""What the indicator explorer computes beyond raw series: changes (month on month, year on
year, same month last year), the seasonal view, privacy-safe breakdowns and values against the
forum's targets.

Breakdowns are counts of people, so they go through employdash.privacy: a cell below the
threshold is hidden, and so is one more cell whenever a single hidden cell could otherwise be
worked out as the total minus the others. Cells the source already suppressed count as hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypedDict

import pandas as pd
from sqlalchemy import select

from employdash.access import Actor, Area, read_scope
from employdash.db import Database
from employdash.indicators.catalogue import CATEGORY_NAMES, COARSER_THAN
from employdash.indicators.values import month_start
from employdash.models.indicators import IndicatorDefinition, IndicatorValue
from employdash.privacy import suppress_group, suppress_total

SOURCE_HIDDEN = 1  # stands in for a source-suppressed cell: small by definition


def with_changes(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Add `last_year` (same month a year earlier), `mom` and `yoy` to a series frame
    (locality_code, period, value). Rates change in points, other units relatively."""
    out = frame.sort_values(["locality_code", "period"]).copy()
    keyed = out.set_index(["locality_code", "period"])["value"]

    def shifted(months: int) -> pd.Series:
        periods = out["period"] - pd.DateOffset(months=months)
        index = pd.MultiIndex.from_arrays([out["locality_code"], periods])
        return pd.Series(keyed.reindex(index).to_numpy(), index=out.index)

    last_month, last_year = shifted(1), shifted(12)
    out["last_year"] = last_year
    if unit == "fraction":
        out["mom"], out["yoy"] = out["value"] - last_month, out["value"] - last_year
    else:
        out["mom"] = out["value"] / last_month.where(last_month != 0) - 1
        out["yoy"] = out["value"] / last_year.where(last_year != 0) - 1
    return out


def seasonal(frame: pd.DataFrame, years: int = 3) -> pd.DataFrame:
    """The last `years` calendar years side by side by month (month 1..12, year, value)."""
    if frame.empty:
        return pd.DataFrame(columns=["month", "year", "value"])
    out = pd.DataFrame(
        {
            "month": frame["period"].dt.month,
            "year": frame["period"].dt.year,
            "value": frame["value"],
        }
    )
    newest = int(out["year"].max())
    return out[out["year"] > newest - years].reset_index(drop=True)


@dataclass(frozen=True)
class BreakdownCell:
    dimension: str
    category: str
    code: str
    value: int | None  # None when hidden (small, or derivable from the total)

    def label(self, lang: str) -> str:
        he, en = CATEGORY_NAMES.get((self.dimension, self.category), (self.code, self.code))
        return he if lang == "he" else en


def breakdown(
    db: Database, actor: Actor, locality_code: int, period: date, threshold: int
) -> tuple[int | None, list[BreakdownCell]]:
    """The job-seeker total and its breakdown cells for one locality and month, made safe."""
    scope = read_scope(actor, Area.INDICATORS, locality_code)
    with db.transaction() as s:
        defs = list(
            s.scalars(
                select(IndicatorDefinition)
                .where(IndicatorDefinition.parent_code == "job_seekers")
                .order_by(IndicatorDefinition.sort_order)
            )
        )
        rows = dict(
            s.execute(
                select(IndicatorValue.indicator_code, IndicatorValue.value).where(
                    scope.of(IndicatorValue.locality_code),
                    IndicatorValue.period == month_start(period),
                    IndicatorValue.indicator_code.in_([d.code for d in defs] + ["job_seekers"]),
                )
            ).all()
        )
    for coarse, finer in COARSER_THAN.items():
        if coarse in rows and all(f in rows for f in finer):
            del rows[coarse]
    seekers = rows.get("job_seekers")
    total = suppress_total(int(seekers), threshold) if seekers is not None else None
    cells: list[BreakdownCell] = []
    for dimension in dict.fromkeys(d.dimension for d in defs):
        group = [d for d in defs if d.dimension == dimension and d.code in rows]
        raw: dict[str, int | None] = {}
        for d in group:
            value = rows[d.code]
            raw[d.code] = SOURCE_HIDDEN if value is None else int(value)
        safe = suppress_group(raw, threshold, total_shown=total is not None)
        cells += [
            BreakdownCell(dimension or "", d.category or "", d.code, safe[d.code]) for d in group
        ]
    return total, cells


class TargetAgainst(TypedDict):
    """A forum target for an indicator, beside the indicator's latest value."""

    indicator_code: str
    focus_title: str
    baseline: float | None
    target: float | None
    target_date: date | None
    latest_period: date | None
    latest: float | None


def against_targets(db: Database, actor: Actor, locality_code: int) -> list[TargetAgainst] | None:
    """The forum's targets for the locality with the latest value of each indicator; None when
    the forum area is not installed."""
    read_scope(actor, Area.INDICATORS, locality_code)
    try:
        from employdash.forum.targets import targets_for
    except ImportError:
        return None
    from employdash.indicators.values import latest_value

    rows: list[TargetAgainst] = []
    with db.transaction() as s:
        for target in targets_for(db, actor, locality_code):
            found = latest_value(s, locality_code, target["indicator_code"])
            rows.append(
                TargetAgainst(
                    indicator_code=target["indicator_code"],
                    focus_title=target["focus_title"],
                    baseline=target["baseline"],
                    target=target["target"],
                    target_date=target["target_date"],
                    latest_period=found[0] if found else None,
                    latest=found[1] if found else None,
                )
            )
    return rows
