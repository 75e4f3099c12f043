"""The manager sends a meeting's minutes from the forum page, reached through the link a minutes
e-mail carries: the recipients and the unreachable are listed first, the count confirmed after,
and the record says when they were sent (real app, real Chromium; screenshots in Hebrew and
English under tests/artifacts/screenshots/mail/)."""

from __future__ import annotations

from playwright.sync_api import Page
from sqlalchemy import func, select

from employdash.db import Database
from employdash.forum import meetings
from employdash.models.mail import OutboxMessage
from tests.app.accounts import demo_actor
from tests.support.browser import login, open_page, screenshot, set_language, wait_idle

SEDEROT = 1031


def _open_send_form(page: Page, label: str) -> None:
    page.locator('[data-testid="stExpander"] summary', has_text=label).first.click()
    wait_idle(page)


def test_manager_sends_the_minutes_from_the_meeting_s_record(
    page: Page, server: str, e2e_db: Database
) -> None:
    manager = demo_actor(e2e_db, "manager")
    meeting = meetings.list_meetings(e2e_db, manager, SEDEROT)[0]["id"]
    login(page, server, "manager")
    open_page(page, server, f"forum?locality={SEDEROT}&meeting={meeting}")
    _open_send_form(page, "שליחת הסיכום בדואר אלקטרוני")
    form = page.locator('[data-testid="stForm"]').filter(has_text="הסיכום יישלח אל:")
    assert form.count() == 1
    form.scroll_into_view_if_needed()
    screenshot(page, "mail/send-minutes-he")
    form.get_by_role("textbox").fill("נא לקרוא לפני יום ראשון")
    form.get_by_role("button", name="שליחה").click()
    wait_idle(page)
    page.get_by_text("הסיכום נשלח ל-").first.wait_for()
    with e2e_db.transaction() as s:
        queued = s.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "minutes")
        )
    assert queued and page.get_by_text(f"אל {queued} נמענים").count() == 1

    set_language(page, "en")
    open_page(page, server, f"forum?locality={SEDEROT}&meeting={meeting}")
    _open_send_form(page, "Send the minutes by e-mail")
    assert page.get_by_text(f"to {queued} recipients.").count() == 1
    screenshot(page, "mail/send-minutes-en")
