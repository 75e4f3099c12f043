"""Cached read models of the indicator explorer. Each takes the actor (and so its scope) as an
argument; the services behind them authorize every call."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from employdash.access import Actor
from employdash.config import get_config
from employdash.db import Database
from employdash.indicators import explorer as indicators_explorer
from employdash.indicators import values as indicators

TTL = get_config().CACHE_TTL_SECONDS


@st.cache_data(ttl=TTL, show_spinner=False)
def catalogue(_db: Database, url: str, actor: Actor) -> list[indicators.IndicatorInfo]:
    return indicators.catalogue(_db, actor)


@st.cache_data(ttl=TTL, show_spinner=False)
def latest_period(_db: Database, url: str, actor: Actor, code: int) -> date | None:
    return indicators.latest_period(_db, actor, code)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=256)
def series(
    _db: Database,
    url: str,
    actor: Actor,
    codes: tuple[int, ...],
    indicator: str,
    start: date,
    end: date,
) -> pd.DataFrame:
    return indicators.series(_db, actor, list(codes), [indicator], start, end)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=256)
def district(
    _db: Database, url: str, actor: Actor, code: int, indicator: str, start: date, end: date
) -> pd.DataFrame:
    return indicators.district_series(_db, actor, code, [indicator], start, end)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=256)
def rankings(
    _db: Database, url: str, actor: Actor, code: int, indicator: str, period: date
) -> list[indicators.Rank]:
    return indicators.rankings(_db, actor, code, indicator, period)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64)
def map_values(
    _db: Database, url: str, actor: Actor, indicator: str, period: date, codes: tuple[int, ...]
) -> pd.DataFrame:
    return indicators.latest_in_scope(_db, actor, indicator, period, list(codes))


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=256)
def breakdown(
    _db: Database, url: str, actor: Actor, code: int, period: date, threshold: int
) -> tuple:
    return indicators_explorer.breakdown(_db, actor, code, period, threshold)
