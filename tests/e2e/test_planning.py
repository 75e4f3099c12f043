"""Planned meetings in real Chromium: an invitation's link opened before login logs in and lands
on the answer (the link's token kept), the answer is stored; the RSVP page and the forum's
upcoming meetings pass axe-core in Hebrew and English (screenshots kept to look at)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from employdash.db import Database
from employdash.forum import planning
from employdash.i18n import local_today, t
from employdash.models.forum import Invitee
from employdash.users import load_actor
from tests.e2e.test_forum_flow import _pick_sederot
from tests.forum.helpers import team_of_kind
from tests.support import axe
from tests.support.browser import login, screenshot, set_language, wait_idle

SEDEROT = 1031


def _schedule(db: Database) -> str:
    """A plenary meeting in two days inviting the manager, the member and a guest, the manager
    not coming (so the two-thirds warning shows): the member's token."""
    manager, member = load_actor(db, "manager"), load_actor(db, "member")
    assert manager is not None and member is not None
    team = team_of_kind(db)
    values = {
        "team_id": team,
        "on_date": local_today() + timedelta(days=2),
        "starts": time(17, 30),
        "ends": time(19, 0),
        "place": "אולם המועצה, קומה 2",
        "online_url": "https://meet.example.org/sederot-forum",
        "agenda": [
            {"topic": "יריד תעסוקה לצעירים", "presenter": "דנה", "minutes": 20},
            {"topic": "סקר מעסיקים", "presenter": None, "minutes": 15},
        ],
        "invitee_ids": [manager.person_id, member.person_id],
        "guests": [{"name": "רות אורחת", "email": "ruth@example.org"}],
    }
    planned_id = planning.schedule_meeting(db, manager, SEDEROT, values)
    with db.transaction() as s:
        token = s.scalar(
            select(Invitee.token).where(
                Invitee.planned_meeting_id == planned_id, Invitee.person_id == member.person_id
            )
        )
        mine = s.scalar(
            select(Invitee.token).where(
                Invitee.planned_meeting_id == planned_id, Invitee.person_id == manager.person_id
            )
        )
    assert token is not None and mine is not None
    planning.answer_invitation(db, manager, mine, "not_coming")
    return token


@pytest.fixture(scope="module")
def planned(e2e_db: Database) -> str:
    return _schedule(e2e_db)


def _clean(page: Page, where: str) -> None:
    findings = axe.scan(page, where)
    assert not findings, "\n" + "\n".join(f.describe() for f in findings)


def test_the_link_logs_in_and_lands_on_the_answer(
    browser: Browser, server: str, e2e_db: Database, planned: str
) -> None:
    token = planned
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{server}/rsvp?token={token}")
        wait_idle(page, timeout=90_000)
        form = page.locator('[data-testid="stForm"]').first
        form.locator('input[type="text"]').first.fill("member")
        form.locator('input[type="password"]').first.fill("demo")
        form.locator('[data-testid="stFormSubmitButton"] button').click()
        page.wait_for_selector(".st-key-nav", state="attached", timeout=60_000)
        wait_idle(page)
        coming = page.get_by_role("button", name=t("planning.answer.coming", "he"), exact=True)
        coming.wait_for(timeout=30_000)
        assert "token=" in page.url
        _clean(page, "rsvp/he")
        screenshot(page, "planning_rsvp_he")
        coming.click()
        wait_idle(page)
        page.get_by_text(t("planning.rsvp.answered", "he")).wait_for(timeout=30_000)
        with e2e_db.transaction() as s:
            answer = s.scalar(select(Invitee.answer).where(Invitee.token == token))
        assert answer == "coming"
        set_language(page, "en")
        page.get_by_role("button", name="Not coming", exact=True).wait_for(timeout=30_000)
        _clean(page, "rsvp/en")
        screenshot(page, "planning_rsvp_en")
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_forums_upcoming_meetings_tab(
    browser: Browser, server: str, planned: str, lang: str
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    try:
        login(page, server, "manager")
        set_language(page, lang)
        _pick_sederot(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_role("link", name=t("page.forum", lang), exact=True).first.click()
        wait_idle(page)
        page.get_by_role("tab", name=t("forum.tab.planned", lang)).click()
        wait_idle(page)
        page.get_by_text(t("planning.record_outcome", lang)).first.wait_for(timeout=30_000)
        page.locator(
            ".stMain details:not([open]) > summary", has_text=t("planning.schedule", lang)
        ).first.click()
        wait_idle(page)
        _clean(page, f"forum-planned/{lang}")
        tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": 1400, "height": min(tall, 8000)})
        page.wait_for_timeout(300)
        screenshot(page, f"planning_forum_{lang}")
    finally:
        context.close()
