"""A tick in the meeting form's attendance reruns that section alone: its count changes, what was
typed in the notes stays, and the refused save's summary at the top of the page (which a page
run would draw anew, empty) is still there. A save clicked straight from a text area is not lost
(the reason the text areas are not in a fragment)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from employdash.db import Database
from employdash.forum import meetings
from employdash.models.forum import Meeting, Task
from tests.app.accounts import demo_actor
from tests.support.browser import login, open_page, screenshot, set_language, wait_idle

SEDEROT = 1031
DECISION = "לקיים יריד תעסוקה בחודש הבא"
COUNT = re.compile(r"נכחו (\d+) מתוך")


def _open_form(page: Page, server: str) -> None:
    login(page, server, "manager")
    open_page(page, server, "meeting")
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.keyboard.type("שדרות")
    page.keyboard.press("Enter")
    wait_idle(page)


def test_a_tick_changes_attendance_and_keeps_the_notes(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="he-IL")
    page = context.new_page()
    try:
        _open_form(page, server)
        decisions = page.get_by_role("textbox", name="החלטות ותוצרים")
        decisions.fill(DECISION)
        page.get_by_role("textbox", name="אורחים").fill(", מכללת ספיר")  # a guest with no name
        wait_idle(page)
        # Saved straight from the text area: its value and the click both reach the save.
        page.get_by_role("button", name="שמירת סיכום המפגש").click()
        wait_idle(page)
        summary = page.get_by_text("הטופס לא נשמר")
        expect(summary).to_be_visible()
        count = page.get_by_text(COUNT)
        before = int(COUNT.search(count.inner_text()).group(1))  # type: ignore[union-attr]
        page.locator('[data-testid="stCheckbox"]').first.click()
        wait_idle(page)
        expect(count).to_contain_text(f"נכחו {before + 1} מתוך")
        expect(decisions).to_have_value(DECISION)
        expect(summary).to_be_visible()  # the page above the section was not drawn again
        screenshot(page, "meeting_form_sections_he")
        set_language(page, "en")
        expect(page.get_by_role("textbox", name="Decisions and outputs")).to_have_value(DECISION)
        expect(page.get_by_text(re.compile(rf"^{before + 1} of \d+ present"))).to_be_visible()
        screenshot(page, "meeting_form_sections_en")
        set_language(page, "he")  # the choice is kept for the user: the next tests read Hebrew
    finally:
        context.close()


def test_a_save_clicked_while_a_task_cell_is_typed_saves_the_task(
    browser: Browser, server: str, e2e_db: Database
) -> None:
    """The task table reruns the page: inside a fragment, the cell's value sent as it lost focus
    swallowed the save's click."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="he-IL")
    page = context.new_page()
    meetings.discard_draft(e2e_db, demo_actor(e2e_db, "manager"), SEDEROT)  # a form from empty
    try:
        _open_form(page, server)
        with e2e_db.transaction() as s:
            before = s.scalars(select(func.count()).select_from(Meeting)).one()
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 200, box["y"] + 55)  # the empty row at the end adds a row
        wait_idle(page)
        page.mouse.dblclick(box["x"] + 200, box["y"] + 55)
        page.keyboard.type("להזמין אולם")
        page.get_by_role("button", name="שמירת סיכום המפגש").click()
        page.get_by_text("סיכום המפגש נשמר").wait_for(timeout=30_000)
        with e2e_db.transaction() as s:
            assert s.scalar(select(func.count()).select_from(Meeting)) == before + 1
            mid = s.scalar(select(func.max(Meeting.id)))
            assert s.scalars(select(Task.title).where(Task.meeting_id == mid)).all() == [
                "להזמין אולם"
            ]
    finally:
        context.close()
