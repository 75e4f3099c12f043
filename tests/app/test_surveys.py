"""The organisations and employer survey page per role and scope."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from employdash.db import Database
from employdash.i18n import fmt_number
from employdash.stakeholders import surveys
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as, texts

PAGE = "pages/surveys.py"


def test_manager_sees_the_locality_summary_and_can_import(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031)
    assert not at.exception, at.exception
    db = Database(app_db)
    summary = surveys.summary(db, demo_actor(db, "manager"), [1031])
    shown = texts(at)
    assert f"Employers responding {fmt_number(summary.respondents, 'en')}" in shown
    assert f"Open positions {fmt_number(summary.open_positions, 'en')}" in shown
    assert [t.label for t in at.tabs][-1] == "Import from file"
    assert "Save the response" in [b.label for b in at.button]


def test_region_scope_sums_the_managers_localities(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031)
    at.session_state["survey_scope_en"] = "region"
    at.run()
    assert not at.exception, at.exception
    db = Database(app_db)
    region = surveys.summary(db, demo_actor(db, "manager"), [246, 1031])
    assert f"Open positions {fmt_number(region.open_positions, 'en')}" in texts(at)
    assert "By locality" in texts(at)


def test_leadership_reads_in_hebrew_without_forms(app_db: str) -> None:
    at = app_as("mayor", PAGE, lang="he", locality=1031)
    assert not at.exception, at.exception
    assert "מעסיקים שהשיבו" in texts(at)
    assert "ייבוא מקובץ" not in [t.label for t in at.tabs]
    assert "שמירת התשובה" not in [b.label for b in at.button]


def test_member_cannot_reach_the_page(app_db: str) -> None:
    at = app_as("member")
    with pytest.raises(Exception):  # noqa: B017 - not in the member's navigation
        at.switch_page(PAGE).run()


def _button(at: AppTest, label: str) -> Button:
    return next(b for b in at.button if b.label == label)


def test_manager_enters_a_response_with_the_annex_questions(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031)
    at.text_input(key="survey_add_company").input("Annex Works")
    at.radio(key="survey_add_contact_consent_en").set_value(True)
    at.radio(key="survey_add_recruiting_help_en").set_value(True)
    at.radio(key="survey_add_training_offered_en").set_value("program")
    at.radio(key="survey_add_training_need_en").set_value("onboarding")
    at.radio(key="survey_add_remote_work_en").set_value("considering")
    _button(at, "Save the response").click().run()
    assert not at.exception, at.exception
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    frame = surveys.responses(db, manager, 1031)
    row = frame[frame.company == "Annex Works"].iloc[0]
    assert (row.contact_consent, row.recruiting_help, row.training_offered) == (
        True,
        True,
        "program",
    )
    assert (row.training_need, row.remote_work) == ("onboarding", "considering")


def test_manager_corrects_a_response_in_place(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    at = app_as("manager", PAGE, lang="en", locality=1031)
    assert "Correct a response" in [e.label for e in at.expander]
    picked = at.selectbox(key="survey_edit_pick_en").value
    assert picked is not None
    before, version = surveys.get_response(db, manager, picked)
    prefix = f"survey_edit_{picked}_{version}"
    assert at.text_input(key=f"{prefix}_phone").value == (before.contact_phone or "")
    at.text_input(key=f"{prefix}_phone").input("050-7654321")
    at.number_input(key=f"{prefix}_employees").set_value(321)
    _button(at, "Save the correction").click().run()
    assert not at.exception, at.exception
    after, new_version = surveys.get_response(db, manager, picked)
    assert (after.contact_phone, after.employee_count, new_version) == (
        "050-7654321",
        321,
        version + 1,
    )
    assert after.positions == before.positions and after.survey_date == before.survey_date
    assert "Correction saved." in texts(at)


def _refused(at: AppTest, summary: str, *items: str) -> None:
    """The summary on top names every item, and each item also stands under its field."""
    from tests.support.apptest import rendered

    assert not at.exception, at.exception
    errors = [rendered(str(e.value)) for e in at.error]
    assert any(summary in e for e in errors), errors
    for item in items:
        assert sum(item in e for e in errors) >= 2, (item, errors)


def test_refused_survey_response_keeps_every_answer(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031)
    at.text_input(key="survey_add_company").input("Refused Works")
    at.radio(key="survey_add_has_vacancies_en").set_value(False)
    at.number_input(key="survey_add_vacancies").set_value(5)  # Q7 after a "no" to Q6
    at.radio(key="survey_add_recruiting_help_en").set_value(True)
    at.text_input(key="survey_add_phone").input("050-1112223")
    _button(at, "Save the response").click().run()
    _refused(at, "one field needs fixing", "Are there open positions? (Q6): Invalid value")
    assert at.text_input(key="survey_add_company").value == "Refused Works"
    assert at.number_input(key="survey_add_vacancies").value == 5
    assert at.radio(key="survey_add_recruiting_help_en").value is True
    assert at.text_input(key="survey_add_phone").value == "050-1112223"
    assert any("Fields marked * are required" in c.value for c in at.caption)


def test_refused_correction_and_profile_forms(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031)
    picked = at.selectbox(key="survey_edit_pick_en").value
    assert picked is not None
    db = Database(app_db)
    _, version = surveys.get_response(db, demo_actor(db, "manager"), picked)
    db.dispose()
    prefix = f"survey_edit_{picked}_{version}"
    at.text_input(key=f"{prefix}_email").input("not an address")
    _button(at, "Save the correction").click().run()
    _refused(at, "one field needs fixing", "Email: This is not a valid e-mail address")
    assert at.text_input(key=f"{prefix}_email").value == "not an address"

    goals = next(a for a in at.text_area if a.label == "Goals")
    goals.input("x" * 4_001)
    next(b for b in at.button if b.label == "Save" and "org_profile" in str(b.key)).click().run()
    _refused(at, "one field needs fixing", "Goals: Too long")
    assert next(a for a in at.text_area if a.label == "Goals").value == "x" * 4_001
