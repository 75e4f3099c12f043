"""Two people saving the same record through the forms: a manual metric's
value for a month and a certification standard are saved over the version the form was drawn
from, kept across the submit's rerun. Saved meanwhile by someone else, the save is refused with
what they changed, nothing is written and the form keeps what the user typed; the next submit,
drawn from what is stored now, goes through."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Widget

from employdash.db import Database
from employdash.forum import focuses
from employdash.forum import structure as forum_service
from employdash.mentoring import certification
from employdash.models.forum import MetricValue
from employdash.models.mentoring import Standard
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as, open_tab

SEDEROT = 1031
STALE = "Someone else saved this record meanwhile"


def _in_form(widgets: Iterable[Widget], form: str, label: str) -> Widget:
    return next(w for w in widgets if w.form_id.startswith(form) and w.label == label)


def _submit(at: AppTest, form: str, label: str) -> None:
    next(b for b in at.button if b.label == label and b.form_id.startswith(form)).click().run()
    assert not at.exception, at.exception


def _changes(at: AppTest) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe)


def test_a_months_value_entered_meanwhile_is_refused_and_the_input_kept(app_db: str) -> None:
    db = Database(app_db)
    manager, admin = demo_actor(db, "manager"), demo_actor(db, "admin")
    fid = forum_service.create_focus(db, manager, SEDEROT, "Raced in the form")
    mid = focuses.add_manual_metric(
        db, manager, SEDEROT, fid, "Hired", "#", "up", 1.0, date(2026, 1, 1), 9.0, date(2027, 1, 1)
    )
    month = date(2026, 3, 1)
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    # Someone else enters March's value after the form was drawn.
    focuses.enter_value(db, admin, SEDEROT, mid, month, 4.0, None)
    _in_form(at.selectbox, "metric_value", "Metric \\*").set_value(mid)
    _in_form(at.date_input, "metric_value", "Month *").set_value(month)
    _in_form(at.number_input, "metric_value", "Value *").set_value(6.5)
    _submit(at, "metric_value", "Save")
    assert any(STALE in str(e.value) for e in at.error), [e.value for e in at.error]
    assert "4.0" in _changes(at) and "6.5" in _changes(at)  # theirs and mine
    with db.transaction() as s:
        stored = s.execute(
            select(MetricValue.value, MetricValue.version).where(MetricValue.metric_id == mid)
        ).all()
    assert [tuple(r) for r in stored] == [(4.0, 1)]
    assert _in_form(at.number_input, "metric_value", "Value *").value == 6.5
    assert _in_form(at.date_input, "metric_value", "Month *").value == month
    assert _in_form(at.selectbox, "metric_value", "Metric \\*").value == mid

    _submit(at, "metric_value", "Save")  # having seen it: mine replaces theirs
    assert not any(STALE in str(e.value) for e in at.error)
    with db.transaction() as s:
        stored = s.execute(
            select(MetricValue.value, MetricValue.version).where(MetricValue.metric_id == mid)
        ).all()
    assert [tuple(r) for r in stored] == [(6.5, 2)]
    db.dispose()


def test_a_standard_renamed_meanwhile_is_refused_and_the_input_kept(app_db: str) -> None:
    db = Database(app_db)
    admin = demo_actor(db, "admin")
    code = certification.standards(db, admin)[0].code
    standards_tab = open_tab("ment_tabs", "ment.tab.certification", "en")
    at = app_as("admin", page="pages/mentoring.py", lang="en", locality=1031, state=standards_tab)
    assert not at.exception, at.exception
    # Another admin renames it after the form was drawn.
    version = certification.standard_versions(db, admin)[code]
    certification.save_standard(db, admin, code, "Renamed by the other admin", version=version)
    at.text_input(key="ment_std_code").input(code)
    at.text_input(key="ment_std_name").input("My better name")
    _submit(at, "ment_std_form", "Save standard")
    assert any(STALE in str(e.value) for e in at.error), [e.value for e in at.error]
    assert "Renamed by the other admin" in _changes(at) and "My better name" in _changes(at)
    with db.transaction() as s:
        name = s.scalar(select(Standard.name).where(Standard.code == code))
    assert name == "Renamed by the other admin"
    assert at.text_input(key="ment_std_code").value == code
    assert at.text_input(key="ment_std_name").value == "My better name"

    _submit(at, "ment_std_form", "Save standard")  # having seen it: mine replaces theirs
    assert not any(STALE in str(e.value) for e in at.error)
    with db.transaction() as s:
        name = s.scalar(select(Standard.name).where(Standard.code == code))
    assert name == "My better name"
    db.dispose()
