"""The mayor's weekly digest: one e-mail per leadership user with an address and locality in
their scope, with the briefing's own figures (small counts suppressed as on the page), the
briefing PDF attached, one-click unsubscribe headers, and nothing new from a second run of the
same week."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from employdash.access import Actor
from employdash.briefing.build import build_briefing
from employdash.briefing.text import attention_text, fmt_value
from employdash.config import get_config
from employdash.db import Database
from employdash.i18n import t
from employdash.mail.digest import weekly_digests
from employdash.mail.outbox import Mail, enqueue_all
from employdash.models import User, UserLocality
from employdash.models.mail import MailPreference, OutboxMessage
from employdash.users import hash_password

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

TODAY = date(2026, 12, 7)
SEDEROT = 1031


def _build(db: Database, today: date) -> list[Mail]:
    with db.transaction() as s:  # as the scheduled run builds them: in its transaction
        return weekly_digests(s, today)


def _leader(
    db: Database, username: str, email: str | None, codes: tuple[int, ...], language: str = "en"
) -> int:
    with db.transaction() as s:
        user = User(
            username=username,
            full_name=username,
            email=email,
            role="leadership",
            password_hash=hash_password("not used here"),
            language=language,
            localities=[UserLocality(locality_code=c) for c in codes],
        )
        s.add(user)
        s.flush()
        return user.id


def test_only_leadership_with_an_address_gets_it_for_their_own_localities(
    db: Database, actors: dict[str, Actor]
) -> None:
    mayor = actors["mayor"]
    _leader(db, "no_address", None, (SEDEROT,))
    stopped = _leader(db, "stopped", "stopped@example.org", (SEDEROT,))
    with db.transaction() as s:
        s.add(MailPreference(user_id=stopped, token="t" * 40, digest_off=True))
    mails = _build(db, TODAY)
    assert [(m.to_address, m.locality_code) for m in mails] == [("mayor@example.org", SEDEROT)]
    [mail] = mails
    assert mail.kind == "digest" and mail.language == mayor.language == "he"
    assert mail.dedupe_key == f"digest:{mayor.user_id}:{SEDEROT}:2026-W50"
    with db.transaction() as s:
        token = s.scalar(
            select(MailPreference.token).where(MailPreference.user_id == mayor.user_id)
        )
    assert token and mail.headers is not None
    assert mail.headers["List-Unsubscribe"].endswith(f"/mail/unsubscribe?token={token}>")
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"/briefing?locality={SEDEROT}" in mail.text_body
    assert _build(db, TODAY)[0].headers == mail.headers  # the token is kept, not remade

    with db.transaction() as s:  # a second locality in scope: a second digest
        s.add(UserLocality(user_id=mayor.user_id, locality_code=246))
    assert sorted(m.locality_code or 0 for m in _build(db, TODAY)) == [246, SEDEROT]


def test_the_figures_are_the_briefing_s_and_the_pdf_is_attached(
    db: Database, actors: dict[str, Actor]
) -> None:
    with db.transaction() as s:
        s.execute(update(User).where(User.username == "mayor").values(language="en"))
    [mail] = _build(db, TODAY)
    briefing = build_briefing(db, actors["mayor"], SEDEROT, TODAY)
    assert briefing.headlines and briefing.attention and briefing.forum is not None
    for h in briefing.headlines:
        assert f"{h.name('en')} | {fmt_value(h.unit, h.value, 'en')} |" in mail.text_body
    for item in briefing.attention[:5]:
        assert attention_text(item, briefing, "en") in mail.text_body
    for decision in briefing.forum.open_decisions[:3]:
        assert decision in mail.text_body
    assert "Last meeting:" in mail.text_body and "attended" in mail.text_body
    assert mail.subject.startswith("Weekly briefing: Sederot")
    [pdf] = mail.attachments
    assert pdf.content_type == "application/pdf" and pdf.filename.endswith("-en.pdf")
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert t("brief.title", "en", name="Sederot") in text


def test_small_counts_stay_suppressed(
    db: Database, actors: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as s:
        s.execute(update(User).where(User.username == "mayor").values(language="en"))
    shown = build_briefing(db, actors["mayor"], SEDEROT, TODAY).mentoring
    assert shown is not None and shown.mentees_active
    label = t("brief.mentoring.mentees", "en")
    assert f"{label}: {shown.mentees_active}" in _build(db, TODAY)[0].text_body

    monkeypatch.setenv("SUPPRESSION_THRESHOLD", str(shown.mentees_active + 1))
    get_config.cache_clear()
    try:
        [mail] = _build(db, TODAY)
    finally:
        monkeypatch.undo()
        get_config.cache_clear()
    assert f"{label}: {shown.mentees_active}" not in mail.text_body
    suppressed = t("brief.suppressed", "en", n=shown.mentees_active + 1)
    assert f"{label}: {suppressed}" in mail.text_body


def test_readers_of_the_same_briefing_share_its_pdf(db: Database) -> None:
    _leader(db, "deputy", "deputy@example.org", (SEDEROT,), language="he")
    mayor, deputy = _build(db, TODAY)
    assert deputy.to_address == "deputy@example.org"
    assert mayor.attachments[0].content is deputy.attachments[0].content


def test_a_second_run_of_the_week_adds_nothing(db: Database) -> None:
    first, again = _build(db, TODAY), _build(db, TODAY)  # two runs at once
    with db.transaction() as s:
        assert enqueue_all(s, first) == 1
    with db.transaction() as s:
        assert enqueue_all(s, again) == 0  # its dedupe key is taken
    assert _build(db, date(2026, 12, 12)) == []  # Saturday, the same work week: nothing built
    sunday = _build(db, date(2026, 12, 13))  # Sunday starts the next work week
    with db.transaction() as s:
        assert enqueue_all(s, sunday) == 1
    with db.transaction() as s:
        row = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")).first()
        assert row is not None and row.attachments and row.html_body
        assert 'dir="rtl"' in row.html_body
