"""Every link a mail carries logs in where it points, also as a freshly started server's first
request: the login form is drawn at the link's own address, and the run that logs in shows the
page with the link's query (a reminder's task, the minutes' meeting and locality)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from employdash.db import Database
from employdash.i18n import t
from employdash.models import User
from employdash.models.forum import Forum, Meeting, Task
from tests.support.browser import app_server, submit_login, wait_idle
from tests.support.databases import copy_sqlite

SEDEROT = 1031


@pytest.fixture(scope="module")
def fresh(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Database]]:
    """A server of this module's own: its first visitor is the first test's page."""
    url = copy_sqlite(sqlite_template, tmp_path_factory.mktemp("links") / "app.db")
    db = Database(url)
    with app_server(url) as base:
        yield base, db
    db.dispose()


def _open_logged_out(browser: Browser, url: str) -> Page:
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(url)
    page.wait_for_selector('[data-testid="stForm"]', timeout=90_000)  # the login form, there
    wait_idle(page)
    return page


def test_a_reminders_task_link_is_the_first_request_of_a_fresh_server(
    fresh: tuple[str, Database], browser: Browser
) -> None:
    base, db = fresh
    with db.transaction() as s:
        person_id = s.scalar(select(User.person_id).where(User.username == "member"))
        task_id = s.scalar(select(Task.id).where(Task.owner_person_id == person_id).limit(1))
    page = _open_logged_out(browser, f"{base}/tasks?task={task_id}")
    try:
        submit_login(page, "member")
        page.wait_for_selector(".st-key-linked_task", timeout=30_000)
        assert f"task={task_id}" in page.url
    finally:
        page.context.close()


def test_the_minutes_link_opens_its_meeting_after_the_login(
    fresh: tuple[str, Database], browser: Browser
) -> None:
    """The forum page is no one's landing page: before, its address fell back to the login page
    and the meeting and locality the link named were lost."""
    base, db = fresh
    with db.transaction() as s:
        meeting_id = s.scalar(
            select(Meeting.id)
            .join(Forum, Forum.id == Meeting.forum_id)
            .where(Forum.locality_code == SEDEROT)
            .limit(1)
        )
    page = _open_logged_out(browser, f"{base}/forum?locality={SEDEROT}&meeting={meeting_id}")
    try:
        submit_login(page, "manager")
        tab = page.get_by_role("tab", name=t("forum.tab.meetings", "he"))
        tab.wait_for(timeout=30_000)
        assert tab.get_attribute("aria-selected") == "true"
        assert "/forum" in page.url
        page.get_by_text("פורום התעסוקה שדרות", exact=True).wait_for()  # the link's locality
    finally:
        page.context.close()
