"""The contract other areas build on (`latest_value`, `value_at`) and the scoped reads."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.indicators import values as indicators
from employdash.indicators.catalogue import HEADLINE_CODES
from employdash.models.indicators import IndicatorValue

pytestmark = pytest.mark.rolled_back

SEDEROT, NETIVOT = 1031, 246


def test_latest_value_skips_suppressed_and_value_at_reads_one_month(db: Database) -> None:
    with db.transaction() as s:
        newest = s.scalar(
            select(IndicatorValue)
            .where(
                IndicatorValue.locality_code == SEDEROT,
                IndicatorValue.indicator_code == "job_seekers",
            )
            .order_by(IndicatorValue.period.desc())
            .limit(1)
        )
        assert newest is not None
        latest = indicators.latest_value(s, SEDEROT, "job_seekers")
        assert latest is not None
        period, value = latest
        assert (period, value) == (newest.period, newest.value)
        assert indicators.value_at(s, SEDEROT, "job_seekers", date(2026, 10, 17)) == newest.value
        s.execute(
            update(IndicatorValue)
            .where(IndicatorValue.id == newest.id)
            .values(value=None, status="suppressed")
        )
        before_newest = indicators.latest_value(s, SEDEROT, "job_seekers")
        assert before_newest is not None
        earlier, _ = before_newest
        assert earlier == indicators.add_months(newest.period, -1)
        assert indicators.value_at(s, SEDEROT, "job_seekers", newest.period) is None
        assert indicators.latest_value(s, SEDEROT, "no_such_indicator") is None


def test_catalogue_has_the_agreed_codes(db: Database, actors: dict[str, Actor]) -> None:
    codes = {i.code for i in indicators.catalogue(db, actors["mayor"])}
    assert set(HEADLINE_CODES) <= codes
    assert {
        "job_seekers",
        "unemployment_rate",
        "avg_wage",
        "jobs",
        "businesses",
        "open_positions",
    } <= codes
    assert any(c.startswith("job_seekers.age_group.") for c in codes)


def test_scope_and_role_are_enforced(db: Database, actors: dict[str, Actor]) -> None:
    start, end = date(2026, 1, 1), date(2026, 10, 1)
    mine = indicators.series(db, actors["mayor"], [SEDEROT], ["job_seekers"], start, end)
    assert len(mine) == 10 and set(mine.locality_code) == {SEDEROT}
    with pytest.raises(PermissionDenied):
        indicators.series(db, actors["mayor"], [NETIVOT], ["job_seekers"], start, end)
    with pytest.raises(PermissionDenied):
        indicators.district_series(db, actors["mayor"], NETIVOT, ["job_seekers"], start, end)
    with pytest.raises(PermissionDenied):
        indicators.rankings(db, actors["mayor"], NETIVOT, "job_seekers", end)
    with pytest.raises(PermissionDenied):
        indicators.catalogue(db, actors["member"])
    both = indicators.series(db, actors["manager"], [SEDEROT, NETIVOT], ["avg_wage"], start, end)
    assert set(both.locality_code) == {SEDEROT, NETIVOT}
    with pytest.raises(ValidationError):
        indicators.series(db, actors["admin"], [SEDEROT], ["nope"], start, end)


def test_district_aggregate_and_rank_agree_with_the_values(
    db: Database, actors: dict[str, Actor]
) -> None:
    period = date(2026, 10, 1)
    with db.transaction() as s:
        from employdash.models import Locality

        south = s.scalars(
            select(Locality.code).where(
                Locality.district_id
                == s.scalar(select(Locality.district_id).where(Locality.code == SEDEROT))
            )
        ).all()
        rows = s.execute(
            select(IndicatorValue.locality_code, IndicatorValue.value).where(
                IndicatorValue.indicator_code == "job_seekers",
                IndicatorValue.period == period,
                IndicatorValue.locality_code.in_(south),
            )
        ).all()
        pops = dict(
            s.execute(
                select(Locality.code, Locality.population).where(Locality.code.in_(south))
            ).all()
        )
    district = indicators.district_series(
        db, actors["mayor"], SEDEROT, ["job_seekers"], period, period
    )
    known = [(c, v) for c, v in rows if v is not None]
    assert len(known) == len(rows)
    people = {c: p for c, p in pops.items() if p is not None}
    assert district.value.iloc[0] == pytest.approx(sum(v for _, v in known))
    assert district.localities.iloc[0] == len(rows)
    per_capita = {c: v / people[c] for c, v in known}
    expected = 1 + sum(1 for v in per_capita.values() if v < per_capita[SEDEROT])
    ranks = {
        r.group: r for r in indicators.rankings(db, actors["mayor"], SEDEROT, "job_seekers", period)
    }
    assert ranks["district"].rank == expected and ranks["district"].of == len(rows)
    assert ranks["size"].of >= 2


def test_series_frame_matches_the_stored_rows_in_order_and_types(
    db: Database, actors: dict[str, Actor]
) -> None:
    """The national series reads driver tuples straight into pandas (for speed): the frame
    must still hold exactly the stored rows, sorted by locality, indicator and month, with
    months as datetime64[s] and a suppressed cell as NaN, on both databases."""
    start, end = date(2025, 11, 1), date(2026, 10, 1)
    codes = ["unemployment_rate", "job_seekers", "avg_wage"]
    with db.transaction() as s:
        target = s.scalar(
            select(IndicatorValue.id).where(
                IndicatorValue.locality_code == NETIVOT,
                IndicatorValue.indicator_code == "job_seekers",
                IndicatorValue.period == date(2026, 3, 1),
            )
        )
        s.execute(
            update(IndicatorValue)
            .where(IndicatorValue.id == target)
            .values(value=None, status="suppressed")
        )
        stored = s.execute(
            select(
                IndicatorValue.locality_code,
                IndicatorValue.period,
                IndicatorValue.indicator_code,
                IndicatorValue.value,
                IndicatorValue.status,
            ).where(
                IndicatorValue.locality_code.in_([SEDEROT, NETIVOT]),
                IndicatorValue.indicator_code.in_(codes),
                IndicatorValue.period.between(start, end),
            )
        ).all()
    frame = indicators.series(db, actors["admin"], [NETIVOT, SEDEROT], codes, start, end)
    assert [str(t) for t in frame.dtypes] == ["int64", "datetime64[s]", "str", "float64", "str"]
    expected = sorted((r[0], r[2], r[1]) for r in stored)
    got = [
        (code, indicator, period.date())
        for code, indicator, period in zip(
            frame.locality_code, frame.indicator_code, frame.period, strict=True
        )
    ]
    assert got == expected and len(got) == 2 * 3 * 12
    by_key = {(r[0], r[2], r[1]): (r[3], r[4]) for r in stored}
    for row in frame.itertuples(index=False):
        value, status = by_key[(row.locality_code, row.indicator_code, row.period.date())]
        assert row.status == status
        assert (value is None and row.value != row.value) or row.value == value
    suppressed = frame[frame.status == "suppressed"]
    assert len(suppressed) == 1 and suppressed.value.isna().all()
    empty = indicators.series(
        db, actors["admin"], [SEDEROT], ["job_seekers"], date(2040, 1, 1), date(2040, 5, 1)
    )
    assert empty.empty and str(empty.period.dtype) == "datetime64[s]"
