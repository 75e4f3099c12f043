"""Samples of the indicator commands: a file's import (the manager's), and the admin's entry
of a value and addition of a local indicator."""

from __future__ import annotations

from datetime import date
from typing import Any

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.indicators import local
from employdash.indicators.import_plan import build_plan
from employdash.indicators.imports import ImportIndicators
from tests.foundation.command_samples import SEDEROT, sample

TODAY = date(2026, 11, 23)


@sample("employdash.indicators.imports.ImportIndicators")
def _import(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    data = f"locality_code,period,indicator,value\n{SEDEROT},2020-01,job_seekers,123457\n"
    with db.transaction() as s:
        plan = build_plan(s, "sederot.csv", data.encode(), TODAY, actors["manager"].localities)
    assert plan.changes == 1
    return ImportIndicators.of(plan, "Employment Service")


@sample("employdash.indicators.local.EnterValue")
def _enter(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    month = date(2026, 9, 1)
    seen = local.stored_value(db, actors["admin"], SEDEROT, "job_seekers", month)
    return local.EnterValue.of(SEDEROT, "job_seekers", month, "812", seen, today=TODAY)


@sample("employdash.indicators.local.AddLocalIndicator")
def _add(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    data = local.LocalIndicatorInput(
        "job_diversity", "מגוון המשרות", "Diversity of jobs", "count", True, "open_positions"
    )
    return local.AddLocalIndicator.of(data)
