"""The minutes e-mail and the weekly digest as Chromium draws them, in Hebrew and English: the
whole message reads in its language's direction and shows its content; screenshots are saved
under tests/artifacts/screenshots/ to be looked at."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlalchemy import select, update

from employdash.access import Actor
from employdash.commands import execute
from employdash.db import Database
from employdash.forum import meetings
from employdash.mail.digest import weekly_digests
from employdash.mail.minutes import SendMinutes
from employdash.models import User
from employdash.models.mail import OutboxMessage
from tests.foundation.command_samples.forum_meetings import meeting_input
from tests.mail.test_digest import TODAY
from tests.support.browser import screenshot


def _minutes(db: Database, actors: dict[str, Actor]) -> dict[str, str]:
    with db.transaction() as s:  # the member reads English, the others Hebrew
        s.execute(update(User).where(User.username == "member").values(language="en"))
    meeting = meetings.save_meeting(db, actors["manager"], meeting_input(db, actors))
    execute(db, actors["manager"], SendMinutes.of(meeting, "Please read the decisions <first>."))
    with db.transaction() as s:
        rows = s.execute(select(OutboxMessage.language, OutboxMessage.html_body)).all()
    return {lang: html for lang, html in rows if html}


def _digests(db: Database) -> dict[str, str]:
    found = {}
    for lang in ("he", "en"):
        with db.transaction() as s:
            s.execute(update(User).where(User.username == "mayor").values(language=lang))
        with db.transaction() as s:
            [mail] = weekly_digests(s, TODAY)
        assert mail.html_body
        found[lang] = mail.html_body
    return found


@pytest.fixture
def mails(sqlite_db: Database) -> dict[str, dict[str, str]]:
    from employdash.users import load_actor

    actors = {n: a for n in ("manager", "member") if (a := load_actor(sqlite_db, n))}
    return {"minutes": _minutes(sqlite_db, actors), "digest": _digests(sqlite_db)}


def test_the_mails_read_in_their_language_s_direction(
    browser: Browser, mails: dict[str, dict[str, str]], tmp_path: Path
) -> None:
    for kind, by_lang in mails.items():
        for lang in ("he", "en"):
            file = tmp_path / f"{kind}-{lang}.html"
            file.write_text(by_lang[lang], encoding="utf-8")
            page = browser.new_page(viewport={"width": 760, "height": 900})
            page.goto(file.as_uri())
            direction = page.evaluate("getComputedStyle(document.querySelector('h1')).direction")
            assert direction == ("rtl" if lang == "he" else "ltr")
            body = page.inner_text("body")
            if kind == "minutes":
                assert "Please read the decisions <first>." in body
                assert page.locator("script, b, first").count() == 0  # the note stayed text
            else:
                assert page.locator("table th").count() == 5 and page.locator("a").count() >= 1
            screenshot(page, f"mail/{kind}-{lang}")
            page.close()
