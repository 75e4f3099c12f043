"""Status against target in the real app: said in words on the focus cards, the work plan and
the briefing; the forum's tolerance set on the set-up tab; a catalogue metric's target the wrong
way refused on the new-metric form and on the edit form, with nothing written."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Widget

from employdash.db import Database
from employdash.forum import focuses, setup
from employdash.forum import structure as forum_service
from employdash.models.forum import SuccessMetric
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as, open_tab, rendered, texts

SEDEROT = 1031
QUARTERLY = open_tab("forum_tabs", "forum.tab.quarterly", "en")  # the quarterly reviews
SET_UP = open_tab("forum_tabs", "forum.tab.setup", "en")  # the forum's set-up


def _in_form(widgets: Iterable[Widget], form: str, label: str) -> Widget:
    return next(w for w in widgets if w.form_id.startswith(form) and w.label.startswith(label))


def _submit(at: AppTest, form: str, label: str = "Save") -> None:
    next(b for b in at.button if b.label == label and b.form_id.startswith(form)).click().run()
    assert not at.exception, at.exception


def _errors(at: AppTest) -> list[str]:
    return [rendered(str(e.value)) for e in at.error]


def _manual_metric(db: Database, title: str, name: str, unit: str, start: float, end: float) -> int:
    """A manual metric of a new focus, from `start` 400 days before this month to `end` as long
    after it (its line is halfway this month)."""
    manager = demo_actor(db, "manager")
    focus = forum_service.create_focus(db, manager, SEDEROT, title)
    month = date.today().replace(day=1)
    return focuses.add_manual_metric(
        db, manager, SEDEROT, focus, name, unit, "up", start,
        month - timedelta(days=400), end, month + timedelta(days=400),
    )  # fmt: skip


def _off_track_metric(db: Database) -> None:
    """A manual metric of a new focus far behind its line this month."""
    metric = _manual_metric(db, "Employers", "Employers visited", "#", 0, 100)
    manager, month = demo_actor(db, "manager"), date.today().replace(day=1)
    focuses.enter_value(db, manager, SEDEROT, metric, month, 10, None)


def _page_with_off_track(app_db: str, username: str, page: str) -> tuple[AppTest, Database]:
    """`page` in English as `username`, once a metric has gone off track."""
    db = Database(app_db)
    _off_track_metric(db)
    at = app_as(username, page=page, lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    return at, db


def test_the_focus_cards_and_the_health_say_a_metric_is_off_track(app_db: str) -> None:
    at, db = _page_with_off_track(app_db, "manager", "pages/forum.py")
    shown = rendered(texts(at))
    assert "Status against target: Off track" in shown
    assert "The straight line to the target expects 50; measured 10" in shown
    assert "Employers visited is off track against its target." in [
        rendered(str(w.value)) for w in at.error
    ]
    he = app_as("manager", page="pages/forum.py", lang="he", locality=SEDEROT)
    assert "מצב מול היעד: חורג מהמסלול" in rendered(texts(he))
    db.dispose()


def test_the_work_plan_lists_the_focuses_against_their_targets(app_db: str) -> None:
    at, db = _page_with_off_track(app_db, "manager", "pages/tasks.py")
    assert [e.label for e in at.expander if e.label == "Focuses against their targets"]
    shown = rendered(texts(at))
    assert "Employers: Off track" in shown
    assert "- Employers visited: Off track" in shown
    db.dispose()


def test_the_briefing_says_the_status_of_each_focus(app_db: str) -> None:
    at, db = _page_with_off_track(app_db, "mayor", "pages/briefing.py")
    bars = [p.proto.text for p in at.get("progress")]
    assert any(
        b.startswith("Employers: ") and b.endswith("Status against target: Off track") for b in bars
    ), bars
    db.dispose()


def test_the_tolerance_is_set_on_the_set_up_tab(app_db: str) -> None:
    db = Database(app_db)
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=SET_UP)
    _in_form(at.number_input, "forum_tolerance_", "Tolerance for a metric").set_value(25)
    _submit(at, "forum_tolerance_")
    assert setup.forum_tolerance(db, demo_actor(db, "manager"), SEDEROT) == 0.25
    db.dispose()


def test_a_catalogue_target_the_wrong_way_is_refused_on_the_new_metric_form(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    focus = forum_service.create_focus(db, manager, SEDEROT, "Unemployment down")
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    _in_form(at.selectbox, "metric_new", "Focus").set_value(focus)
    _in_form(at.selectbox, "metric_new", "Indicator").set_value("unemployment_rate")
    _in_form(at.number_input, "metric_new", "Baseline").set_value(0.08)
    _in_form(at.number_input, "metric_new", "Target").set_value(0.09)
    _submit(at, "metric_new")
    message = "This metric is better when lower: the target must be below the baseline"
    assert any(e.startswith(f"Target: {message}") for e in _errors(at)), _errors(at)
    assert _in_form(at.number_input, "metric_new", "Target").value == 0.09
    with db.transaction() as s:
        assert (
            s.scalars(select(SuccessMetric.id).where(SuccessMetric.focus_id == focus)).all() == []
        )
    db.dispose()


def test_a_target_edited_the_wrong_way_is_refused(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    focus = forum_service.create_focus(db, manager, SEDEROT, "Jobs up")
    metric = forum_service.add_metric(
        db, manager, SEDEROT, focus, "jobs", 500, 600, date.today() + timedelta(days=400)
    )
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    at.selectbox(key="metric_edit_pick").set_value(metric).run()
    form = f"metric_edit_{metric}_"
    _in_form(at.number_input, form, "Target").set_value(450.0)
    _submit(at, form)
    message = "This metric is better when higher: the target must be above the baseline"
    assert any(e.startswith(f"Target: {message}") for e in _errors(at)), _errors(at)
    with db.transaction() as s:
        row = s.get_one(SuccessMetric, metric)
        assert (row.target, row.version) == (600, 1)
    db.dispose()


def test_the_quarterly_review_keeps_each_quarter_s_status(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=QUARTERLY)
    tables = [d.value for d in at.dataframe if "Status against target" in d.value.columns]
    assert len(tables) == 1
    statuses = set(tables[0]["Status against target"])
    assert statuses and statuses <= {"On track", "At risk", "Off track", "No data"}


def test_a_manual_value_out_of_range_for_its_unit_is_refused(app_db: str) -> None:
    db = Database(app_db)
    metric = _manual_metric(db, "Shares", "Share placed", "%", 20, 40)
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    _in_form(at.selectbox, "metric_value", "Metric").set_value(metric)
    _in_form(at.number_input, "metric_value", "Value").set_value(140.0)
    _submit(at, "metric_value")
    message = "The value is out of range for the unit (0.0 to 100.0)"
    assert any(e.startswith(f"Value: {message}") for e in _errors(at)), _errors(at)
    assert focuses.manual_values(db, demo_actor(db, "manager"), SEDEROT, metric) == []
    db.dispose()
