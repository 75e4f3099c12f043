"""A planned meeting as an iCalendar object (RFC 5545, with the iTIP methods of RFC 5546).

Built with `icalendar`, not by hand: it folds long lines, escapes commas, semicolons and line
breaks in text, and writes the `VTIMEZONE` of Asia/Jerusalem from the system's zoneinfo, so a
calendar shows the meeting at the local time it was planned for, also across a daylight-saving
change. The `UID` never changes and the `SEQUENCE` rises with every change sent: a calendar
replaces its entry on an update and removes it on a cancellation instead of adding one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from icalendar import Calendar, Event, vCalAddress

from employdash.i18n import ISRAEL
from employdash.limits import strip_controls
from employdash.mail.message import one_line

PRODID = "-//EmployDash//Employment forum meetings//HE"
# The VTIMEZONE covers this long around the meeting: every transition a calendar needs for it,
# without decades of history in each invitation.
ZONE_MARGIN = timedelta(days=400)


@dataclass(frozen=True)
class CalendarPerson:
    address: str
    name: str | None
    required: bool = True  # ROLE=REQ-PARTICIPANT; a guest is OPT-PARTICIPANT


@dataclass(frozen=True)
class CalendarMeeting:
    """What the invitation says, already in the recipient's language."""

    uid: str
    sequence: int
    on_date: date
    starts: time
    ends: time
    summary: str
    location: str | None
    description: str
    organiser: CalendarPerson
    attendees: Sequence[CalendarPerson]


def _address(person: CalendarPerson) -> vCalAddress:
    address = vCalAddress(f"mailto:{one_line(person.address)}")
    name = one_line(person.name or "")
    if name:
        address.params["CN"] = name
    return address


def _attendee(person: CalendarPerson) -> vCalAddress:
    address = _address(person)
    address.params["ROLE"] = "REQ-PARTICIPANT" if person.required else "OPT-PARTICIPANT"
    address.params["PARTSTAT"] = "NEEDS-ACTION"
    address.params["RSVP"] = "TRUE"
    return address


def ics(meeting: CalendarMeeting, *, cancelled: bool, stamp: datetime) -> bytes:
    """The `.ics` of `meeting`: `METHOD:REQUEST` (an invitation or its update) or, when
    `cancelled`, `METHOD:CANCEL` with `STATUS:CANCELLED`. `stamp` (UTC) is the `DTSTAMP`."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.combine(meeting.on_date, meeting.starts, tzinfo=ISRAEL))
    event.add("dtend", datetime.combine(meeting.on_date, meeting.ends, tzinfo=ISRAEL))
    event.add("summary", one_line(meeting.summary))
    if meeting.location:
        event.add("location", one_line(meeting.location))
    if meeting.description:
        event.add("description", strip_controls(meeting.description, multiline=True))
    event.add("organizer", _address(meeting.organiser), encode=False)
    for person in meeting.attendees:
        event.add("attendee", _attendee(person), encode=False)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=meeting.on_date - ZONE_MARGIN, last_date=meeting.on_date + ZONE_MARGIN
    )
    return bytes(calendar.to_ical())
