"""Cached read models of the indicator explorer. Each takes the actor (and so its scope) as an
argument; the services behind them authorize every call."""

from __future__ import annotations

from datetime import date

import pandas as pd

from components.common.cache import read_model
from employdash.access import Actor, Area
from employdash.db import Database
from employdash.indicators import explorer as indicators_explorer
from employdash.indicators import values as indicators
from employdash.indicators.catalogue import Definition


@read_model(Area.INDICATORS)
def catalogue(db: Database, actor: Actor) -> list[Definition]:
    return indicators.catalogue(db, actor)


@read_model(Area.INDICATORS)
def latest_period(db: Database, actor: Actor, code: int) -> date | None:
    return indicators.latest_period(db, actor, code)


@read_model(Area.INDICATORS, max_entries=256)
def series(
    db: Database,
    actor: Actor,
    codes: tuple[int, ...],
    indicator: str,
    start: date,
    end: date,
) -> pd.DataFrame:
    return indicators.series(db, actor, list(codes), [indicator], start, end)


@read_model(Area.INDICATORS, max_entries=256)
def district(
    db: Database, actor: Actor, code: int, indicator: str, start: date, end: date
) -> pd.DataFrame:
    return indicators.district_series(db, actor, code, [indicator], start, end)


@read_model(Area.INDICATORS, max_entries=256)
def rankings(
    db: Database, actor: Actor, code: int, indicator: str, period: date
) -> list[indicators.Rank]:
    return indicators.rankings(db, actor, code, indicator, period)


@read_model(Area.INDICATORS, max_entries=64)
def map_values(
    db: Database, actor: Actor, indicator: str, period: date, codes: tuple[int, ...]
) -> pd.DataFrame:
    return indicators.latest_in_scope(db, actor, indicator, period, list(codes))


@read_model(Area.INDICATORS, max_entries=256)
def breakdown(
    db: Database, actor: Actor, code: int, period: date, threshold: int
) -> tuple[int | None, list[indicators_explorer.BreakdownCell]]:
    return indicators_explorer.breakdown(db, actor, code, period, threshold)
