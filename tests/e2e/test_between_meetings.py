"""The forum between meetings, end to end in Chromium with a real SMTP server: the manager
schedules a meeting; the invitations arrive in Hebrew and in English (for the member whose account
is in English) with their calendar file; the member follows the link in the e-mail, logs in there
and answers; the manager sees the answer, opens the outcome form filled in from the planned
meeting, saves it and sends the minutes (the PDF read back); `python -m employdash notify` sends
the owner's reminder for a task due tomorrow and a second run sends nothing; the mayor's weekly
digest arrives with its PDF. The HTML mails are rendered in Chromium and screenshotted.

The outbox is delivered by the sender (`deliver_due`, what `notify` and the in-app runner call)
right after each action, so every step's mail is looked at before the next step.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from io import BytesIO
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Locator, Page
from pypdf import PdfReader
from sqlalchemy import select, update

from employdash.db import Database
from employdash.i18n import local_today
from employdash.mail.sender import deliver_due
from employdash.models import Person, User
from employdash.models.forum import Forum, Invitee, PlannedMeeting, Task
from employdash.models.mail import OutboxMessage
from tests.support.browser import (
    app_server,
    open_page,
    screenshot,
    submit,
    submit_login,
    wait_idle,
)
from tests.support.browser import login as log_in
from tests.support.cli import employdash
from tests.support.databases import copy_sqlite
from tests.support.smtp import Received, SmtpServer

SEDEROT = 1031
AGENDA_TOPIC = "Employers round table"
DECISION = "Hold a job fair in March (journey-decision-7431)"
TASK_TITLE = "Book the hall for the job fair"
DEADLINE_SECONDS = 30


@dataclass(frozen=True)
class Journey:
    base: str
    db: Database
    url: str
    smtp: SmtpServer
    today: date
    member_address: str
    member_name: str

    def deliver(self) -> None:
        """Send what the outbox holds, as the scheduled sender would."""
        deliver_due(self.db, self.smtp.config(), context=self.smtp.client_context())

    def notify(self) -> str:
        """`python -m employdash notify --date <today>` with the app's settings; its report."""
        env = {"DATABASE_URL": self.url, "DEMO_MODE": "true", "APP_URL": self.base}
        done = employdash(
            "notify", "--date", self.today.isoformat(), env={**env, **self.smtp.env()}
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout


def _prepare(db: Database, today: date) -> tuple[str, str]:
    """The member reads English, and owns an open task due tomorrow; (their address, name)."""
    with db.transaction() as s:
        s.execute(update(User).where(User.username == "member").values(language="en"))
        member = s.scalars(
            select(Person).join(User, User.person_id == Person.id).where(User.username == "member")
        ).one()
        forum_id = s.scalars(select(Forum.id).where(Forum.locality_code == SEDEROT)).one()
        s.add(
            Task(
                forum_id=forum_id,
                title=TASK_TITLE,
                owner_person_id=member.id,
                due_date=today + timedelta(days=1),
            )
        )
        assert member.email
        return str(member.email).lower(), member.full_name


@pytest.fixture
def journey(sqlite_template: Path, tmp_path: Path, smtp_server: SmtpServer) -> Iterator[Journey]:
    url = copy_sqlite(sqlite_template, tmp_path / "journey.db")
    db = Database(url)
    today = local_today()
    address, name = _prepare(db, today)
    env = {**smtp_server.env(), "APP_URL": "http://127.0.0.1:{port}"}
    try:
        with app_server(url, extra_env=env) as base:
            yield Journey(base, db, url, smtp_server, today, address, name)
    finally:
        db.dispose()


def _arrived(smtp: SmtpServer, wanted: Callable[[Received], bool], what: str) -> list[Received]:
    """The received messages `wanted` picks, once there is one (or fail at the deadline)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        found = [m for m in smtp.messages if wanted(m)]
        if found:
            return found
        if time.monotonic() > deadline:
            subjects = [str(m["Subject"]) for m in smtp.messages]
            raise AssertionError(f"no {what} arrived; the mailbox holds {subjects}")
        time.sleep(0.1)


def _to(address: str) -> Callable[[Received], bool]:
    return lambda m: address in m.rcpt_tos


def _kind(db: Database, kind: str, address: str | None = None) -> Callable[[Received], bool]:
    """Messages from outbox rows of `kind` (the Message-ID names the row), to `address` if given."""
    with db.transaction() as s:
        ids = {
            f"<outbox-{i}@"
            for i in s.scalars(select(OutboxMessage.id).where(OutboxMessage.kind == kind))
        }

    def wanted(m: Received) -> bool:
        return str(m["Message-ID"]).split("@")[0] + "@" in ids and (
            address is None or address in m.rcpt_tos
        )

    return wanted


def _html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _pdf_text(message: EmailMessage) -> str:
    pdfs = [a for a in message.iter_attachments() if a.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1, [a.get_content_type() for a in message.iter_attachments()]
    content = pdfs[0].get_content()
    assert isinstance(content, bytes) and content.startswith(b"%PDF")
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)


def _calendar(message: EmailMessage) -> Calendar:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert parts, "the invitation has no calendar part"
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def _rendered(browser: Browser, html: str, name: str) -> str:
    """The HTML mail as a mail client shows it: its direction, and a screenshot to look at."""
    context = browser.new_context(viewport={"width": 720, "height": 900})
    try:
        page = context.new_page()
        page.set_content(html)
        direction = str(page.locator("body").evaluate("e => getComputedStyle(e).direction"))
        screenshot(page, name)
        return direction
    finally:
        context.close()


def _sederot_forum_tab(page: Page, base: str, tab: str) -> None:
    """The forum page of Sederot (a page opened by URL starts on the first locality), on `tab`."""
    open_page(page, base, "forum")
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    if "שדרות" not in picker.inner_text():
        picker.click()
        page.keyboard.type("שדרות")
        page.keyboard.press("Enter")
        wait_idle(page)
    page.get_by_role("tab", name=tab).click()
    wait_idle(page)


def _expander(page: Page, label: str) -> Locator:
    expander = page.locator('[data-testid="stExpander"]').filter(
        has=page.locator("summary", has_text=label)
    )
    expander.locator("summary").first.click()
    wait_idle(page)
    return expander.first


def _schedule(page: Page, base: str) -> None:
    _sederot_forum_tab(page, base, "מפגשים מתוכננים")
    form = _expander(page, "קביעת מפגש")
    form.get_by_role("textbox", name="מקום").fill("אולם העירייה, קומה 2")
    form.get_by_role("textbox", name="סדר יום").fill(
        f"תעסוקת צעירים | רונית | 30\n{AGENDA_TOPIC} | | 20"
    )
    submit(page, "קביעת מפגש", "המפגש נקבע וההזמנות יישלחו")


def _wait_for(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {DEADLINE_SECONDS} s")
        time.sleep(0.1)


def test_between_meetings(journey: Journey, browser: Browser) -> None:
    j = journey
    manager_context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
    member_context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        manager = manager_context.new_page()
        member = member_context.new_page()
        _run(j, browser, manager, member)
    finally:
        manager_context.close()
        member_context.close()


def _run(j: Journey, browser: Browser, manager: Page, member: Page) -> None:
    # 1. The manager schedules the meeting; each invitee with an address gets an invitation.
    log_in(manager, j.base, "manager")
    _schedule(manager, j.base)
    with j.db.transaction() as s:
        planned = s.scalars(select(PlannedMeeting).order_by(PlannedMeeting.id.desc())).first()
        assert planned is not None and planned.status == "planned"
        planned_id, uid = planned.id, planned.uid
        queued = s.scalars(
            select(OutboxMessage.to_address).where(OutboxMessage.kind == "invitation")
        ).all()
    assert j.member_address in queued
    j.deliver()
    english = _arrived(j.smtp, _to(j.member_address), "invitation to the member")[0].message
    _arrived(j.smtp, lambda m: len(m.rcpt_tos) > 0, "invitation")
    _wait_for(lambda: len(j.smtp.messages) >= len(queued), "every invitation's delivery")
    hebrew = next(m.message for m in j.smtp.messages if 'lang="he"' in _html(m.message))
    for message, lang, direction in ((english, "en", "ltr"), (hebrew, "he", "rtl")):
        html = _html(message)
        assert f'lang="{lang}"' in html and f'dir="{direction}"' in html
        calendar = _calendar(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        event = next(iter(calendar.walk("VEVENT")))
        assert str(event["UID"]) == uid and str(event["SEQUENCE"]) == "0"
        assert _rendered(browser, html, f"journey-invitation-{lang}") == direction
    assert str(english["Subject"]).startswith("Invitation: ")
    assert str(hebrew["Subject"]).startswith("הזמנה: ")
    assert AGENDA_TOPIC in _text(english)

    # 2. The member follows the link in their e-mail, logs in there and answers.
    link = re.search(r"\S+/rsvp\?token=[\w-]+", _text(english))
    assert link is not None and link.group(0).startswith(j.base + "/rsvp?token=")
    member.goto(link.group(0))
    wait_idle(member)
    submit_login(member, "member")
    member.locator(".st-key-rsvp_coming button").click()
    wait_idle(member)
    member.get_by_text("Thank you, your answer is saved").wait_for()
    screenshot(member, "journey-rsvp-en")
    token = link.group(0).rsplit("=", 1)[1]
    with j.db.transaction() as s:
        answered = s.scalars(select(Invitee).where(Invitee.token == token)).one()
        assert (answered.planned_meeting_id, answered.answer) == (planned_id, "coming")
        assert answered.answered_at is not None

    # 3. The manager sees the answer and records the outcome from the planned meeting.
    for tab in ("מפגשים וסיכומים", "מפגשים מתוכננים"):  # away and back: the tab is drawn afresh
        manager.get_by_role("tab", name=tab, exact=True).click()
        wait_idle(manager)
    card = manager.locator(f".st-key-planned_{planned_id}")
    card.get_by_text(f"מגיע/ה: {j.member_name}").wait_for()
    manager.locator(f".st-key-planned_outcome_{planned_id} button").click()
    wait_idle(manager)
    agenda = manager.get_by_role("textbox", name="סדר יום")
    assert AGENDA_TOPIC in agenda.input_value()
    assert manager.get_by_role("checkbox", name=j.member_name).is_checked()
    manager.get_by_role("textbox", name="החלטות ותוצרים").fill(DECISION)
    wait_idle(manager)
    manager.get_by_role("button", name="שמירת סיכום המפגש").click()
    wait_idle(manager)
    manager.get_by_text("סיכום המפגש נשמר").wait_for()
    with j.db.transaction() as s:
        held = s.get(PlannedMeeting, planned_id)
        assert held is not None and held.status == "held" and held.meeting_id is not None

    # 4. The minutes go to the members, the PDF attached.
    form = _expander(manager, "שליחת הסיכום בדואר אלקטרוני")
    form.locator('[data-testid="stFormSubmitButton"] button').click()
    wait_idle(manager)
    j.deliver()
    minutes = _arrived(j.smtp, _kind(j.db, "minutes", j.member_address), "minutes")[0].message
    assert str(minutes["Subject"]).startswith("Minutes: ")
    assert DECISION in _pdf_text(minutes)

    # 5. notify: the owner's reminder for the task due tomorrow; a second run sends nothing new.
    first = j.notify()
    reminder = _arrived(j.smtp, _kind(j.db, "reminder", j.member_address), "reminder")
    assert len(reminder) == 1 and TASK_TITLE in _text(reminder[0].message)
    assert str(reminder[0]["Subject"]).startswith("Reminder: ")  # the member reads English
    unsubscribe = str(reminder[0]["List-Unsubscribe"])
    assert unsubscribe.startswith(f"<{j.base}/mail/unsubscribe?token=")
    before = len(j.smtp.messages)
    second = j.notify()
    assert "reminder: 0 queued" in second and "sent 0" in second, (first, second)
    assert len(j.smtp.messages) == before

    # 6. The mayor's weekly digest, with the briefing PDF: the same first run of the week sent it.
    digest = _arrived(j.smtp, _kind(j.db, "digest"), "digest")[0]
    assert digest.rcpt_tos == ("mayor@example.org",)
    assert _pdf_text(digest.message).strip()
    assert f"{j.base}/briefing" in _text(digest.message)
    assert _rendered(browser, _html(digest.message), "journey-digest-he") == "rtl"
