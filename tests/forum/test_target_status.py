"""Status against target: the rule at the edges of the tolerance, and on both databases the
status of a metric as its values come in, under the forum's tolerance, on the forum's health, the
briefing and the quarterly snapshot."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from employdash.access import Actor
from employdash.briefing.build import build_briefing
from employdash.briefing.pdf import briefing_pdf
from employdash.commands import execute
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.forum import briefing as forum_briefing
from employdash.forum import focuses, health, quarterly, setup
from employdash.forum import structure as forum_service
from employdash.forum.target_status import (
    expected_value,
    focus_statuses,
    metric_statuses,
    status_of,
)
from tests.forum.helpers import SEDEROT
from tests.support.present import present

pytestmark = pytest.mark.rolled_back

START = date(2026, 1, 1)
END = START + timedelta(days=200)
HALFWAY = START + timedelta(days=100)  # the line is at 50 of 0 -> 100 (exactly)


def _status(value: float | None, tolerance: float = 0.1, on: date = HALFWAY) -> str:
    return status_of(0.0, START, 100.0, END, value, on, tolerance)


def test_the_status_at_the_edges_of_the_tolerance() -> None:
    assert expected_value(0.0, START, 100.0, END, HALFWAY) == 50.0
    assert _status(50.0) == "on_track"  # at the line
    assert _status(70.0) == "on_track"  # ahead of it
    assert _status(49.99) == "at_risk"  # just behind
    assert _status(40.0) == "at_risk"  # behind by exactly the tolerance (a tenth of the way)
    assert _status(39.99) == "off_track"  # by a little more
    assert _status(40.0, tolerance=0.0) == "off_track"  # no tolerance: any lag is off track
    assert _status(None) == "no_data"
    assert status_of(0.0, START, 100.0, END, 40.0, None, 0.1) == "no_data"


def test_lower_is_better_and_the_ends_of_the_line() -> None:
    # Unemployment from 10% to 6%: halfway the line is at 8%.
    assert status_of(0.10, START, 0.06, END, 0.08, HALFWAY, 0.1) == "on_track"
    assert status_of(0.10, START, 0.06, END, 0.084, HALFWAY, 0.1) == "at_risk"  # 0.1 of the way
    assert status_of(0.10, START, 0.06, END, 0.0845, HALFWAY, 0.1) == "off_track"
    # Before the baseline date the line is at the baseline; after the target date, at the target.
    assert _status(0.0, on=START - timedelta(days=30)) == "on_track"
    assert _status(95.0, on=END + timedelta(days=30)) == "at_risk"
    assert _status(89.0, on=END + timedelta(days=30)) == "off_track"
    # No baseline date: judged against the baseline until the target date.
    assert status_of(0.0, None, 100.0, END, 0.0, HALFWAY, 0.1) == "on_track"
    assert status_of(0.0, None, 100.0, END, 50.0, END, 0.1) == "off_track"


def _manual(db: Database, manager: Actor, focus: int) -> int:
    """A manual metric from 0 (400 days before this month) to 100 (as long after): its line is
    at 50 this month."""
    month = date.today().replace(day=1)
    return focuses.add_manual_metric(
        db,
        manager,
        SEDEROT,
        focus,
        "Employers visited",
        "#",
        "up",
        0,
        month - timedelta(days=400),
        100,
        month + timedelta(days=400),
    )


def _statuses(db: Database, actor: Actor, metric: int) -> tuple[str, float | None]:
    row = next(m for m in metric_statuses(db, actor, SEDEROT) if m["id"] == metric)
    return row["status"], row["expected"]


def test_a_metric_goes_off_track_as_its_values_come_in(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, mayor = actors["manager"], actors["mayor"]
    focus = forum_service.create_focus(db, manager, SEDEROT, "Employers")
    metric = _manual(db, manager, focus)
    month = date.today().replace(day=1)
    assert _statuses(db, mayor, metric)[0] == "no_data"

    version = focuses.enter_value(db, manager, SEDEROT, metric, month, 60, None)
    status, expected = _statuses(db, mayor, metric)
    assert status == "on_track" and expected == pytest.approx(50.0)
    assert "Employers visited" not in _off_track_warned(db, mayor)

    # Behind the line by exactly the tolerance (a tenth of the way from 0 to 100): at risk.
    version = focuses.enter_value(db, manager, SEDEROT, metric, month, 40, version)
    assert _statuses(db, mayor, metric)[0] == "at_risk"

    # A little further behind: off track, a health warning and an attention item's source.
    version = focuses.enter_value(db, manager, SEDEROT, metric, month, 39.5, version)
    assert _statuses(db, mayor, metric)[0] == "off_track"
    assert _off_track_warned(db, mayor).count("Employers visited") == 1
    brief = present(forum_briefing.briefing_status(db, mayor, SEDEROT))
    assert brief.focus_status["Employers"] == "off_track"
    warned = {"metric_he": "Employers visited", "metric_en": "Employers visited"}
    assert ("forum.health.off_track", warned) in brief.warnings
    attention = build_briefing(db, mayor, SEDEROT).attention
    assert [i.params for i in attention if i.key == "forum.health.off_track"].count(warned) == 1
    pdf = briefing_pdf(build_briefing(db, mayor, SEDEROT), "en", date.today())
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Employers\u2069: " in text or "Employers: " in text
    assert "Status against target: Off track" in text
    assert focus_statuses(metric_statuses(db, mayor, SEDEROT))[focus] == "off_track"

    # The forum widens its tolerance: the same value is at risk again.
    forum_version = setup.forum_version(db, manager, SEDEROT)
    execute(db, manager, setup.SetTargetTolerance.of(_forum(db), forum_version, 0.2))
    assert setup.forum_tolerance(db, mayor, SEDEROT) == 0.2
    assert _statuses(db, mayor, metric)[0] == "at_risk"


def _off_track_warned(db: Database, actor: Actor) -> list[str]:
    """The metrics the forum's health warns are off track (by their English names)."""
    return [
        w.params["metric_en"]
        for w in health.forum_health(db, actor, SEDEROT)
        if w.key == "forum.health.off_track"
    ]


def _forum(db: Database) -> int:
    from tests.forum.helpers import forum_id

    return forum_id(db)


def test_the_tolerance_is_bounded(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    version = setup.forum_version(db, manager, SEDEROT)
    for wrong in (-0.01, 0.51, float("nan")):
        with pytest.raises(ValidationError) as refused:
            execute(db, manager, setup.SetTargetTolerance.of(_forum(db), version, wrong))
        assert refused.value.fields == {"tolerance": "validation.out_of_range"}
    execute(db, manager, setup.SetTargetTolerance.of(_forum(db), version, 0.5))


def test_the_quarterly_snapshot_keeps_each_metric_s_status(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    focus = forum_service.create_focus(db, manager, SEDEROT, "Employers")
    metric = _manual(db, manager, focus)
    month = date.today().replace(day=1)
    focuses.enter_value(db, manager, SEDEROT, metric, month, 10, None)
    quarter = quarterly.quarter_of(month)
    quarterly.take_snapshot(db, manager, SEDEROT, quarter)
    kept = quarterly.reviews(db, manager, SEDEROT)
    rows = [
        r
        for r in quarterly.comparison_rows(kept)
        if r["quarter"] == quarter and r["indicator_en"] == "Employers visited"
    ]
    assert [r["status"] for r in rows] == ["off_track"]
    assert next(k for k in kept if k["quarter"] == quarter)["tolerance"] == pytest.approx(0.1)
