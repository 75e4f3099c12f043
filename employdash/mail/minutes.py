"""A held meeting's minutes by e-mail to its team's members and attendees, each in their own
language with the minutes PDF in that language attached.

Who receives it: the team's current members and the people marked at the meeting (present or
absent), once each, when their e-mail address is valid. The others, and the meeting's guests
(whose e-mail is not recorded), are named back to the manager as not reachable.

Which version: every outbox row's dedupe key names the meeting, the meeting's version when it was
sent and the person (`minutes:<meeting>:v<version>:person:<person>`). A correction moves the
meeting's version on, so sending again after it queues the corrected minutes, whose subject and
body say they replace those sent on the date of the earlier version's sending; sending the same
version again queues only for those who did not get it yet (an address added since), never twice.
The same keys tell the record "sent on <date> to N" (`sendings`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, read_scope
from employdash.commands import Command, Ref, Write
from employdash.config import get_config
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.forum import minutes as minutes_document
from employdash.forum.documents import describe
from employdash.forum.meetings import MeetingRecord, meeting_record
from employdash.i18n import fmt_date, local_today, plural, t
from employdash.limits import MAX_MAIL_ATTACHMENT_BYTES
from employdash.mail import layout
from employdash.mail.in_session import SessionDatabase
from employdash.mail.outbox import Attachment, Mail, enqueue
from employdash.models import Person, User
from employdash.models.forum import Attendance, Forum, Meeting, MeetingGuest, Membership
from employdash.models.mail import OutboxMessage

KIND = "minutes"
TOO_LARGE = "mail.minutes.too_large"


@dataclass(frozen=True)
class Recipient:
    person_id: int
    name: str
    address: str
    language: str


@dataclass(frozen=True)
class Recipients:
    reachable: tuple[Recipient, ...]
    unreachable: tuple[str, ...]  # names: no valid e-mail, or a guest (no e-mail recorded)


@dataclass(frozen=True)
class Sending:
    """The minutes of one version of the meeting, as queued: when last, to how many."""

    version: int
    on: date
    count: int


@dataclass(frozen=True)
class MinutesSent:
    queued: int
    already: int  # recipients who had this version already: not queued again
    unreachable: tuple[str, ...]
    replaces: date | None  # the day the earlier version was sent, when this one replaces it


def _key_prefix(meeting_id: int) -> str:
    return f"{KIND}:{meeting_id}:v"


def _dedupe_key(meeting_id: int, version: int, person_id: int) -> str:
    return f"{_key_prefix(meeting_id)}{version}:person:{person_id}"


def _valid(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(validate_email(address, check_deliverability=False).normalized)
    except EmailNotValidError:
        return None


def _recipients(s: Session, meeting: Meeting) -> Recipients:
    members = select(Membership.person_id).where(
        Membership.team_id == meeting.team_id, Membership.ended_on.is_(None)
    )
    attendees = select(Attendance.person_id).where(Attendance.meeting_id == meeting.id)
    people = s.execute(
        select(Person.id, Person.full_name, Person.email)
        .where(
            or_(Person.id.in_(members), Person.id.in_(attendees)),
            Person.active.is_(True),
        )
        .order_by(Person.full_name, Person.id)
    ).all()
    languages = dict(
        s.execute(
            select(User.person_id, User.language).where(
                User.person_id.in_([p.id for p in people]), User.active.is_(True)
            )
        ).all()
    )
    default = str(get_config().DEFAULT_LANGUAGE)
    reachable: list[Recipient] = []
    unreachable: list[str] = []
    for p in people:
        address = _valid(p.email)
        if address is None:
            unreachable.append(p.full_name)
        else:
            language = languages.get(p.id, default)
            reachable.append(Recipient(p.id, p.full_name, address, language))
    guests = s.scalars(
        select(MeetingGuest.name)
        .where(MeetingGuest.meeting_id == meeting.id)
        .order_by(MeetingGuest.id)
    )
    return Recipients(tuple(reachable), (*unreachable, *guests))


def _sendings(s: Session, meeting_id: int, locality_code: int) -> list[Sending]:
    """Per version of the meeting sent, oldest first: the day of its latest sending and how many
    it was queued to."""
    rows = s.execute(
        select(OutboxMessage.dedupe_key, OutboxMessage.created_at).where(
            OutboxMessage.kind == KIND,
            OutboxMessage.locality_code == locality_code,
            OutboxMessage.dedupe_key.startswith(_key_prefix(meeting_id), autoescape=True),
        )
    ).all()
    by_version: dict[int, list[date]] = {}
    for key, created in rows:
        version = int(str(key).removeprefix(_key_prefix(meeting_id)).split(":", 1)[0])
        by_version.setdefault(version, []).append(local_today(created))
    return [Sending(v, max(days), len(days)) for v, days in sorted(by_version.items())]


def _meeting_in_scope(s: Session, actor: Actor, meeting_id: int) -> tuple[Meeting, int]:
    meeting = s.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"meeting {meeting_id}")
    locality = s.get_one(Forum, meeting.forum_id).locality_code
    read_scope(actor, Area.FORUM, locality)
    return meeting, locality


def recipients(db: Database, actor: Actor, meeting_id: int) -> Recipients:
    """Who the minutes would reach, and who not: what the manager sees before sending."""
    with db.transaction() as s:
        meeting, _ = _meeting_in_scope(s, actor, meeting_id)
        return _recipients(s, meeting)


def sendings(db: Database, actor: Actor, meeting_id: int) -> list[Sending]:
    """The minutes of this meeting sent so far, per version, oldest first."""
    with db.transaction() as s:
        _, locality = _meeting_in_scope(s, actor, meeting_id)
        return _sendings(s, meeting_id, locality)


def _isolated(text: str) -> str:
    """A name or title typed in either script, isolated (FSI...PDI) so a Hebrew name in an English
    sentence, or the reverse, does not carry the punctuation around it to its own side."""
    return f"\u2068{text}\u2069"


def _body(
    record: MeetingRecord, lang: str, note: str | None, sender: str, replaces: date | None
) -> tuple[str, list[layout.Block]]:
    when = fmt_date(record["held_on"], lang)
    names = {"forum": _isolated(record["forum"]), "team": _isolated(record["team"]), "date": when}
    if replaces is None:
        title = t("mail.minutes.subject", lang, **names)
        opening = t("mail.minutes.intro", lang, **names)
    else:
        sent = fmt_date(replaces, lang)
        title = t("mail.minutes.subject_replaces", lang, sent=sent, **names)
        opening = t("mail.minutes.intro_replaces", lang, sent=sent, **names)
    blocks: list[layout.Block] = [layout.Paragraph(opening)]
    if note:
        blocks.append(
            layout.Paragraph(
                t("mail.minutes.note", lang, name=_isolated(sender), note=_isolated(note))
            )
        )
    blocks.append(
        layout.Paragraph(plural(len(record["decisions"]), "mail.minutes.decisions", lang))
    )
    if record["tasks"]:
        blocks.append(
            layout.Items(
                t("mail.minutes.tasks", lang),
                [
                    (
                        t(
                            "meet.minutes.task",
                            lang,
                            title=_isolated(task["title"]),
                            owner=_isolated(task["owner"] or "—"),
                            due=fmt_date(task["due_date"], lang),
                        ),
                        None,
                    )
                    for task in record["tasks"]
                ],
            )
        )
    documents = record.get("documents", [])
    if documents:
        blocks.append(
            layout.Items(
                t("record.minutes.documents", lang),
                [
                    (describe(_isolated(d["filename"]), d["kind"], d["size"], lang), None)
                    for d in documents
                ],
            )
        )
    blocks.append(
        layout.Button(
            t("mail.minutes.open", lang),
            layout.link("/forum", locality=str(record["locality_code"]), meeting=str(record["id"])),
        )
    )
    return title, blocks


def _attachment(record: MeetingRecord, lang: str) -> Attachment:
    content = minutes_document.pdf(record, lang)
    if len(content) > MAX_MAIL_ATTACHMENT_BYTES:
        raise ValidationError(
            {"meeting": TOO_LARGE},
            f"minutes PDF of {len(content)} bytes",
            {"meeting": {"max": MAX_MAIL_ATTACHMENT_BYTES // (1024 * 1024)}},
        )
    filename = f"minutes_{record['held_on']}_{lang}.pdf"
    return Attachment(filename, "application/pdf", content)


def minutes_mails(
    record: MeetingRecord,
    version: int,
    to: Recipients,
    *,
    sender: str,
    note: str | None = None,
    replaces: date | None = None,
) -> list[Mail]:
    """One e-mail per reachable recipient, in their language (the PDF made once per language)."""
    attachments: dict[str, Attachment] = {}
    mails: list[Mail] = []
    for person in to.reachable:
        lang = person.language
        if lang not in attachments:
            attachments[lang] = _attachment(record, lang)
        title, blocks = _body(record, lang, note, sender, replaces)
        mails.append(
            layout.compose(
                KIND,
                layout.Recipient(person.address, person.name, lang),
                title,
                blocks,
                [t("mail.minutes.footer", lang)],
                locality_code=record["locality_code"],
                attachments=(attachments[lang],),
                dedupe_key=_dedupe_key(record["id"], version, person.person_id),
            )
        )
    return mails


@dataclass
class SendMinutes(
    Command[MinutesSent],
    area=Area.FORUM,
    entity="meeting",
    texts={"note": "meeting/minutes_note"},
    invalidates=frozenset({Area.OUTBOX}),
):
    """Queue the minutes of `meeting` for its members and attendees (see the module's
    docstring); `note` is a few words from the manager put above the summary."""

    meeting: Ref[Meeting]
    note: str | None = None

    def run(self, w: Write) -> MinutesSent:
        meeting = w.get(self.meeting)
        locality = w.locality
        assert locality is not None  # a meeting is always in its forum's locality
        # read in this transaction: the PDF shows the very version the outbox rows name
        record = meeting_record(SessionDatabase(w.session), w.actor, meeting.id)
        earlier = [
            x for x in _sendings(w.session, meeting.id, locality) if x.version < meeting.version
        ]
        replaces = earlier[-1].on if earlier else None
        to = _recipients(w.session, meeting)
        mails = minutes_mails(
            record, meeting.version, to, sender=w.actor.full_name, note=self.note, replaces=replaces
        )
        queued = [m.to_name for m in mails if enqueue(w.session, m) is not None]
        w.audit(
            "send",
            meeting.id,
            after={
                "minutes_version": meeting.version,
                "queued": len(queued),
                "unreachable": list(to.unreachable),
                **({"note": self.note} if self.note else {}),
            },
        )
        return MinutesSent(len(queued), len(mails) - len(queued), to.unreachable, replaces)
