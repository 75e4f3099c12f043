"""Explorer computations: changes, the seasonal view, privacy-safe breakdowns, targets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import update

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.indicators import values as indicators
from employdash.indicators.catalogue import breakdown_code
from employdash.indicators.explorer import against_targets, breakdown, seasonal, with_changes
from employdash.models.indicators import IndicatorValue

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

SEDEROT, NETIVOT = 1031, 246
PERIOD = date(2026, 10, 1)


def frame(values: Sequence[float | None], start: str = "2025-01-01") -> pd.DataFrame:
    periods = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({"locality_code": 1, "period": periods, "value": values})


def test_changes_month_on_month_year_on_year_and_last_year() -> None:
    values = [100.0 + i for i in range(14)]
    out = with_changes(frame(values), "count").set_index("period")
    last = out.loc[pd.Timestamp("2026-02-01")]
    assert last["last_year"] == 101.0
    assert last["yoy"] == pytest.approx(113 / 101 - 1)
    assert last["mom"] == pytest.approx(113 / 112 - 1)
    assert pd.isna(out.loc[pd.Timestamp("2025-01-01"), "mom"])
    rates = with_changes(frame([0.05] * 12 + [0.056, 0.06]), "fraction").iloc[-1]
    assert rates["yoy"] == pytest.approx(0.01) and rates["mom"] == pytest.approx(0.004)


def test_seasonal_view_lines_up_months_of_each_year() -> None:
    out = seasonal(frame([float(i) for i in range(30)], "2024-01-01"), years=2)
    assert sorted(out["year"].unique()) == [2025, 2026]
    assert out[(out.year == 2025) & (out.month == 3)]["value"].item() == 14.0


def set_cells(db: Database, code: int, cells: dict[str, float | None]) -> None:
    with db.transaction() as s:
        for indicator, value in cells.items():
            s.execute(
                update(IndicatorValue)
                .where(
                    IndicatorValue.locality_code == code,
                    IndicatorValue.period == PERIOD,
                    IndicatorValue.indicator_code == indicator,
                )
                .values(value=value, status="suppressed" if value is None else "ok")
            )


def test_small_cells_are_hidden_and_cannot_be_derived_from_the_total(
    db: Database, actors: dict[str, Actor]
) -> None:
    men, women = breakdown_code("gender", "men"), breakdown_code("gender", "women")
    ages = [breakdown_code("age_group", c) for c in ("18_24", "25_34", "35_44", "45_54", "55_plus")]
    set_cells(
        db,
        SEDEROT,
        {
            "job_seekers": 500,
            men: 3,
            women: 497,
            ages[0]: 40,
            ages[1]: 2,
            ages[2]: 150,
            ages[3]: 160,
            ages[4]: 148,
        },
    )
    total, cells = breakdown(db, actors["mayor"], SEDEROT, PERIOD, threshold=5)
    shown = {c.code: c.value for c in cells}
    assert total == 500
    assert shown[men] is None and shown[women] is None  # 497 would give 3 away
    assert shown[ages[1]] is None and shown[ages[0]] is None  # the next smallest goes too
    assert [shown[a] for a in ages[2:]] == [150, 160, 148]
    # No shown cell may be a count from 1 to 4 in any group.
    assert not any(v is not None and 0 < v < 5 for v in shown.values())


def test_source_suppressed_cells_count_as_hidden(db: Database, actors: dict[str, Actor]) -> None:
    groups = [breakdown_code("population_group", c) for c in ("general", "haredi", "arab")]
    set_cells(db, SEDEROT, {"job_seekers": 400, groups[0]: 380, groups[1]: 20, groups[2]: None})
    _, cells = breakdown(db, actors["mayor"], SEDEROT, PERIOD, threshold=5)
    shown = {c.code: c.value for c in cells}
    assert shown[groups[2]] is None
    assert shown[groups[1]] is None  # else 400 - 380 - 20 = 0 would reveal the hidden cell
    assert shown[groups[0]] == 380


def test_threshold_is_configurable(db: Database, actors: dict[str, Actor]) -> None:
    men, women = breakdown_code("gender", "men"), breakdown_code("gender", "women")
    set_cells(db, SEDEROT, {"job_seekers": 500, men: 8, women: 492})
    _, low = breakdown(db, actors["mayor"], SEDEROT, PERIOD, threshold=5)
    _, high = breakdown(db, actors["mayor"], SEDEROT, PERIOD, threshold=10)
    assert {c.code: c.value for c in low}[men] == 8
    assert {c.code: c.value for c in high}[men] is None


def test_breakdown_and_targets_respect_scope(db: Database, actors: dict[str, Actor]) -> None:
    with pytest.raises(PermissionDenied):
        breakdown(db, actors["mayor"], NETIVOT, PERIOD, threshold=5)
    with pytest.raises(PermissionDenied):
        against_targets(db, actors["mayor"], NETIVOT)
    with pytest.raises(PermissionDenied):
        indicators.latest_in_scope(db, actors["mayor"], "job_seekers", PERIOD, [SEDEROT, NETIVOT])


def test_targets_carry_the_latest_value(db: Database, actors: dict[str, Actor]) -> None:
    found = against_targets(db, actors["manager"], SEDEROT)
    assert found is not None
    with db.transaction() as s:
        for target in found:
            latest = indicators.latest_value(s, SEDEROT, target["indicator_code"])
            assert (target["latest_period"], target["latest"]) == (latest or (None, None))


def test_map_values_for_the_scope(db: Database, actors: dict[str, Actor]) -> None:
    rows = indicators.latest_in_scope(
        db, actors["manager"], "avg_wage", PERIOD, [SEDEROT, NETIVOT]
    ).set_index("locality_code")
    with db.transaction() as s:
        for code in (SEDEROT, NETIVOT):
            assert rows.loc[code, "value"] == indicators.value_at(s, code, "avg_wage", PERIOD)
    assert rows["latitude"].notna().all()


def test_map_context_shows_district_neighbours_without_their_values(
    db: Database, actors: dict[str, Actor]
) -> None:
    rows = indicators.latest_in_scope(db, actors["mayor"], "job_seekers", PERIOD, [SEDEROT])
    rows = rows.set_index("locality_code")
    assert rows.loc[SEDEROT, "in_scope"] and rows.loc[SEDEROT, "value"] > 0
    assert NETIVOT in rows.index  # same district: drawn for context
    assert not rows.loc[NETIVOT, "in_scope"] and pd.isna(rows.loc[NETIVOT, "value"])
    assert rows.loc[~rows["in_scope"], "value"].isna().all()
