"""Cached read models of the briefing page (per actor and locality; the service authorizes)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from employdash.access import Actor
from employdash.briefing.build import Briefing, build_briefing
from employdash.config import get_config
from employdash.db import Database


@st.cache_data(ttl=get_config().CACHE_TTL_SECONDS, show_spinner=False, max_entries=256)
def load_briefing(
    _db: Database, db_url: str, actor: Actor, locality_code: int, as_of: date
) -> Briefing:
    return build_briefing(_db, actor, locality_code, as_of)


def briefing_for(db: Database, actor: Actor, locality_code: int) -> Briefing:
    return load_briefing(db, db.url, actor, locality_code, date.today())
