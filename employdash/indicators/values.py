"""Reading indicator values: the catalogue, series, district aggregates, rankings, and the
session-level helpers other areas use (`latest_value`, `value_at`).

Every public function that takes an `Actor` checks the role (admin, leadership, manager read
indicators) and the locality scope. District aggregates and ranks are computed over all
localities but only ever returned as aggregates (a total, an average, a rank), never as another
locality's own figure, so a mayor sees how Sederot compares without reading Netivot's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Executable, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from employdash.access import Actor, Area, only, read_scope, require_read
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.indicators.catalogue import Definition
from employdash.models import Locality
from employdash.models.base import as_row
from employdash.models.indicators import IndicatorDefinition, IndicatorValue, IndicatorValueHistory

SHOWN = ("ok", "preliminary", "revised")
SIZE_BAND = (2 / 3, 3 / 2)  # "similar-sized": population within this factor of the locality's


# --- session-level helpers (the caller has checked access) ---------------------------------------


def latest_value(
    session: Session, locality_code: int, indicator_code: str
) -> tuple[date, float] | None:
    """The newest value that is not suppressed, with its month."""
    row = session.execute(
        select(IndicatorValue.period, IndicatorValue.value)
        .where(
            only(locality_code).of(IndicatorValue.locality_code),
            IndicatorValue.indicator_code == indicator_code,
            IndicatorValue.value.is_not(None),
            IndicatorValue.status != "suppressed",
        )
        .order_by(IndicatorValue.period.desc())
        .limit(1)
    ).first()
    return (row.period, float(row.value)) if row else None


def value_at(
    session: Session, locality_code: int, indicator_code: str, period: date
) -> float | None:
    """The current value for that month (None when missing or suppressed)."""
    row = session.execute(
        select(IndicatorValue.value, IndicatorValue.status).where(
            only(locality_code).of(IndicatorValue.locality_code),
            IndicatorValue.indicator_code == indicator_code,
            IndicatorValue.period == month_start(period),
        )
    ).first()
    if row is None or row.status == "suppressed" or row.value is None:
        return None
    return float(row.value)


def value_known_at(
    session: Session, locality_code: int, indicator_code: str, period: date, when: datetime
) -> float | None:
    """The value that was shown for that month at `when` (before later revisions)."""
    scope = only(locality_code)
    key = (
        scope.of(IndicatorValue.locality_code),
        IndicatorValue.indicator_code == indicator_code,
        IndicatorValue.period == month_start(period),
    )
    current = session.execute(
        select(IndicatorValue.value, IndicatorValue.recorded_at).where(*key)
    ).first()
    if current is not None and current.recorded_at <= when:
        value: float | None = current.value
        return value
    old = session.execute(
        select(IndicatorValueHistory.value).where(
            scope.of(IndicatorValueHistory.locality_code),
            IndicatorValueHistory.indicator_code == indicator_code,
            IndicatorValueHistory.period == month_start(period),
            IndicatorValueHistory.recorded_at <= when,
            IndicatorValueHistory.replaced_at > when,
        )
    ).first()
    return old.value if old else None


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# --- catalogue --------------------------------------------------------------------------------


def catalogue(db: Database, actor: Actor) -> list[Definition]:
    require_read(actor, Area.INDICATORS)
    with db.transaction() as s:
        rows = s.scalars(select(IndicatorDefinition).order_by(IndicatorDefinition.sort_order))
        return [as_row(Definition, r) for r in rows]


def latest_period(db: Database, actor: Actor, locality_code: int) -> date | None:
    """The newest month with any headline value for the locality."""
    scope = read_scope(actor, Area.INDICATORS, locality_code)
    with db.transaction() as s:
        return s.scalar(
            select(func.max(IndicatorValue.period))
            .join(IndicatorDefinition, IndicatorDefinition.code == IndicatorValue.indicator_code)
            .where(scope.of(IndicatorValue.locality_code), IndicatorDefinition.headline)
        )


# --- series -----------------------------------------------------------------------------------

SERIES_COLUMNS = ["locality_code", "period", "indicator_code", "value", "status"]
# A stored value's key (locality, month, indicator) and content, as a series or an import reads it.
SERIES = tuple(getattr(IndicatorValue, name) for name in SERIES_COLUMNS)


def _check_codes(s: Session, codes: list[str]) -> None:
    known = set(
        s.scalars(select(IndicatorDefinition.code).where(IndicatorDefinition.code.in_(codes)))
    )
    if set(codes) - known:
        raise ValidationError({"indicator": "validation.invalid"})


def series(
    db: Database,
    actor: Actor,
    locality_codes: list[int],
    indicator_codes: list[str],
    start: date,
    end: date,
) -> pd.DataFrame:
    """Values of the given localities (all in scope) and indicators from `start` to `end`
    inclusive; suppressed cells come back with value NaN and status 'suppressed'."""
    scope = read_scope(actor, Area.INDICATORS, locality_codes)
    if start > end:
        raise ValidationError({"period": "validation.out_of_range"})
    with db.transaction() as s:
        _check_codes(s, indicator_codes)
        frame = _driver_frame(
            s,
            select(*SERIES).where(
                scope.of(IndicatorValue.locality_code),
                IndicatorValue.indicator_code.in_(indicator_codes),
                IndicatorValue.period >= month_start(start),
                IndicatorValue.period <= end,
            ),
            SERIES_COLUMNS,
        )
    # Sorted here, not in SQL: PostgreSQL would sort every national row (spilling to disk past
    # work_mem), and pandas orders strings by code point on every database.
    frame["period"] = _months(frame["period"])
    frame["value"] = frame["value"].astype(float)
    return frame.sort_values(["locality_code", "indicator_code", "period"], ignore_index=True)


def _driver_frame(session: Session, query: Executable, columns: list[str]) -> pd.DataFrame:
    """The query's rows straight from the database driver into a frame.

    A national series is ~200,000 rows: building a SQLAlchemy `Row` for each, then pandas
    probing every `Row` for named-tuple fields, would cost twice the query itself. The
    driver's plain tuples skip SQLAlchemy's result types, so dates arrive as the driver gives
    them (ISO text from SQLite, `date` from PostgreSQL): `_months` reads both.
    """
    result = session.connection().execute(query)
    try:
        rows = result.cursor.fetchall()
    finally:
        result.close()
    return pd.DataFrame(rows, columns=columns)


def _months(column: pd.Series) -> pd.Series:
    """Month starts (ISO text or `date`) as datetime64[s], the dtype the series always had."""
    return pd.to_datetime(column).astype("datetime64[s]")


def _aggregate(unit: str) -> ColumnElement[Any]:
    """Counts add up over a district; rates and wages average, weighted by population."""
    if unit == "count":
        return func.sum(IndicatorValue.value)
    return func.sum(IndicatorValue.value * Locality.population) / func.sum(
        case((IndicatorValue.value.is_not(None), Locality.population), else_=0)
    )


def district_series(
    db: Database,
    actor: Actor,
    locality_code: int,
    indicator_codes: list[str],
    start: date,
    end: date,
) -> pd.DataFrame:
    """The locality's district as one aggregate series per indicator (period, indicator_code,
    value, localities). Only the aggregate leaves this function."""
    read_scope(actor, Area.INDICATORS, locality_code)  # its district's values, as one aggregate
    with db.transaction() as s:
        _check_codes(s, indicator_codes)
        district = s.scalar(select(Locality.district_id).where(Locality.code == locality_code))
        if district is None:
            raise NotFound(f"locality {locality_code}")
        units = dict(
            s.execute(
                select(IndicatorDefinition.code, IndicatorDefinition.unit).where(
                    IndicatorDefinition.code.in_(indicator_codes)
                )
            ).all()
        )
        frames = []
        for unit in sorted(set(units.values())):
            chosen = [c for c, u in units.items() if u == unit]
            rows = s.execute(
                select(
                    IndicatorValue.period,
                    IndicatorValue.indicator_code,
                    _aggregate(unit).label("value"),
                    func.count(IndicatorValue.value).label("localities"),
                )
                .select_from(IndicatorValue)
                .join(Locality, Locality.code == IndicatorValue.locality_code)
                .where(
                    Locality.district_id == district,
                    IndicatorValue.indicator_code.in_(chosen),
                    IndicatorValue.period >= month_start(start),
                    IndicatorValue.period <= end,
                )
                .group_by(IndicatorValue.period, IndicatorValue.indicator_code)
            ).all()
            frames.append(
                pd.DataFrame(rows, columns=["period", "indicator_code", "value", "localities"])
            )
    frame = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["period", "indicator_code", "value", "localities"])
    )
    frame["period"] = pd.to_datetime(frame["period"])
    frame["value"] = frame["value"].astype(float)
    return frame.sort_values(["indicator_code", "period"], ignore_index=True)


# --- rankings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rank:
    """Position among peers, 1 = best for the indicator (per 1,000 residents for counts)."""

    group: str  # 'district' or 'size'
    rank: int
    of: int


def _comparable(unit: str) -> ColumnElement[Any] | InstrumentedAttribute[float | None]:
    if unit == "count":
        return IndicatorValue.value * 1000.0 / Locality.population
    return IndicatorValue.value


def rankings(
    db: Database, actor: Actor, locality_code: int, indicator_code: str, period: date
) -> list[Rank]:
    """The locality's rank in its district and among similar-sized localities that month."""
    read_scope(actor, Area.INDICATORS, locality_code)  # its peers' values, as a rank only
    with db.transaction() as s:
        definition = s.get(IndicatorDefinition, indicator_code)
        me = s.get(Locality, locality_code)
        if definition is None or me is None:
            raise NotFound(indicator_code)
        measure = _comparable(definition.unit).label("measure")
        base = (
            select(Locality.code, Locality.district_id, Locality.population, measure)
            .select_from(IndicatorValue)
            .join(Locality, Locality.code == IndicatorValue.locality_code)
            .where(
                IndicatorValue.indicator_code == indicator_code,
                IndicatorValue.period == month_start(period),
                IndicatorValue.value.is_not(None),
                Locality.population > 0,
            )
        )
        pop = me.population or 0
        groups = {
            "district": base.where(Locality.district_id == me.district_id),
            "size": base.where(Locality.population.between(pop * SIZE_BAND[0], pop * SIZE_BAND[1])),
        }
        result = []
        for name, query in groups.items():
            peers = s.execute(query).all()
            mine = next((p.measure for p in peers if p.code == locality_code), None)
            if mine is None or len(peers) < 2:
                continue
            better = sum(
                1
                for p in peers
                if (p.measure > mine if definition.higher_is_better else p.measure < mine)
            )
            result.append(Rank(name, better + 1, len(peers)))
        return result


