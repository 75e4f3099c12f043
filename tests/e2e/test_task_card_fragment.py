"""A member's status tap reruns the task card alone: the card shows the new status at once, and
the rest of the page (the work plan's board, whose counts the tap changes) stays as it was drawn
until the page runs again."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from employdash.db import Database
from employdash.models import User
from employdash.models.forum import Task
from tests.support.browser import login, screenshot, wait_idle

COUNT = re.compile(r"בביצוע \((\d+)\)")


def _board_counts(page: Page) -> list[int]:
    """The board's "in progress (n)" column headers, in page order."""
    found = page.locator(".stMain [data-testid=stMarkdownContainer]").all_inner_texts()
    return [int(m.group(1)) for text in found for m in COUNT.finditer(text)]


def _statuses(db: Database) -> dict[int, str]:
    with db.transaction() as s:
        return {t.id: t.status for t in s.scalars(select(Task))}


def test_a_status_tap_changes_the_card_and_leaves_the_page(
    browser: Browser, server: str, e2e_db: Database
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        login(page, server, "member")  # lands on the tasks page
        board = _board_counts(page)
        assert board, "the work plan's board is drawn below the member's cards"
        before = _statuses(e2e_db)
        with e2e_db.transaction() as s:
            task_id = s.scalar(
                select(Task.id)
                .join(User, User.person_id == Task.owner_person_id)
                .where(User.username == "member", Task.status == "not_started")
                .order_by(Task.id)
            )
        assert task_id is not None
        card = page.locator(f".st-key-task_card_{task_id}").first
        card.get_by_role("radio", name=re.compile("בביצוע")).click()
        wait_idle(page)
        after = _statuses(e2e_db)
        assert {t for t in after if after[t] != before[t]} == {task_id}
        assert after[task_id] == "in_progress"
        # The card shows its new status.
        expect(card.get_by_role("radio", name=re.compile("בביצוע"))).to_have_attribute(
            "aria-checked", "true"
        )
        assert _board_counts(page) == board  # the board was not drawn again
        screenshot(page, "task_card_fragment_he")
        page.reload()
        page.wait_for_selector(".st-key-nav", timeout=30_000)
        wait_idle(page)
        assert sum(_board_counts(page)) == sum(board) + 1  # a page run counts the change
    finally:
        context.close()
