"""The served app runs notify in the background (demo mode) and answers the unsubscribe link:
a GET only shows the button, the one-click POST stops the mail, and an unknown token is a 404;
a reminder's link to a task opens its card."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select

from employdash.db import Database
from employdash.mail import schedule
from employdash.models import AuditEntry, User
from employdash.models.forum import Task
from employdash.models.mail import MailPreference, OutboxMessage, ScheduledRun
from tests.support.browser import app_server, login, screenshot, wait_idle
from tests.support.databases import copy_sqlite


@pytest.fixture(scope="module")
def served(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Database]]:
    url = copy_sqlite(sqlite_template, tmp_path_factory.mktemp("unsub") / "app.db")
    db = Database(url)
    with app_server(url, extra_env={"NOTIFY_INTERVAL_SECONDS": "1"}) as base:
        yield base, db
    db.dispose()


def _request(url: str, method: str = "GET", body: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def _reminder_token(db: Database) -> tuple[int, str]:
    """Waits for the in-app runner's whole first round (its last kind, the weekly digest, builds
    briefing PDFs in its transaction: on SQLite a write beside it waits, and under load fails),
    then a reminder's holder and token."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with db.transaction() as s:
            finished = s.scalar(
                select(ScheduledRun.id).where(
                    ScheduledRun.kind == schedule.KINDS[-1].name,
                    ScheduledRun.finished_at.is_not(None),
                )
            )
            row = s.execute(
                select(MailPreference.id, MailPreference.token)
                .where(MailPreference.person_id.is_not(None))
                .order_by(MailPreference.id)
            ).first()
        if finished and row:
            return row.id, row.token
        time.sleep(0.5)
    raise AssertionError("the in-app runner queued no reminder within a minute")


def test_in_app_notify_queues_reminders_and_the_link_unsubscribes_only_on_post(
    served: tuple[str, Database],
) -> None:
    base, db = served
    pref_id, token = _reminder_token(db)
    with db.transaction() as s:
        reminder = s.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "reminder").limit(1)
        ).one()
        assert reminder.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    status, page = _request(f"{base}/mail/unsubscribe?token={token}")
    assert status == 200 and 'method="post"' in page and "<button" in page
    with db.transaction() as s:  # a GET (a link scanner) changes nothing
        assert s.get(MailPreference, pref_id).reminders_off is False  # type: ignore[union-attr]

    one_click = b"List-Unsubscribe=One-Click"
    status, page = _request(f"{base}/mail/unsubscribe?token={token}", "POST", one_click)
    assert status == 200 and "resubscribe" in page
    with db.transaction() as s:
        pref = s.get(MailPreference, pref_id)
        assert pref is not None and (pref.reminders_off, pref.digest_off) == (True, True)
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "mail_preference")).all()
    assert [(a.username, a.action) for a in audit] == [("unsubscribe-link", "unsubscribe")]

    status, _page = _request(f"{base}/mail/resubscribe?token={token}", "POST", b"")
    assert status == 200
    with db.transaction() as s:
        assert s.get(MailPreference, pref_id).reminders_off is False  # type: ignore[union-attr]

    for unknown in ("nobody-holds-this", ""):
        status, page = _request(f"{base}/mail/unsubscribe?token={unknown}", "POST", one_click)
        assert status == 404 and "nobody" not in page
        status, _page = _request(f"{base}/mail/unsubscribe?token={unknown}")
        assert status == 404


def test_a_reminders_task_link_opens_the_card_for_a_member_on_a_phone(
    served: tuple[str, Database], browser: Browser
) -> None:
    """/tasks is the member's landing page, which Streamlit serves at the root: the link must
    open it all the same, with the linked card first and no "page not found"."""
    base, db = served
    with db.transaction() as s:
        person_id = s.scalar(select(User.person_id).where(User.username == "member"))
        task_id = s.scalar(
            select(Task.id).where(Task.owner_person_id == person_id).order_by(Task.id.desc())
        )
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="he-IL")
    page = context.new_page()
    try:
        login(page, base, "member")
        page.goto(f"{base}/tasks?task={task_id}")
        page.wait_for_selector(".st-key-linked_task", timeout=30_000)
        wait_idle(page)
        assert page.locator('[data-testid="stDialog"]').count() == 0
        box = page.locator(".st-key-linked_task").bounding_box()
        assert box is not None and box["y"] < 844  # on the first screen, no scrolling
        screenshot(page, "task_link_member_phone_he")
    finally:
        context.close()
