"""As `manager` in real Chromium: advance participants in the entry tab and see the funnel change;
screenshots in Hebrew and English."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page
from sqlalchemy import select

from employdash.db import Database
from employdash.models.mentoring import PipelineStage, StageEvent
from employdash.services.access import Actor
from employdash.services.mentoring import participants, programs
from employdash.services.mentoring_funnel import Selection, funnel
from employdash.services.users import load_actor
from tests.support.browser import login, screenshot, set_language, wait_idle


def reached(db: Database, actor: Actor) -> list[int]:
    table = funnel(db, actor, Selection(), date.today()).table
    return [int(v) for v in table["reached"]]


def never_matched(db: Database, actor: Actor) -> list[str]:
    """Codes of accepted mentees of the form's first program (Netivot) never matched before,
    so moving them forward raises "reached matched" by one each."""
    program = min(p.id for p in programs(db, actor) if p.locality_code == 246)
    frame = participants(db, actor, 246, "mentee", date.today(), program)
    accepted = frame[(frame["stage"] == "accepted") & (frame["kind"] != "drop")]
    with db.transaction() as s:
        matched_before = set(
            s.scalars(
                select(StageEvent.participant_id)
                .join(PipelineStage)
                .where(PipelineStage.pipeline_code == "mentee", PipelineStage.code == "matched")
            )
        )
    return [
        c
        for c, pid in zip(accepted["code"], accepted["participant_id"], strict=True)
        if pid not in matched_before
    ]


def chart_text(page: Page) -> list[str]:
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("svg").first.wait_for(timeout=30_000)
    return chart.locator("svg text").all_text_contents()


def test_manager_advances_participants_and_sees_the_funnel_change(
    page: Page, server: str, e2e_db: Database
) -> None:
    manager = load_actor(e2e_db, "manager")
    login(page, server, "manager")
    # through the menu: a deep link right after login can race the login cookie
    page.locator(".st-key-nav").get_by_text("משפך חונכות").click()
    page.wait_for_url("**/mentoring")
    page.get_by_text("משפך: הגיעו לכל שלב").wait_for(timeout=30_000)
    wait_idle(page)
    before = reached(e2e_db, manager)
    assert f"{before[3]:,}" in chart_text(page)
    screenshot(page, "mentoring_funnel_he")

    page.get_by_role("tab", name="עדכון").click()
    wait_idle(page)
    picker = page.locator('[data-testid="stMultiSelect"]').filter(has_text="משתתפים (קוד")
    for code in never_matched(e2e_db, manager)[:2]:
        picker.locator("input").click()
        picker.locator("input").fill(code)  # the option list is virtual: filter it first
        page.get_by_role("option").filter(has_text=code).first.click()
        page.keyboard.press("Escape")
    page.get_by_text("קידום משתתפים").click()  # close the option list
    screenshot(page, "mentoring_entry_he")
    page.locator('[data-testid="stFormSubmitButton"] button', has_text="שמירה").first.click()
    wait_idle(page)
    page.get_by_text("עודכנו 2 משתתפים.").wait_for(timeout=20_000)
    wait_idle(page)

    after = reached(e2e_db, manager)
    assert after[3] == before[3] + 2 and after[:3] == before[:3]
    page.get_by_role("tab", name="משפך").click()
    wait_idle(page)
    assert f"{after[3]:,}" in chart_text(page)
    screenshot(page, "mentoring_after_he")

    page.get_by_role("tab", name="משתתפים").click()
    wait_idle(page)
    assert page.get_by_text("בקודים בלבד").first.is_visible()
    screenshot(page, "mentoring_participants_he")
    page.get_by_role("tab", name="המתנה להצמדה").click()
    wait_idle(page)
    screenshot(page, "mentoring_waiting_he")
    page.get_by_role("tab", name="משפך").click()
    wait_idle(page)
    page.set_viewport_size({"width": 1400, "height": 3400})  # the whole funnel tab
    wait_idle(page)
    screenshot(page, "mentoring_funnel_full_he")

    set_language(page, "en")
    wait_idle(page)
    screenshot(page, "mentoring_funnel_full_en")
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert page.get_by_text("Funnel: reached each stage").is_visible()
    screenshot(page, "mentoring_funnel_en")
    page.get_by_role("tab", name="Cohorts").click()
    wait_idle(page)
    screenshot(page, "mentoring_cohorts_en")
    page.get_by_role("tab", name="Compare").click()
    wait_idle(page)
    screenshot(page, "mentoring_compare_en")
    set_language(page, "he")
