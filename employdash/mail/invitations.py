"""Invitations to a planned meeting, their updates and cancellations: one e-mail per invitee
with an address, in their language, with the meeting's `.ics` attached.

The consumers of `meeting.scheduled` and `meeting.cancelled` run in the transaction of the
command that emitted the event, so the outbox rows commit with the change or not at all. A person
without a (valid) e-mail gets nothing and is no error: the manager's screen lists them as not
reachable. The outbox is the record of what was sent, so the messages are queued also while
`MAIL_FROM` is empty; the calendar then names a placeholder organiser (`PLACEHOLDER_ORGANISER`),
which only an installation that cannot send mail at all ever shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Any, Literal
from urllib.parse import urlsplit

from babel.dates import format_date
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from employdash.config import get_config
from employdash.events import EventName, consumes
from employdash.i18n import BABEL_LOCALE, fmt_date, fmt_number, t
from employdash.mail import layout
from employdash.mail.calendar import CalendarMeeting, CalendarPerson, ics
from employdash.mail.message import one_line
from employdash.mail.outbox import Attachment, Mail, enqueue_all
from employdash.models import Event
from employdash.models.core import Locality, Person, User
from employdash.models.forum import Forum, Invitee, PlannedMeeting, Team
from employdash.models.mail import OutboxMessage

State = Literal["created", "changed", "cancelled", "removed"]
KINDS: Mapping[State, str] = {
    "created": "invitation",
    "changed": "invitation_update",
    "cancelled": "invitation_cancel",
    "removed": "invitation_cancel",
}
PLANNED_MEETING = "planned_meeting"  # the entity of the events these consumers write mail for
CALENDAR_FILE = "invite.ics"
REQUEST_TYPE = "text/calendar; method=REQUEST; charset=utf-8"
CANCEL_TYPE = "text/calendar; method=CANCEL; charset=utf-8"
# The organiser a calendar names while MAIL_FROM is unset: `.invalid` can never be delivered to
# (RFC 2606), so no reply reaches a stranger.
PLACEHOLDER_ORGANISER = "no-reply@employdash.invalid"


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str | None
    language: str
    member: bool  # a person of the forum; a guest is an optional participant
    token: str | None  # the RSVP link's; None for someone no longer invited


@dataclass(frozen=True)
class MeetingMail:
    """The meeting as every message about it needs it, loaded once per event."""

    planned: PlannedMeeting
    forum: Forum
    team: Team
    locality: Locality
    sequence: int
    organiser_address: str
    invited_names: Sequence[str]
    recipients: Sequence[Recipient]


def isolate(text: str) -> str:
    """User text set apart for the bidi algorithm (FSI ... PDI): an English topic in a Hebrew
    line, or a Hebrew team name in an English one, keeps its own direction and does not pull the
    numbers and punctuation beside it into its run."""
    return f"\u2068{text}\u2069"


def valid_address(raw: str | None) -> str | None:
    """The address normalised, or None when there is none or it is not an address."""
    if not raw or not raw.strip():
        return None
    try:
        return str(validate_email(raw.strip(), check_deliverability=False).normalized)
    except EmailNotValidError:
        return None


def organiser_address(mail_from: str) -> str:
    return valid_address(parseaddr(mail_from)[1]) or PLACEHOLDER_ORGANISER


def _languages(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    """The language of each person's account, for those who have one (an active account's
    when a person has several: it is ordered last, so it wins)."""
    users = session.scalars(
        select(User).where(User.person_id.in_(set(person_ids))).order_by(User.active, User.id)
    )
    return {u.person_id: u.language for u in users if u.person_id is not None}


def recipients_for(
    session: Session,
    people: Sequence[tuple[int | None, str | None, str | None, str | None]],
    default_language: str,
) -> tuple[list[str], list[Recipient]]:
    """For (person_id, guest_name, guest_email, token) rows: every name, and a recipient for
    each who has a valid address (a person in their account's language, a guest in
    `default_language`)."""
    ids = [p for p, _, _, _ in people if p is not None]
    persons = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
    languages = _languages(session, ids)
    names: list[str] = []
    found: list[Recipient] = []
    for person_id, guest_name, guest_email, token in people:
        person = persons.get(person_id) if person_id is not None else None
        name = one_line(person.full_name if person else guest_name or "") or None
        if name:
            names.append(name)
        address = valid_address(person.email if person else guest_email)
        if address is None:
            continue
        language = languages.get(person.id, default_language) if person else default_language
        found.append(Recipient(address, name, language, person is not None, token))
    return names, found


def _meeting_mail(session: Session, payload: Mapping[str, Any]) -> MeetingMail:
    config = get_config()
    planned = session.get_one(PlannedMeeting, int(payload["planned_meeting_id"]))
    forum = session.get_one(Forum, planned.forum_id)
    invitees = session.scalars(
        select(Invitee).where(Invitee.planned_meeting_id == planned.id).order_by(Invitee.id)
    )
    names, recipients = recipients_for(
        session,
        [(i.person_id, i.guest_name, i.guest_email, i.token) for i in invitees],
        config.DEFAULT_LANGUAGE,
    )
    return MeetingMail(
        planned=planned,
        forum=forum,
        team=session.get_one(Team, planned.team_id),
        locality=session.get_one(Locality, forum.locality_code),
        sequence=int(payload["sequence"]),
        organiser_address=organiser_address(config.MAIL_FROM),
        invited_names=names,
        recipients=recipients,
    )


def _removed(session: Session, removed: Iterable[Mapping[str, Any]]) -> list[Recipient]:
    rows = [(r.get("person_id"), r.get("guest_name"), r.get("guest_email"), None) for r in removed]
    return recipients_for(session, rows, get_config().DEFAULT_LANGUAGE)[1]


def when(planned: PlannedMeeting, lang: str) -> dict[str, str]:
    """The meeting's day and local times, as the catalogue's texts take them."""
    return {
        "weekday": format_date(planned.on_date, "EEEE", locale=BABEL_LOCALE[lang]),
        "date": fmt_date(planned.on_date, lang),
        "start": planned.starts.strftime("%H:%M"),
        "end": planned.ends.strftime("%H:%M"),
    }


def _agenda_lines(
    agenda: Sequence[Mapping[str, Any]], lang: str, apart: Callable[[str], str] = isolate
) -> list[str]:
    lines = []
    for number, item in enumerate(agenda, start=1):
        parts = [apart(str(item.get("topic") or ""))]
        if item.get("presenter"):
            name = apart(str(item["presenter"]))
            parts.append(t("mail.invitation.agenda.presenter", lang, name=name))
        if item.get("minutes"):
            parts.append(
                t("mail.invitation.agenda.minutes", lang, n=fmt_number(int(item["minutes"]), lang))
            )
        lines.append(f"{fmt_number(number, lang)}. " + " · ".join(parts))
    return lines


def _names(m: MeetingMail, lang: str, apart: Callable[[str], str] = isolate) -> dict[str, str]:
    """The names the texts show; `apart` isolates user text for the bidi algorithm in a message
    (a calendar entry gets it as typed: `str`)."""
    locality = m.locality.name_he if lang == "he" else m.locality.name_en
    return {"team": apart(m.team.name), "forum": apart(m.forum.name), "locality": locality}


def _blocks(m: MeetingMail, who: Recipient, state: State, reason: str | None) -> list[layout.Block]:
    lang = who.language
    times = when(m.planned, lang)
    details: list[tuple[str, str | None]] = [(t("mail.invitation.when", lang, **times), None)]
    if m.planned.place:
        details.append((t("mail.invitation.place", lang, place=isolate(m.planned.place)), None))
    if m.planned.online_url and state in ("created", "changed"):
        url = m.planned.online_url
        link = url if urlsplit(url).scheme in ("http", "https") else None
        details.append((t("mail.invitation.online", lang, url=isolate(url)), link))
    blocks: list[layout.Block] = [
        layout.Paragraph(t(f"mail.invitation.intro.{state}", lang, **_names(m, lang)))
    ]
    if reason:
        blocks.append(layout.Paragraph(t("mail.invitation.reason", lang, reason=isolate(reason))))
    blocks.append(layout.Items(t("mail.invitation.details", lang), details))
    if state in ("cancelled", "removed"):
        blocks.append(layout.Paragraph(t("mail.invitation.calendar.cancel", lang)))
        return blocks
    agenda = _agenda_lines(m.planned.agenda or [], lang)
    if agenda:
        blocks.append(layout.Items(t("mail.invitation.agenda", lang), [(a, None) for a in agenda]))
    invited = t("mail.invitation.invited", lang, n=fmt_number(len(m.invited_names), lang))
    blocks.append(layout.Items(invited, [(name, None) for name in m.invited_names]))
    if who.token:
        blocks.append(layout.Paragraph(t("mail.invitation.rsvp.hint", lang)))
        blocks.append(
            layout.Button(t("mail.invitation.rsvp", lang), layout.link("/rsvp", token=who.token))
        )
    blocks.append(layout.Paragraph(t("mail.invitation.calendar.request", lang)))
    return blocks


def _calendar(m: MeetingMail, who: Recipient, state: State, reason: str | None) -> bytes:
    lang = who.language
    place = [p for p in (m.planned.place, m.planned.online_url) if p]
    description = _agenda_lines(m.planned.agenda or [], lang, str)
    if reason:
        description.insert(0, t("mail.invitation.reason", lang, reason=reason))
    invited = [who] if state == "removed" else m.recipients
    attendees = [CalendarPerson(r.address, r.name, r.member) for r in invited]
    meeting = CalendarMeeting(
        uid=m.planned.uid,
        sequence=m.sequence,
        on_date=m.planned.on_date,
        starts=m.planned.starts,
        ends=m.planned.ends,
        summary=one_line(t("mail.invitation.summary", lang, **_names(m, lang, str))),
        location=" · ".join(place) or None,
        description="\n".join(description),
        organiser=CalendarPerson(m.organiser_address, _names(m, lang)["locality"]),
        attendees=attendees,
    )
    return ics(meeting, cancelled=state in ("cancelled", "removed"), stamp=datetime.now(UTC))


def _digest(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def dedupe_key(kind: str, planned_id: int, sequence: int, address: str) -> str:
    """One message of a kind per address and version of the meeting: an address that two
    invitees share gets it once. The address goes in as a digest, so the key stays within its
    column however long the address."""
    return f"{kind}:{planned_id}:{sequence}:{_digest(address)}"


def _invited_before(session: Session, planned_id: int) -> set[str]:
    """The digests of the addresses an invitation or update of the meeting was queued for."""
    keys = session.scalars(
        select(OutboxMessage.dedupe_key).where(
            or_(
                *(
                    OutboxMessage.dedupe_key.startswith(
                        f"{KINDS[state]}:{planned_id}:", autoescape=True
                    )
                    for state in ("created", "changed")
                )
            )
        )
    )
    return {key.rpartition(":")[2] for key in keys if key}


def invitation_mail(
    m: MeetingMail, who: Recipient, state: State, reason: str | None = None
) -> Mail:
    """The message to `who`: an invitation, its update, or a cancellation (`state`)."""
    lang = who.language
    names = _names(m, lang)
    subject = one_line(
        t(f"mail.invitation.subject.{state}", lang, **when(m.planned, lang), **names)
    )
    cancel = state in ("cancelled", "removed")
    return layout.compose(
        KINDS[state],
        layout.Recipient(who.address, who.name, lang),
        t(f"mail.invitation.title.{state}", lang),
        _blocks(m, who, state, reason),
        [t("mail.invitation.footer", lang, **names)],
        subject=subject,
        locality_code=m.forum.locality_code,
        attachments=(
            Attachment(
                CALENDAR_FILE,
                CANCEL_TYPE if cancel else REQUEST_TYPE,
                _calendar(m, who, state, reason),
            ),
        ),
        dedupe_key=dedupe_key(KINDS[state], m.planned.id, m.sequence, who.address),
    )


@consumes(EventName.MEETING_SCHEDULED)
def invite(session: Session, event: Event) -> None:
    """Every invitee with an address gets the invitation (a new meeting, or one just added to
    the list) or its update (a changed meeting they were invited to); those taken off the list
    get a cancellation. The dates a held meeting sets
    for the next ones are announced with the same event about the `meeting`: those have no
    planned meeting, so nothing to invite to yet."""
    if event.entity != PLANNED_MEETING:
        return
    m = _meeting_mail(session, event.payload)
    changed = event.payload.get("change") == "changed"
    before = _invited_before(session, m.planned.id) if changed else set()
    mails = [
        invitation_mail(m, who, "changed" if _digest(who.address) in before else "created")
        for who in m.recipients
    ]
    mails += [
        invitation_mail(m, who, "removed") for who in _removed(session, event.payload["removed"])
    ]
    enqueue_all(session, mails)


@consumes(EventName.MEETING_CANCELLED)
def cancel(session: Session, event: Event) -> None:
    """Every invitee with an address gets the cancellation, with the reason given."""
    if event.entity != PLANNED_MEETING:
        return
    m = _meeting_mail(session, event.payload)
    reason = one_line(str(event.payload.get("reason") or "")) or None
    enqueue_all(session, [invitation_mail(m, who, "cancelled", reason) for who in m.recipients])
