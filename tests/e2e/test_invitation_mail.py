"""The invitation e-mail's HTML as a mail client shows it: rendered in Chromium, in Hebrew (right
to left) and in English, with nothing serious for axe and a screenshot of each to look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlalchemy import select, update

from employdash.db import Database
from employdash.models.core import Person, User
from employdash.models.mail import OutboxMessage
from tests.mail.planned import plenary, schedule, scheduled
from tests.support import axe
from tests.support.browser import screenshot


def _invitations(db: Database) -> dict[str, str]:
    """The HTML of the demo member's invitation (in English) and another member's (Hebrew)."""
    p = plenary(db)
    with db.transaction() as s:
        s.execute(update(User).where(User.username == "member").values(language="en"))
        planned = schedule(s, p)
        scheduled(s, planned)
        english_address = s.scalars(select(Person.email).where(Person.id == p.member_person)).one()
        rows = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invitation")))
        english = next(r for r in rows if r.to_address == str(english_address).lower())
        hebrew = next(r for r in rows if r.language == "he")
        assert english.html_body is not None and hebrew.html_body is not None
        return {"en": english.html_body, "he": hebrew.html_body}


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_invitation_reads_in_its_direction_in_a_browser(
    sqlite_db: Database, page: Page, tmp_path: Path, lang: str
) -> None:
    html = _invitations(sqlite_db)[lang]
    file = tmp_path / f"invitation-{lang}.html"
    file.write_text(html, encoding="utf-8")
    page.set_viewport_size({"width": 720, "height": 900})
    page.goto(file.as_uri())
    body = page.locator("body")
    assert body.evaluate("e => getComputedStyle(e).direction") == ("rtl" if lang == "he" else "ltr")
    button = page.get_by_role("link", name="אישור השתתפות" if lang == "he" else "Reply: coming")
    assert "/rsvp?token=" in str(button.get_attribute("href"))
    box, card = button.bounding_box(), page.locator("h1").bounding_box()
    assert box is not None and card is not None
    # The button sits on the side the text starts from: right in Hebrew, left in English.
    if lang == "he":
        assert box["x"] + box["width"] > card["x"] + card["width"] - 5
    else:
        assert abs(box["x"] - card["x"]) < 5
    if axe.available():
        assert axe.scan(page, f"invitation-{lang}") == []
    screenshot(page, f"mail-invitation-{lang}")
