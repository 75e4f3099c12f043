"""Invitations to a planned meeting, their updates and cancellations, and the attendance warning
two days before: the outbox rows the events write, the `.ics` read back with icalendar, the
messages built as the sender builds them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import delete, func, select, update

from employdash.access import Actor
from employdash.commands import execute
from employdash.config import get_config
from employdash.db import Database
from employdash.events import EventName, record_event
from employdash.forum import planning
from employdash.mail import message
from employdash.mail.attendance import warnings_due
from employdash.mail.outbox import enqueue_all
from employdash.models.core import Person, User
from employdash.models.forum import Invitee, PlannedMeeting, Team
from employdash.models.mail import OutboxMessage
from tests.mail.planned import (
    GUEST,
    MEETING_DAY,
    SEDEROT,
    Plenary,
    emit,
    plenary,
    schedule,
    scheduled,
)

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

MAIL_FROM = "forum@sderot.example.org"
NEWCOMER = "new.guest@example.com"
TODAY = MEETING_DAY - timedelta(days=2)  # the local date the tests run on


@pytest.fixture(autouse=True)
def mail_from(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("MAIL_FROM", MAIL_FROM)
    monkeypatch.setenv("DEFAULT_LANGUAGE", "he")
    get_config.cache_clear()
    yield
    get_config.cache_clear()


def _outbox(db: Database, kind: str | None = None) -> list[OutboxMessage]:
    with db.transaction() as s:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        rows = list(s.scalars(query))
        for row in rows:
            _ = row.attachments
        s.expunge_all()
    return rows


def _ics(row: OutboxMessage) -> Calendar:
    [attachment] = row.attachments
    assert attachment.filename == "invite.ics"
    return Calendar.from_ical(attachment.content)


def _event(calendar: Calendar) -> Any:
    [event] = calendar.walk("VEVENT")
    return event


def _invited(db: Database, p: Plenary) -> tuple[int, str]:
    """A meeting scheduled and its invitations sent: its id and calendar UID."""
    with db.transaction() as s:
        planned = schedule(s, p)
        scheduled(s, planned)
        return planned.id, planned.uid


def _cancelled(row: OutboxMessage, uid: str, sequence: int) -> Any:
    """The cancelling calendar of `row`, checked: the meeting's UID, the sequence it is at."""
    calendar = _ics(row)
    event = _event(calendar)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == sequence
    return event


def _addresses(db: Database, person_ids: Sequence[int]) -> dict[int, str]:
    with db.transaction() as s:
        rows = s.execute(select(Person.id, Person.email).where(Person.id.in_(person_ids)))
        return {pid: email.lower() for pid, email in rows if email}


def _set_email(db: Database, person_id: int, email: str | None) -> None:
    with db.transaction() as s:
        s.execute(update(Person).where(Person.id == person_id).values(email=email))


def _language(db: Database, username: str, language: str) -> None:
    with db.transaction() as s:
        s.execute(update(User).where(User.username == username).values(language=language))