# --- scope-wide latest values (the explorer's map) ----------------------------------------------


def latest_in_scope(
    db: Database, actor: Actor, indicator_code: str, period: date, locality_codes: list[int]
) -> pd.DataFrame:
    """One row per requested locality (all in scope) and, for context on a map, the other
    localities of their districts that have data: name, coordinates, population, value. A
    locality outside the actor's scope comes back without its value (`in_scope` False)."""
    scope = read_scope(actor, Area.INDICATORS, locality_codes)
    with db.transaction() as s:
        _check_codes(s, [indicator_code])
        districts = select(Locality.district_id).where(scope.of(Locality.code))
        rows = s.execute(
            select(
                Locality.code,
                Locality.name_he,
                Locality.name_en,
                Locality.latitude,
                Locality.longitude,
                Locality.population,
                IndicatorValue.value,
                IndicatorValue.status,
            )
            .outerjoin(
                IndicatorValue,
                and_(
                    IndicatorValue.locality_code == Locality.code,
                    IndicatorValue.indicator_code == indicator_code,
                    IndicatorValue.period == month_start(period),
                ),
            )
            .where(
                or_(
                    scope.of(Locality.code),
                    Locality.district_id.in_(districts) & IndicatorValue.id.is_not(None),
                )
            )
        ).all()
    frame = pd.DataFrame(
        rows,
        columns=[
            "locality_code",
            "name_he",
            "name_en",
            "latitude",
            "longitude",
            "population",
            "value",
            "status",
        ],
    )
    frame["in_scope"] = frame["locality_code"].map(actor.can_see).astype(bool)
    frame["value"] = frame["value"].where(frame["in_scope"]).astype(float)
    frame.loc[~frame["in_scope"], "status"] = None
    return frame
