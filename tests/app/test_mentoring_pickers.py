"""The mentoring pickers that redraw one part of the page (the sessions of a match, the
programme edited, the programme a cohort is made in) are fragments: picking changes that part and
leaves what was typed elsewhere on the page."""

from __future__ import annotations

from employdash.db import Database
from employdash.mentoring import matches
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as, open_tab

PAGE = "pages/mentoring.py"
SESSIONS = ",Session date,Duration (minutes),"  # the sessions table's header
MATCHES = open_tab("ment_tabs", "ment.tab.matches", "en")
PROGRAMS = open_tab("ment_tabs", "ment.tab.programs", "en")


def _sessions(tables: list[str]) -> list[str]:
    return [t for t in tables if t.startswith(SESSIONS)]


def _others(tables: list[str]) -> list[str]:
    return [t for t in tables if not t.startswith(SESSIONS)]


def test_picking_a_match_shows_its_sessions_and_keeps_the_rest(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    first, other = [m for m in matches.matches(db, manager, 1031) if m.status == "active"][:2]
    at = app_as("manager", PAGE, lang="en", locality=1031, state=MATCHES)
    at.selectbox(key="ment_ses_match").set_value(first.id)
    at.text_input(key="ment_ses_note").input("called twice")
    next(b for b in at.button if b.label == "Log session").click().run()
    at.number_input(key="ment_quiet_weeks").set_value(5).run()
    at.selectbox(key="ment_ses_show").set_value(other.id).run()
    tables = [df.value.to_csv() for df in at.dataframe]
    at.selectbox(key="ment_ses_show").set_value(first.id).run()
    assert not at.exception, at.exception
    after = [df.value.to_csv() for df in at.dataframe]
    assert "called twice" in "".join(_sessions(after)) and "called twice" not in "".join(tables)
    assert _others(after) == _others(tables)  # every other table as it was
    assert at.number_input(key="ment_quiet_weeks").value == 5
    db.dispose()


def test_picking_the_programme_edited_keeps_the_cohorts_programme(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=246, state=PROGRAMS)
    assert len(at.selectbox(key="ment_prog_edit").options) >= 2
    at.selectbox(key="ment_coh_program").select_index(1).run()
    cohort_programme = at.selectbox(key="ment_coh_program").value
    members = at.multiselect(key="ment_coh_members").options
    before = at.selectbox(key="ment_prog_edit").value
    at.selectbox(key="ment_prog_edit").select_index(1).run()
    assert not at.exception, at.exception
    after = at.selectbox(key="ment_prog_edit").value
    assert after != before
    assert at.text_input(key=f"ment_prog_edit_{after}_name").value
    assert at.selectbox(key="ment_coh_program").value == cohort_programme
    assert at.multiselect(key="ment_coh_members").options == members
