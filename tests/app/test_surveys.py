"""The organisations and employer survey page per role and scope."""

from __future__ import annotations

import pytest

from employdash.db import Database
from employdash.i18n import fmt_number
from employdash.stakeholders import surveys
from employdash.users import load_actor
from tests.support.apptest import app_as, texts

PAGE = "pages/surveys.py"


def test_manager_sees_the_locality_summary_and_can_import(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031)
    assert not at.exception, at.exception
    db = Database(app_db)
    summary = surveys.summary(db, load_actor(db, "manager"), [1031])
    shown = texts(at)
    assert f"Employers responding {fmt_number(summary.respondents, 'en')}" in shown
    assert f"Open positions {fmt_number(summary.open_positions, 'en')}" in shown
    assert [t.label for t in at.tabs][-1] == "Import from file"
    assert "Save the response" in [b.label for b in at.button]


def test_region_scope_sums_the_managers_localities(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031)
    at.session_state["survey_scope"] = "region"
    at.run()
    assert not at.exception, at.exception
    db = Database(app_db)
    region = surveys.summary(db, load_actor(db, "manager"), [246, 1031])
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
