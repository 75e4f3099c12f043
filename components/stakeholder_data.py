"""Cached read models for the mapping pages.

Keys include the acting user (role and scope) and the database URL, so one user's cached answer
never serves another; the services authorise every call. `clear()` runs after each write.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from employdash.config import get_config
from employdash.db import get_database
from employdash.services import stakeholders_map, stakeholders_network, surveys
from employdash.services.access import Actor

TTL = get_config().CACHE_TTL_SECONDS
# Keyed by the acting user (their scope): max_entries bounds memory however many people log in.


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=256)
def grid(
    url: str, actor: Actor, code: int, flt: stakeholders_map.GridFilter, as_of: date
) -> pd.DataFrame:
    return stakeholders_map.grid(get_database(url), actor, code, flt, as_of)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=256)
def network(url: str, actor: Actor, code: int) -> stakeholders_network.Network:
    return stakeholders_network.network(get_database(url), actor, code)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=256)
def survey_summary(url: str, actor: Actor, codes: tuple[int, ...]) -> surveys.SurveySummary:
    return surveys.summary(get_database(url), actor, list(codes))


def clear() -> None:
    grid.clear()
    network.clear()
    survey_summary.clear()
