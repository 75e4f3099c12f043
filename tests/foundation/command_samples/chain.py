"""Samples of the corrections: a manual metric's value removed, a mentoring session corrected
and removed."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.forum import focuses
from employdash.mentoring import matches
from employdash.mentoring import operations as ops
from employdash.models.forum import Forum, StrategicFocus
from tests.foundation.command_samples import SEDEROT, sample
from tests.foundation.command_samples.forum_setup import MONTH, NEXT_YEAR, _manual_metric
from tests.foundation.command_samples.mentoring import _abroad, _match

TODAY = date.today()


def _value_abroad(db: Database, actors: dict[str, Actor]) -> None:
    """A manual metric's value in a forum outside the manager's scope (the generic test's
    foreign reference: the demo data enters none)."""
    admin, manager = actors["admin"], actors["manager"]
    with db.transaction() as s:
        found = [
            (focus, code)
            for focus, code in s.execute(
                select(StrategicFocus.id, Forum.locality_code)
                .join(Forum, Forum.id == StrategicFocus.forum_id)
                .order_by(StrategicFocus.id)
            )
            if not manager.can_see(code)
        ]
    assert found, "the demo data has no focus outside the manager's scope"
    focus, code = found[0]
    metric = focuses.add_manual_metric(
        db, admin, code, focus, "Abroad", "#", "up", 1.0, date(2026, 1, 1), 9.0, NEXT_YEAR
    )
    focuses.enter_value(db, admin, code, metric, MONTH, 2.0, None)


@sample("employdash.forum.focuses.RemoveValue")
def _remove_value(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    _value_abroad(db, actors)
    metric = _manual_metric(db, actors)
    version = focuses.enter_value(db, actors["manager"], SEDEROT, metric, MONTH, 4.0, None)
    value = focuses.metric_values(db, actors["manager"], SEDEROT, metric)[0]
    return focuses.RemoveValue.of(value.id, version)


def _session(db: Database, actors: dict[str, Actor]) -> tuple[int, int]:
    """A session logged today in a match of Sederot, and one of a locality outside the
    manager's scope (the generic test's foreign reference: the demo data logs none)."""
    admin = actors["admin"]
    program = _abroad(db, actors)
    mentor, mentee = (
        ops.add_participant(
            db,
            admin,
            program_id=program,
            role=role,
            population="haredi",
            age_band=None,
            entered_on=TODAY,
        )
        for role in ("mentor", "mentee")
    )
    abroad = ops.record_match(db, admin, mentor, mentee, TODAY)
    matches.log_session(db, admin, abroad, TODAY, 30, "Abroad")
    match = _match(db, actors)
    session = matches.log_session(db, actors["manager"], match, TODAY, 45, "Interviews")
    return session, 1


@sample("employdash.mentoring.matches.CorrectSession")
def _correct_session(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return matches.CorrectSession.of(*_session(db, actors), TODAY, 60, "Interviews and a CV")


@sample("employdash.mentoring.matches.RemoveSession")
def _remove_session(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return matches.RemoveSession.of(*_session(db, actors), "Logged twice")