def test_each_invitee_with_an_address_gets_one_invitation_with_the_meetings_calendar(
    db: Database,
) -> None:
    p = plenary(db)
    no_address, broken = [pid for pid in p.members if pid != p.member_person][:2]
    _set_email(db, no_address, None)
    _set_email(db, broken, "broken@")
    with db.transaction() as s:
        planned = schedule(s, p)
        scheduled(s, planned)
        uid = planned.uid
    rows = _outbox(db)
    reachable = [pid for pid in p.members if pid != broken]
    expected = set(_addresses(db, reachable).values()) | {GUEST[1]}
    assert len(expected) == len(p.members) - 1
    assert sorted(r.to_address for r in rows) == sorted(expected)  # one each, none unreachable
    assert all(r.kind == "invitation" and r.locality_code == SEDEROT for r in rows)
    guest = next(r for r in rows if r.to_address == GUEST[1])
    assert guest.language == "he" and guest.to_name == GUEST[0]

    calendar = _ics(guest)
    assert guest.attachments[0].content_type == "text/calendar; method=REQUEST; charset=utf-8"
    assert str(calendar["METHOD"]) == "REQUEST" and str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Jerusalem"
    event = _event(calendar)
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 0
    assert "DTSTAMP" in event and str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTART"].params["TZID"] == "Asia/Jerusalem"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (
        datetime(2027, 1, 20, 17, 30),
        datetime(2027, 1, 20, 19, 0),
    )
    assert start.utcoffset() == timedelta(hours=2)  # 15:30 UTC: the local time, not UTC
    assert "אולם העירייה" in str(event["LOCATION"]) and "meet.example.org" in str(event["LOCATION"])
    assert "תעסוקת צעירים" in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]).startswith("צוות") or "פורום" in str(event["SUMMARY"])

    organiser = event["ORGANIZER"]
    assert str(organiser) == f"mailto:{MAIL_FROM}" and organiser.params["CN"] == "שדרות"
    attendees = event["ATTENDEE"]
    assert sorted(str(a).removeprefix("mailto:") for a in attendees) == sorted(expected)
    for a in attendees:
        assert (a.params["PARTSTAT"], a.params["RSVP"]) == ("NEEDS-ACTION", "TRUE")
    roles = {str(a).removeprefix("mailto:"): a.params["ROLE"] for a in attendees}
    assert roles[GUEST[1]] == "OPT-PARTICIPANT"
    assert set(roles.values()) == {"OPT-PARTICIPANT", "REQ-PARTICIPANT"}


