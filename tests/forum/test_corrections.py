"""Corrections: a manual metric's values listed and put right (replaced, or removed when entered
for the wrong month), and a logged mentoring session corrected or removed by its coordinator."""

from __future__ import annotations

from datetime import date

import pytest

from employdash.access import Actor
from employdash.commands import execute
from employdash.db import Database
from employdash.errors import PermissionDenied, StaleVersion, ValidationError
from employdash.forum import focuses
from employdash.mentoring import matches
from tests.forum.helpers import SEDEROT
from tests.foundation.command_samples.forum_setup import _manual_metric
from tests.foundation.command_samples.mentoring import _match

pytestmark = pytest.mark.rolled_back

MAY, JUNE = date(2026, 5, 1), date(2026, 6, 1)


def test_a_manual_metrics_values_are_listed_corrected_and_removed(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    metric = _manual_metric(db, actors)
    focuses.enter_value(db, manager, SEDEROT, metric, MAY, 10.0, None)
    june = focuses.enter_value(db, manager, SEDEROT, metric, JUNE, 13.0, None)
    listed = focuses.metric_values(db, actors["member"], SEDEROT, metric)
    assert [(v.period, v.value, v.entered_by) for v in listed] == [
        (JUNE, 13.0, "manager"),
        (MAY, 10.0, "manager"),
    ]
    focuses.enter_value(db, manager, SEDEROT, metric, JUNE, 12.0, listed[0].version)
    with pytest.raises(StaleVersion):  # corrected meanwhile: the old screen is refused
        focuses.enter_value(db, manager, SEDEROT, metric, JUNE, 11.0, june)
    corrected = focuses.metric_values(db, manager, SEDEROT, metric)[0]
    assert (corrected.value, corrected.version) == (12.0, june + 1)
    with pytest.raises(StaleVersion):
        execute(db, manager, focuses.RemoveValue.of(corrected.id, june))
    execute(db, manager, focuses.RemoveValue.of(corrected.id, corrected.version))
    [may] = focuses.metric_values(db, manager, SEDEROT, metric)
    assert may.period == MAY
    with pytest.raises(PermissionDenied):
        execute(db, actors["member"], focuses.RemoveValue.of(may.id, may.version))


def test_a_logged_session_is_corrected_or_removed_by_its_coordinator(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    match = _match(db, actors)
    today = date.today()
    session = matches.log_session(db, manager, match, today, 45, "Interviews")
    [row] = matches.sessions(db, manager, match)
    version = execute(
        db, manager, matches.CorrectSession.of(session, row.version, today, 90, "Interviews, CV")
    ).value
    [fixed] = matches.sessions(db, manager, match)
    assert (fixed.minutes, fixed.note, fixed.version) == (90, "Interviews, CV", version)
    with pytest.raises(ValidationError):  # the rules of logging one hold
        execute(db, manager, matches.CorrectSession.of(session, version, today, 0))
    with pytest.raises(StaleVersion):
        execute(db, manager, matches.RemoveSession.of(session, row.version, "Logged twice"))
    with pytest.raises(PermissionDenied):
        execute(db, actors["member"], matches.RemoveSession.of(session, version, "x"))
    with pytest.raises(ValidationError):
        execute(db, manager, matches.RemoveSession.of(session, version, ""))
    execute(db, manager, matches.RemoveSession.of(session, version, "Logged twice"))
    assert matches.sessions(db, manager, match) == []
