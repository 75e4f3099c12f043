"""The certification result form refuses a result dated after today at its date field, keeps
what was typed and writes nothing; a result entered by someone else after the form was drawn is
refused (the form saves over the versions it was drawn from), with the input kept."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from employdash.db import Database
from employdash.mentoring import certification
from employdash.models import AuditEntry
from employdash.models.mentoring import Assessment
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as, open_tab, rendered

PAGE = "pages/mentoring.py"
STALE = "Someone else saved this record meanwhile"
CERTIFICATION = open_tab("ment_tabs", "ment.tab.certification", "en")


def _save(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Save result").click().run()
    assert not at.exception, at.exception


def _results(db: Database, who: int) -> list[tuple[int, bool, str | None]]:
    with db.transaction() as s:
        return [
            (r.standard_id, r.passed, r.gap_note)
            for r in s.scalars(select(Assessment).where(Assessment.participant_id == who))
        ]


def test_a_result_dated_after_today_is_refused_at_the_date(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031, state=CERTIFICATION)
    assert not at.exception, at.exception
    db = Database(app_db)
    who = at.selectbox(key="ment_cert_who").value
    assert who is not None
    before = _results(db, who)
    with db.transaction() as s:
        mark = s.scalar(select(func.max(AuditEntry.id))) or 0
    tomorrow = date.today() + timedelta(days=1)
    at.date_input(key="ment_cert_date").set_value(tomorrow)
    at.text_input(key="ment_cert_note").input("needs practice")
    _save(at)
    errors = [rendered(str(e.value)) for e in at.error]
    assert any("one field needs fixing" in e and "- Date: Out of range" in e for e in errors), (
        errors
    )
    assert any(e.startswith("Date: Out of range") for e in errors), errors
    assert at.date_input(key="ment_cert_date").value == tomorrow
    assert at.text_input(key="ment_cert_note").value == "needs practice"
    assert _results(db, who) == before
    with db.transaction() as s:
        assert s.scalar(select(func.count()).where(AuditEntry.id > mark)) == 0
    db.dispose()


def test_a_result_entered_meanwhile_is_refused_and_the_input_kept(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031, state=CERTIFICATION)
    assert not at.exception, at.exception
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    who = at.selectbox(key="ment_cert_who").value
    assert who is not None
    standard = at.selectbox(key="ment_cert_std").value
    assert standard is not None
    assert standard not in {r[0] for r in _results(db, who)}
    # Someone else records this trainee's result on the standard after the form was drawn.
    certification.record_assessment(db, manager, who, standard, True, date.today())
    at.radio(key="ment_cert_passed_en").set_value(False)
    at.text_input(key="ment_cert_note").input("my own note")
    _save(at)
    assert any(STALE in str(e.value) for e in at.error), [e.value for e in at.error]
    assert at.text_input(key="ment_cert_note").value == "my own note"
    assert [r for r in _results(db, who) if r[0] == standard] == [(standard, True, None)]
    _save(at)  # having seen it: mine replaces theirs
    assert not any(STALE in str(e.value) for e in at.error)
    assert [r for r in _results(db, who) if r[0] == standard] == [(standard, False, "my own note")]
    db.dispose()
