"""The briefing page per role, scope and language, in the real app (AppTest)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import streamlit as st
from sqlalchemy import delete
from streamlit.testing.v1 import AppTest

from employdash.db import Database
from employdash.i18n import fmt_month, fmt_number, t
from employdash.indicators import values as indicators
from employdash.models.indicators import IndicatorValue
from tests.app.widgets import widgets
from tests.support.apptest import app_as, texts

PAGE = "pages/briefing.py"


def latest(app_db: str, code: int, indicator: str) -> float:
    db = Database(app_db)
    with db.transaction() as s:
        latest = indicators.latest_value(s, code, indicator)
    db.dispose()
    assert latest is not None
    return latest[1]


def metrics(at: AppTest) -> dict[str, str]:
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
    assert [b.label for b in widgets(at, "download_button")] == ["הורדת PDF (A4)"]


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

        s.execute(delete(IndicatorValue).where(IndicatorValue.locality_code == 1063))
    db.dispose()
    st.cache_data.clear()  # the data changed behind the app's back
    at = app_as("admin", PAGE, lang="en", locality=1063)
    assert not at.exception
    assert "Indicators have not been imported for this locality yet" in texts(at)


# --- every stage of a new installation (indicator values taken away from the demo) -------------

NEWEST = date(2026, 10, 1)  # the demo's newest month
STAGES = {
    "none": lambda: delete(IndicatorValue),
    "one_month": lambda: delete(IndicatorValue).where(IndicatorValue.period != NEWEST),
    "one_measure": lambda: delete(IndicatorValue).where(
        IndicatorValue.indicator_code != "job_seekers"
    ),
    "stale": lambda: delete(IndicatorValue).where(IndicatorValue.period > date(2026, 5, 1)),
}


def _behind() -> int:
    """Months from May 2026 to today's month (the page's briefing is as of today)."""
    today = date.today()
    return (today.year - 2026) * 12 + today.month - 5


def _stage(app_db: str, stage: str) -> None:
    db = Database(app_db)
    with db.transaction() as s:
        s.execute(STAGES[stage]())
    db.dispose()
    st.cache_data.clear()  # the data changed behind the app's back


@pytest.mark.parametrize(
    ("stage", "lang"), [("none", "he"), ("one_month", "en"), ("one_measure", "he"), ("stale", "en")]
)
def test_every_stage_shows_what_it_can_and_the_download(app_db: str, stage: str, lang: str) -> None:
    _stage(app_db, stage)
    at = app_as("mayor", PAGE, lang=lang)
    assert not at.exception, at.exception
    shown = texts(at)
    assert not re.search(r"\bnan\b", shown, re.IGNORECASE)
    assert [b.label for b in widgets(at, "download_button")] == [t("brief.download_pdf", lang)]
    assert t("brief.section.forum", lang) in shown and t("brief.section.mentoring", lang) in shown
    cards = metrics(at)
    charts = at.get("vega_lite_chart")
    if stage == "none":
        assert t("brief.no_data", lang) in shown
        assert t("brief.section.summary", lang) not in shown
        assert not charts and not any(name in cards for name in NAMES_HE)
    elif stage == "one_month":
        assert cards["Job seekers"] == fmt_number(latest(app_db, 1031, "job_seekers"), lang)
        assert len([m for m in at.metric if m.label in NAMES_EN]) == 6
        assert not charts  # one month is no trend
        assert all(not m.proto.delta for m in at.metric if m.label in NAMES_EN)
    elif stage == "one_measure":
        assert [m.label for m in at.metric if m.label in NAMES_HE] == ["דורשי עבודה"]
        assert len(charts) == 1  # the job seekers' trend
    else:
        assert [w.value for w in at.warning] == [
            t("brief.stale", lang, month=fmt_month(date(2026, 5, 1), lang), months=_behind())
        ]
        assert t("brief.section.summary", lang) in shown and len(charts) == 1


NAMES_EN = (
    "Job seekers",
    "Unemployment rate",
    "Average wage",
    "Jobs in the locality",
    "Businesses",
    "Open positions",
)
NAMES_HE = (
    "דורשי עבודה",
    "שיעור אבטלה",
    "שכר ממוצע",
    "מספר משרות ביישוב",
    "מספר עסקים",
    "משרות פנויות",
)
