"""Cached read models for the mapping pages.

Keys include the acting user (role and scope) and the database URL, so one user's cached answer
never serves another; the services authorise every call. A write clears them through
`components.common.commands.perform`.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from components.common.cache import read_model
from employdash.access import Actor, Area
from employdash.db import Database
from employdash.stakeholders import grid as stakeholders_map
from employdash.stakeholders import network as stakeholders_network
from employdash.stakeholders import surveys


@read_model(Area.STAKEHOLDERS)
def grid(
    db: Database, actor: Actor, code: int, flt: stakeholders_map.GridFilter, as_of: date
) -> pd.DataFrame:
    return stakeholders_map.grid(db, actor, code, flt, as_of)


@read_model(Area.STAKEHOLDERS)
def network(db: Database, actor: Actor, code: int) -> stakeholders_network.Network:
    return stakeholders_network.network(db, actor, code)


@read_model(Area.STAKEHOLDERS)
def survey_summary(db: Database, actor: Actor, codes: tuple[int, ...]) -> surveys.SurveySummary:
    return surveys.summary(db, actor, list(codes))