def test_without_mail_from_the_invitations_are_queued_with_a_placeholder_organiser(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAIL_FROM", "")
    get_config.cache_clear()
    p = plenary(db)
    _invited(db, p)
    rows = _outbox(db)
    assert len(rows) == len(p.members) + 1
    organiser = _event(_ics(rows[0]))["ORGANIZER"]
    assert str(organiser) == "mailto:no-reply@employdash.invalid"


def test_a_long_address_and_an_address_two_invitees_share_get_one_invitation_each(
    db: Database,
) -> None:
    long_address = "guest@" + ".".join(["d" * 60] * 3) + ".example.org"
    assert len(long_address) == 200  # the longest an invitee's address column holds
    p = plenary(db)
    with db.transaction() as s:
        planned = schedule(s, p, guests=[("Long", long_address), ("Twin", GUEST[1]), GUEST])
        scheduled(s, planned)
    rows = _outbox(db)
    assert len(rows) == len(p.members) + 2
    assert [r.to_address for r in rows].count(GUEST[1]) == 1
    assert any(r.to_address == long_address for r in rows)


def test_the_invitation_says_when_where_what_and_who_with_an_rsvp_link(db: Database) -> None:
    p = plenary(db)
    with db.transaction() as s:
        planned = schedule(s, p)
        scheduled(s, planned)
        token = s.scalars(
            select(Invitee.token).where(
                Invitee.planned_meeting_id == planned.id, Invitee.person_id == p.member_person
            )
        ).one()
    member_address = _addresses(db, [p.member_person])[p.member_person]
    row = next(r for r in _outbox(db) if r.to_address == member_address)
    assert row.subject.startswith("הזמנה: ") and "20/01/2027 17:30" in row.subject
    body = row.text_body.replace("\u2068", "").replace("\u2069", "")  # the bidi isolates
    for expected in (
        "פורום התעסוקה שדרות",
        "יום רביעי, 20/01/2027, 17:30–19:00",
        "אולם העירייה, קומה 2",
        "https://meet.example.org/sderot-forum",
        "1. תעסוקת צעירים · מציג/ה: רונית · 30 דקות",
        "2. Employers' round table · 20 דקות",
        GUEST[0],
        f"/rsvp?token={token}",
        f"מוזמנים ({len(p.members) + 1})",
    ):
        assert expected in body, expected
    assert row.html_body is not None and f"/rsvp?token={token}" in row.html_body


def test_hebrew_reads_right_to_left_and_an_english_user_gets_english(db: Database) -> None:
    p = plenary(db)
    _language(db, "member", "en")
    with db.transaction() as s:
        planned = schedule(s, p)
        scheduled(s, planned)
    addresses = _addresses(db, p.members)
    rows = {r.to_address: r for r in _outbox(db)}
    english = rows[addresses[p.member_person]]
    hebrew = rows[addresses[next(pid for pid in p.members if pid != p.member_person)]]
    assert english.language == "en" and english.subject.startswith("Invitation: ")
    assert english.html_body is not None and 'lang="en" dir="ltr"' in english.html_body
    assert "When: Wednesday, 20/01/2027, 17:30–19:00" in english.text_body
    assert "Reply: coming or not" in english.text_body
    # Hebrew names in an English line keep their own direction (and the reverse).
    assert "meeting of \u2068פורום התעסוקה היישובי\u2069 – \u2068" in english.text_body
    assert str(_event(_ics(english))["ORGANIZER"].params["CN"]) == "Sederot"
    assert hebrew.language == "he" and hebrew.html_body is not None
    assert 'lang="he" dir="rtl"' in hebrew.html_body
    assert "אישור השתתפות" in hebrew.html_body


def test_an_update_keeps_the_uid_raises_the_sequence_and_cancels_for_whoever_was_removed(
    db: Database,
) -> None:
    p = plenary(db)
    removed = p.members[0]
    planned_id, uid = _invited(db, p)
    first = {r.to_address for r in _outbox(db)}
    with db.transaction() as s:
        planned = s.get_one(PlannedMeeting, planned_id)
        planned.starts, planned.ends, planned.sequence = time(18, 0), time(20, 0), 1
        s.execute(
            delete(Invitee).where(
                Invitee.planned_meeting_id == planned_id, Invitee.person_id == removed
            )
        )
        s.execute(delete(Invitee).where(Invitee.guest_email == GUEST[1]))
        s.add(
            Invitee(
                planned_meeting_id=planned_id,
                guest_name="New",
                guest_email=NEWCOMER,
                token=secrets.token_urlsafe(16),
            )
        )
        gone = [
            {"person_id": removed, "guest_name": None, "guest_email": None},
            {"person_id": None, "guest_name": GUEST[0], "guest_email": GUEST[1]},
        ]
        scheduled(s, planned, "changed", removed=gone)
    removed_address = _addresses(db, [removed])[removed]
    updates = _outbox(db, "invitation_update")
    assert {r.to_address for r in updates} == first - {removed_address, GUEST[1]}
    [added] = _outbox(db, "invitation")[len(first) :]  # one just invited: an invitation
    assert added.to_address == NEWCOMER and added.subject.startswith("הזמנה: ")
    assert int(_event(_ics(added))["SEQUENCE"]) == 1
    for row in updates:
        assert row.subject.startswith("הפגישה השתנתה: ") and "18:00" in row.subject
        event = _event(_ics(row))
        assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART").hour == 18
        assert removed_address not in {str(a).removeprefix("mailto:") for a in event["ATTENDEE"]}
    withdrawn, guest = _outbox(db, "invitation_cancel")
    assert (withdrawn.to_address, guest.to_address) == (removed_address, GUEST[1])
    assert str(_cancelled(guest, uid, sequence=1)["ATTENDEE"]) == f"mailto:{GUEST[1]}"
    assert withdrawn.subject.startswith("ההזמנה בוטלה: ")
    assert "אינך ברשימת המוזמנים עוד" in withdrawn.text_body
    event = _cancelled(withdrawn, uid, sequence=1)
    assert str(event["ATTENDEE"]) == f"mailto:{removed_address}"
    assert withdrawn.attachments[0].content_type.startswith("text/calendar; method=CANCEL")


def test_a_cancellation_reaches_every_invitee_with_the_reason(db: Database) -> None:
    p = plenary(db)
    planned_id, uid = _invited(db, p)
    invited = {r.to_address for r in _outbox(db)}
    with db.transaction() as s:
        planned = s.get_one(PlannedMeeting, planned_id)
        planned.status, planned.sequence = "cancelled", 1
        emit(s, EventName.MEETING_CANCELLED, planned, reason="האולם סגור לשיפוצים")
    cancelled = _outbox(db, "invitation_cancel")
    assert {r.to_address for r in cancelled} == invited
    for row in cancelled:
        assert row.subject.startswith("הפגישה בוטלה: ")
        assert "הסיבה: \u2068האולם סגור לשיפוצים\u2069" in row.text_body
        assert len(_cancelled(row, uid, sequence=1)["ATTENDEE"]) == len(invited)


def test_user_text_is_escaped_in_html_and_one_line_in_headers(db: Database) -> None:
    p = plenary(db)
    with db.transaction() as s:
        s.get_one(Team, p.team_id).name = "<script>alert(1)</script>\nBcc: victim@example.com"
        planned = schedule(s, p, guests=[("Eve\r\nBcc: x@example.com", "eve@example.com")])
        planned.agenda = [{"topic": "<b>bold</b> & <script>x()</script>", "minutes": 5}]
        planned.online_url = "javascript:alert(1)"
        scheduled(s, planned)
    rows = _outbox(db)
    assert rows
    for row in rows:
        assert row.html_body is not None
        assert "<script>" not in row.html_body and "<b>bold" not in row.html_body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in row.html_body
        assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in row.html_body
        assert 'href="javascript' not in row.html_body  # shown, not linked
        assert "javascript:alert(1)" in row.html_body
        built = message.build(row, MAIL_FROM)
        assert built["Bcc"] is None
        assert "\n" not in str(built["Subject"]) and "\n" not in str(built["To"])
        assert "<script>alert(1)</script> Bcc: victim@example.com" in str(built["Subject"])
        types = [part.get_content_type() for part in built.walk()]
        assert "text/calendar" in types and "text/html" in types and "text/plain" in types
    eve = next(r for r in rows if r.to_address == "eve@example.com")
    assert eve.to_name == "Eve Bcc: x@example.com"
    cn = {str(a): a.params["CN"] for a in _event(_ics(eve))["ATTENDEE"]}
    assert cn["mailto:eve@example.com"] == "Eve Bcc: x@example.com"


def test_a_change_rolled_back_leaves_no_mail(db: Database) -> None:
    p = plenary(db)
    with pytest.raises(RuntimeError), db.transaction() as s:
        planned = schedule(s, p)
        scheduled(s, planned)
        assert s.scalar(select(func.count()).select_from(OutboxMessage))  # written, then undone
        raise RuntimeError("the command failed after emitting")
    assert _outbox(db) == []


def test_the_planning_commands_send_the_invitation_its_update_and_its_cancellation(
    db: Database, actors: dict[str, Actor]
) -> None:
    """Through the commands the manager's screen runs (not events written by hand)."""
    manager, member = actors["manager"], actors["member"]
    assert manager.person_id is not None and member.person_id is not None
    form: dict[str, Any] = {
        "team_id": plenary(db).team_id,
        "on_date": MEETING_DAY,
        "starts": time(17, 0),
        "ends": time(19, 0),
        "place": "City hall",
        "online_url": "",
        "agenda": [{"topic": "Job fair", "presenter": "Dana", "minutes": 20}],
        "invitee_ids": [manager.person_id, member.person_id],
        "guests": [{"name": GUEST[0], "email": GUEST[1]}],
        "today": TODAY,
    }
    planned_id = planning.schedule_meeting(db, manager, SEDEROT, form)
    invited = _addresses(db, [manager.person_id, member.person_id])
    assert {r.to_address for r in _outbox(db, "invitation")} == {*invited.values(), GUEST[1]}

    with db.transaction() as s:
        planned = s.get_one(PlannedMeeting, planned_id)
        version, uid = planned.version, planned.uid
    moved = {**form, "starts": time(18, 0), "invitee_ids": [manager.person_id]}
    execute(db, manager, planning.EditPlannedMeeting.of(planned_id, version, moved))
    updates = _outbox(db, "invitation_update")
    assert {r.to_address for r in updates} == {invited[manager.person_id], GUEST[1]}
    assert all(int(_event(_ics(r))["SEQUENCE"]) == 1 for r in updates)
    [dropped] = _outbox(db, "invitation_cancel")
    assert dropped.to_address == invited[member.person_id]
    _cancelled(dropped, uid, sequence=1)

    with db.transaction() as s:
        version = s.get_one(PlannedMeeting, planned_id).version
    execute(db, manager, planning.CancelPlannedMeeting.of(planned_id, version, "Hall closed"))
    cancelled = _outbox(db, "invitation_cancel")[1:]
    assert {r.to_address for r in cancelled} == {invited[manager.person_id], GUEST[1]}
    for row in cancelled:
        _cancelled(row, uid, sequence=2)


def test_the_next_dates_a_held_meeting_sets_invite_no_one_yet(db: Database) -> None:
    """The outcome form announces its next dates as `meeting.scheduled` about the meeting: no
    planned meeting, so no invitation (and the save is not broken by one)."""
    p = plenary(db)
    with db.transaction() as s:
        record_event(
            s,
            EventName.MEETING_SCHEDULED,
            "manager",
            SEDEROT,
            "meeting",
            1,
            {"dates": ["2027-01-20"], "previous_dates": [], "invited_person_ids": p.members},
        )
    assert _outbox(db) == []


def _answer(db: Database, planned_id: int, person_ids: Sequence[int], answer: str) -> None:
    with db.transaction() as s:
        s.execute(
            update(Invitee)
            .where(Invitee.planned_meeting_id == planned_id, Invitee.person_id.in_(person_ids))
            .values(answer=answer)
        )


def _planned_in_two_days(db: Database) -> tuple[Plenary, int]:
    """The plenary and its meeting two days after `TODAY`, every member invited."""
    p = plenary(db)
    with db.transaction() as s:
        planned = schedule(s, p, on=TODAY + timedelta(days=2))
        return p, planned.id


def test_the_manager_is_warned_two_days_ahead_when_under_two_thirds_are_expected(
    db: Database,
) -> None:
    p, planned_id = _planned_in_two_days(db)
    members = len(p.members)
    assert members == 21, "the demo plenary: two-thirds is 14"
    _answer(db, planned_id, p.members[:5], "not_coming")
    _answer(db, planned_id, p.members[5:7], "coming")
    _answer(db, planned_id, p.members[7:10], "maybe")  # not counted as expected
    with db.transaction() as s:
        mails = warnings_due(s, TODAY)
        assert enqueue_all(s, mails) == 1
    [mail] = mails
    assert mail.to_address == "manager@example.org" and mail.kind == "attendance_warning"
    assert mail.dedupe_key is not None and mail.dedupe_key.startswith(f"attendance:{planned_id}:")
    assert "צפויים להגיע 13 מתוך 21 המוזמנים, ולפי כלל שני השלישים נדרשים 14" in mail.text_body
    for line in ("מגיעים: 2", "טרם ענו: 11", "אולי: 3", "לא מגיעים: 5"):
        assert f"- {line}" in mail.text_body, line
    with db.transaction() as s:  # the run repeated the same day
        assert enqueue_all(s, warnings_due(s, TODAY)) == 0
    assert len(_outbox(db, "attendance_warning")) == 1
    with db.transaction() as s:  # not on other days: only two days ahead
        assert warnings_due(s, TODAY - timedelta(days=1)) == []
        assert warnings_due(s, TODAY + timedelta(days=1)) == []


def test_no_warning_at_two_thirds_nor_for_a_cancelled_meeting(db: Database) -> None:
    p, planned_id = _planned_in_two_days(db)
    members = len(p.members)
    assert members % 3 == 0, "the demo plenary's size makes two-thirds exact"
    _answer(db, planned_id, p.members[: members // 3], "not_coming")
    with db.transaction() as s:
        assert warnings_due(s, TODAY) == []  # exactly two-thirds: on the line, not below
    _answer(db, planned_id, p.members[members // 3 : members // 3 + 1], "maybe")
    with db.transaction() as s:  # one "maybe" more: below the line
        [mail] = warnings_due(s, TODAY)
        assert "- אולי: 1" in mail.text_body
        s.get_one(PlannedMeeting, planned_id).status = "cancelled"
        s.flush()
        assert warnings_due(s, TODAY) == []


def test_the_warning_goes_in_the_managers_language_and_not_without_an_address(
    db: Database,
) -> None:
    p, planned_id = _planned_in_two_days(db)
    _answer(db, planned_id, p.members, "not_coming")
    _language(db, "manager", "en")
    with db.transaction() as s:
        [mail] = warnings_due(s, TODAY)
    assert mail.language == "en" and mail.subject.startswith("Low attendance expected: ")
    assert mail.html_body is not None and 'dir="ltr"' in mail.html_body
    with db.transaction() as s:
        s.execute(update(User).where(User.username == "manager").values(email=None))
        assert warnings_due(s, TODAY) == []
