"""The briefing page per role, scope and language, in the real app (AppTest)."""

from __future__ import annotations

import streamlit as st

from employdash.db import Database
from employdash.i18n import fmt_number
from employdash.indicators import values as indicators
from tests.support.apptest import app_as, texts

PAGE = "pages/briefing.py"


def latest(app_db: str, code: int, indicator: str) -> float:
    db = Database(app_db)
    with db.transaction() as s:
        _, value = indicators.latest_value(s, code, indicator)
    db.dispose()
    return value


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_mayor_reads_sederot_in_hebrew(app_db: str) -> None:
    at = app_as("mayor", PAGE, lang="he")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "תדריך: שדרות" in shown
    cards = metrics(at)
    assert cards["דורשי עבודה"] == fmt_number(latest(app_db, 1031, "job_seekers"), "he")
    assert cards["שכר ממוצע"] == "₪" + fmt_number(latest(app_db, 1031, "avg_wage"), "he")
    assert "דורשי עבודה: גרוע מאשתקד" in shown  # the attention list's first item
    assert "משימות שהושלמו" in cards and "שלב:" in shown  # the forum's status
    assert "חניכים פעילים" in cards  # the mentoring snapshot
    assert [b.label for b in at.get("download_button")] == ["הורדת PDF (A4)"]


def test_english_sentences_and_print_view(app_db: str) -> None:
    at = app_as("mayor", PAGE, lang="en")
    shown = texts(at)
    assert "Briefing: Sederot" in shown
    assert "Job seekers rose" in shown and "Southern district" in shown
    assert "Print view" not in shown
    at.toggle(key="brief_print_view").set_value(True).run()
    assert not at.exception
    assert "Print view: print with Ctrl+P" in texts(at)


def test_mayor_cannot_switch_to_netivot(app_db: str) -> None:
    at = app_as("mayor", PAGE, lang="en", locality=246)
    assert "Briefing: Sederot" in texts(at)  # the picker only offers Sederot
    assert "Netivot" not in texts(at)


def test_manager_reads_netivot(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=246)
    assert not at.exception
    assert "Briefing: Netivot" in texts(at)
    assert metrics(at)["Job seekers"] == fmt_number(latest(app_db, 246, "job_seekers"), "en")


def test_empty_states(app_db: str) -> None:
    at = app_as("admin", PAGE, lang="en", locality=1063)  # no mentoring program there
    assert "There is no mentoring program in this locality." in texts(at)
    db = Database(app_db)
    with db.transaction() as s:
        from employdash.models.indicators import IndicatorValue

        s.execute(IndicatorValue.__table__.delete().where(IndicatorValue.locality_code == 1063))
    db.dispose()
    st.cache_data.clear()  # the data changed behind the app's back
    at = app_as("admin", PAGE, lang="en", locality=1063)
    assert not at.exception
    assert "There are no indicator figures for this locality yet." in texts(at)
