"""The forum page's year summary: on screen first, in both versions and languages, then the
four downloads."""

from __future__ import annotations

import pytest

from employdash.i18n import t
from employdash.seed.context import DEMO_AS_OF
from tests.support.apptest import app_as, open_tab, texts

SEDEROT = 1031
YEAR_SUMMARY = open_tab("forum_tabs", "summary.section", "en")  # the year summary
DOWNLOADS = ("pdf_he", "docx_he", "pdf_en", "docx_en")
TAB = {"he": "סיכום שנתי", "en": "Year summary"}


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_manager_reads_the_year_summary_then_the_publication_version(
    app_db: str, lang: str
) -> None:
    at = app_as(
        "manager",
        page="pages/forum.py",
        lang=lang,
        locality=SEDEROT,
        state=open_tab("forum_tabs", "summary.section", lang),
    )
    assert not at.exception, at.exception
    assert TAB[lang] in [tab.label for tab in at.tabs]
    year = DEMO_AS_OF.year - 1  # the year before the (pinned) demo's: a whole year of meetings
    at.selectbox(key=f"year_summary_year_{lang}").set_value(year).run()
    shown = texts(at)
    heading = "מפגשים ונוכחות" if lang == "he" else "Meetings held and attendance"
    assert heading in shown and str(year) in shown
    overdue = "• באיחור:" if lang == "he" else "• Overdue:"
    assert overdue in shown  # the internal version names the overdue tasks
    at.radio(key=f"year_summary_version_{lang}").set_value("publication").run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert ("לפרסום" if lang == "he" else "for publication") in shown
    assert overdue not in shown
    names = {b.proto.label for b in at.get("download_button")}
    assert {t(f"summary.download.{k}", lang) for k in DOWNLOADS} <= names


def test_a_member_reads_it_without_the_mentoring_section(app_db: str) -> None:
    at = app_as("member", page="pages/forum.py", lang="en", locality=SEDEROT, state=YEAR_SUMMARY)
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Meetings held and attendance" in shown
    assert "Mentoring outcomes" not in shown
