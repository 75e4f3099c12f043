"""A tick in the meeting form's attendance reruns that section alone: its count changes, what was
typed in the notes stays, and the refused save's summary at the top of the page (which a page
run would draw anew, empty) is still there. A save clicked straight from a text area is not lost
(the reason the text areas are not in a fragment)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.support.browser import login, open_page, screenshot, set_language, wait_idle

DECISION = "לקיים יריד תעסוקה בחודש הבא"
COUNT = re.compile(r"נכחו (\d+) מתוך")


def test_a_tick_changes_attendance_and_keeps_the_notes(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="he-IL")
    page = context.new_page()
    try:
        login(page, server, "manager")
        open_page(page, server, "meeting")
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
        page.keyboard.type("שדרות")
        page.keyboard.press("Enter")
        wait_idle(page)
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
    finally:
        context.close()
