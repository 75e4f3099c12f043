"""Planned meetings: scheduled, edited and cancelled by a manager, answered by their invitees.

A planned meeting is a meeting before it is held: its date and local (Asia/Jerusalem) times, a
place or an online link, its agenda, and whom it invites (people of the forum, and guests with an
e-mail). Each invitee holds the token of their RSVP link. Every change raises the meeting's
calendar `sequence` and emits an event the invitation mail reads (`meeting.scheduled` with
`change` "created" or "changed" and the invitees the change dropped, `meeting.cancelled`,
`invitation.answered`): the forum never writes mail itself.

Expected attendance is the invited people who answered coming or have not answered yet; a
meeting that expects fewer than the forum's two-thirds line (`health.ATTENDANCE_LINE`) of its
invited people is flagged, on the forum page and, two days ahead, by `below_two_thirds`.
"""

from __future__ import annotations

import math
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, ReadScope, read_scope
from employdash.commands import Command, Ref, Write, execute
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.events import EventName
from employdash.forum.health import ATTENDANCE_LINE
from employdash.forum.states import PLANNED_MEETING
from employdash.forum.structure import ForumChange, meeting_kind, require_forum
from employdash.handed_ids import forum_person
from employdash.i18n import local_today
from employdash.limits import MAX_MEETING_ITEMS, check_count
from employdash.models import Person
from employdash.models.base import utcnow
from employdash.models.forum import (
    RSVP_ANSWERS,
    Forum,
    Invitee,
    PlannedMeeting,
    Team,
)

MAX_AGENDA_ITEMS = 50
MAX_AGENDA_MINUTES = 600
ANSWERS = RSVP_ANSWERS  # coming, not coming, maybe (the screens' order)
WARNING_DAYS = 2  # the two-thirds warning looks this many days ahead
PLANNED_TEXTS = {
    "place": "planned_meeting/place",
    "online_url": "planned_meeting/online_url",
    "agenda[].topic": "planned_meeting/agenda_topic",
    "agenda[].presenter": "planned_meeting/agenda_presenter",
    "guests[].name": "planned_meeting/guest_name",
    "guests[].email": "planned_meeting/guest_email",
}
PLANNED_READ_MODELS = frozenset({Area.FORUM, Area.BRIEFING, Area.RSVP})


def invited(person_id: int) -> Ref[Person]:
    """A person handed to a meeting's invitees: one the forum's locality may name."""
    return Ref(Person, int(person_id), forum_person)


def _valid_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and " " not in url


def _checked_email(address: str) -> str | None:
    """The address as email-validator normalises it, or None when it is not an address."""
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


@dataclass(kw_only=True)
class PlanContent(
    ForumChange[int], entity="planned_meeting", texts=PLANNED_TEXTS, invalidates=PLANNED_READ_MODELS
):
    """What the schedule form holds, and its rules, for scheduling a meeting and for editing one.
    `today` is the local date the date is judged against (the local date when not given)."""

    team: Ref[Team]
    kind: str = ""
    on_date: date | None = None
    starts: time | None = None
    ends: time | None = None
    place: str | None = None
    online_url: str | None = None
    agenda: list[dict[str, Any]] = field(default_factory=list)  # topic, presenter, minutes
    invitees: list[Ref[Person]] = field(default_factory=list)
    guests: list[dict[str, Any]] = field(default_factory=list)  # name, email
    today: date | None = None

    def check_content(self, w: Write, forum: Forum) -> None:
        for name in ("agenda", "guests"):
            check_count(getattr(self, name), name, MAX_AGENDA_ITEMS)
        check_count(self.invitees, "invitees", MAX_MEETING_ITEMS)
        errors: dict[str, str] = {}
        self.kind = meeting_kind(w, self.team, forum, self.kind, errors)
        if self.on_date is None:
            errors["on_date"] = "validation.required"
        elif self.on_date < (self.today or local_today()):
            errors["on_date"] = "planning.date_past"
        if self.starts is None:
            errors["starts"] = "validation.required"
        if self.ends is None:
            errors["ends"] = "validation.required"
        elif self.starts is not None and self.ends <= self.starts:
            errors["ends"] = "planning.ends_before_starts"
        if not self.place and not self.online_url:
            errors["place"] = "planning.place_or_link"
        if self.online_url and not _valid_url(self.online_url):
            errors["online_url"] = "planning.invalid_url"
        errors |= self._agenda_errors() | self._guest_errors()
        if not self.invitees and not self.guests:
            errors["invitees"] = "planning.no_invitees"
        if errors:
            raise ValidationError(errors)

    def _agenda_errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for i, item in enumerate(self.agenda):
            if not item.get("topic"):
                errors[f"agenda[{i}].topic"] = "validation.required"
            minutes = item.get("minutes")
            if minutes is not None and (
                not isinstance(minutes, int) or not 0 < minutes <= MAX_AGENDA_MINUTES
            ):
                errors[f"agenda[{i}].minutes"] = "validation.out_of_range"
        return errors

    def _guest_errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        for i, guest in enumerate(self.guests):
            if not guest.get("name"):
                errors[f"guests[{i}].name"] = "validation.required"
            address = _checked_email(guest.get("email") or "")
            if address is None:
                errors[f"guests[{i}].email"] = "planning.invalid_email"
            else:
                guest["email"] = address
        return errors

    def columns(self) -> dict[str, Any]:
        """The planned meeting's own columns as this command sets them."""
        return {
            "team_id": self.team.id,
            "kind": self.kind,
            "on_date": self.on_date,
            "starts": self.starts,
            "ends": self.ends,
            "place": self.place,
            "online_url": self.online_url,
            "agenda": [
                {
                    "topic": a.get("topic"),
                    "presenter": a.get("presenter"),
                    "minutes": a.get("minutes"),
                }
                for a in self.agenda
            ],
        }

    def wanted(self) -> tuple[list[int], dict[str, str]]:
        """The invited person IDs (each once) and the guests by address (each address once)."""
        people = list(dict.fromkeys(p.id for p in self.invitees))
        guests = {str(g["email"]): str(g.get("name") or "") for g in self.guests}
        return people, guests


def _new_invitee(planned_id: int, person_id: int | None = None, **guest: str) -> Invitee:
    return Invitee(
        planned_meeting_id=planned_id,
        person_id=person_id,
        guest_name=guest.get("name"),
        guest_email=guest.get("email"),
        token=secrets.token_urlsafe(32),
    )


def _removed(invitee: Invitee) -> dict[str, Any]:
    return {
        "person_id": invitee.person_id,
        "guest_name": invitee.guest_name,
        "guest_email": invitee.guest_email,
    }


@dataclass(kw_only=True)
class ScheduleMeeting(
    PlanContent, at="locality_code", emits=frozenset({EventName.MEETING_SCHEDULED})
):
    """A new planned meeting of a team of the locality's forum, with its invitees; returns its
    id. Its calendar uid is new and its sequence 0."""

    locality_code: int

    @classmethod
    def of(cls, locality_code: int, values: dict[str, Any]) -> ScheduleMeeting:
        return cls(locality_code=locality_code, **handed(values))

    def validate(self, w: Write) -> None:
        self.check_content(w, require_forum(w.session, self.locality_code))

    def run(self, w: Write) -> int:
        forum = require_forum(w.session, self.locality_code)
        people, guests = self.wanted()
        planned = PlannedMeeting(
            forum_id=forum.id,
            **self.columns(),
            status="planned",
            uid=f"{uuid.uuid4()}@employdash",
            sequence=0,
            created_by=w.actor.username,
        )
        w.create(
            planned,
            {**self.columns(), "invitees": people, "guests": sorted(guests)},
        )
        w.session.add_all(
            [_new_invitee(planned.id, p) for p in people]
            + [_new_invitee(planned.id, name=n, email=e) for e, n in guests.items()]
        )
        w.session.flush()
        announce_planned(w, EventName.MEETING_SCHEDULED, planned, change="created", removed=[])
        return planned.id


def handed(values: dict[str, Any]) -> dict[str, Any]:
    """The schedule form's values as a command's fields: the team and invitees as references."""
    given = dict(values)
    given["team"] = Ref(Team, int(given.pop("team_id")))
    given["invitees"] = [invited(p) for p in given.pop("invitee_ids", [])]
    return given


def announce_planned(w: Write, name: str, planned: PlannedMeeting, **payload: Any) -> None:
    """An event of a planned meeting, with what its invitations' mail needs: the meeting and the
    sequence its calendar files carry (a calendar keeps the file of the highest)."""
    w.emit(name, planned.id, planned_meeting_id=planned.id, sequence=planned.sequence, **payload)


def _open_planned(w: Write, planned: Ref[PlannedMeeting], version: int) -> PlannedMeeting:
    """The planned meeting a change is about, still to be held (a stale version is refused as
    such, by the update, first)."""
    row = w.get(planned)
    if row.status != "planned" and row.version == version:
        raise ValidationError({"status": f"planning.already_{row.status}"})
    return row


@dataclass(kw_only=True)
class EditPlannedMeeting(PlanContent, at="planned", emits=frozenset({EventName.MEETING_SCHEDULED})):
    """A planned meeting, read at `version`, with its fields and invitees as the form now holds
    them; returns the new version. Invitees kept keep their answer and link; the event names
    those dropped, so they can be told the meeting is off for them. The sequence rises by one."""

    planned: Ref[PlannedMeeting]
    version: int

    @classmethod
    def of(cls, planned_id: int, version: int, values: dict[str, Any]) -> EditPlannedMeeting:
        return cls(planned=Ref(PlannedMeeting, planned_id), version=version, **handed(values))

    def validate(self, w: Write) -> None:
        row = _open_planned(w, self.planned, self.version)
        self.check_content(w, w.session.get_one(Forum, row.forum_id))

    def run(self, w: Write) -> int:
        row = w.get(self.planned)
        people, guests = self.wanted()
        current = list(
            w.session.scalars(select(Invitee).where(Invitee.planned_meeting_id == row.id))
        )
        dropped = [
            i
            for i in current
            if (i.person_id is not None and i.person_id not in people)
            or (i.person_id is None and i.guest_email not in guests)
        ]
        had_people = {i.person_id for i in current if i.person_id is not None}
        had_guests = {i.guest_email for i in current if i.person_id is None}
        added = [_new_invitee(row.id, p) for p in people if p not in had_people] + [
            _new_invitee(row.id, name=n, email=e) for e, n in guests.items() if e not in had_guests
        ]
        was = {"invitees": sorted(had_people), "guests": sorted(g or "" for g in had_guests)}
        now = {"invitees": sorted(people), "guests": sorted(guests)}
        columns = self.columns()
        if was != now or any(getattr(row, k) != v for k, v in columns.items()):
            columns["sequence"] = row.sequence + 1
        if not w.update(row, self.version, columns, owned=(was, now)):
            return row.version
        for invitee in dropped:
            w.session.delete(invitee)
        w.session.add_all(added)
        w.session.flush()
        removed = [_removed(i) for i in dropped]
        announce_planned(w, EventName.MEETING_SCHEDULED, row, change="changed", removed=removed)
        return row.version


@dataclass
class CancelPlannedMeeting(
    ForumChange[int],
    entity="planned_meeting",
    reason="planned_meeting/cancel_reason",
    emits=frozenset({EventName.MEETING_CANCELLED}),
    invalidates=PLANNED_READ_MODELS,
):
    """Call a planned meeting off, with the reason the invitees are told; returns the version."""

    planned: Ref[PlannedMeeting]
    version: int
    reason: str | None

    def validate(self, w: Write) -> None:
        row = w.get(self.planned)
        if row.version == self.version:  # a stale screen is refused as such, by the update
            PLANNED_MEETING.move(row.status, "cancelled")

    def run(self, w: Write) -> int:
        row = w.get(self.planned)
        values = {"status": "cancelled", "sequence": row.sequence + 1}
        w.update(row, self.version, values, action="cancel", note={"reason": self.reason})
        announce_planned(w, EventName.MEETING_CANCELLED, row, reason=self.reason)
        return row.version


@dataclass
class AnswerInvitation(
    Command[str],
    area=Area.RSVP,
    entity="invitee",
    invalidates=PLANNED_READ_MODELS,
    emits=frozenset({EventName.INVITATION_ANSWERED}),
):
    """An invitee answers their own invitation (the link's token names it): coming, not coming
    or maybe; answering again changes the answer. Refused for someone else's invitation, and on a
    cancelled, held or past meeting. Returns the answer."""

    invitee: Ref[Invitee]
    token: str
    answer: str
    today: date | None = None

    def validate(self, w: Write) -> None:
        invitee = w.get(self.invitee)
        if not secrets.compare_digest(invitee.token, self.token):
            raise NotFound(f"invitation {self.invitee.id}")
        if invitee.person_id is None or invitee.person_id != w.actor.person_id:
            raise PermissionDenied(f"{w.actor.username} may answer only their own invitation")
        if self.answer not in RSVP_ANSWERS:
            raise ValidationError({"answer": "validation.invalid"})
        planned = w.session.get_one(PlannedMeeting, invitee.planned_meeting_id)
        if planned.status == "cancelled":
            raise ValidationError({"answer": "planning.already_cancelled"})
        if planned.status == "held" or planned.on_date < (self.today or local_today()):
            raise ValidationError({"answer": "planning.meeting_past"})

    def run(self, w: Write) -> str:
        invitee = w.get(self.invitee)
        before = invitee.answer
        invitee.answer, invitee.answered_at = self.answer, utcnow()
        w.session.flush()
        w.audit("answer", invitee.id, before={"answer": before}, after={"answer": self.answer})
        w.emit(
            EventName.INVITATION_ANSWERED,
            invitee.id,
            planned_meeting_id=invitee.planned_meeting_id,
            invitee_id=invitee.id,
            answer=self.answer,
        )
        return self.answer


def schedule_meeting(db: Database, actor: Actor, locality_code: int, values: dict[str, Any]) -> int:
    return execute(db, actor, ScheduleMeeting.of(locality_code, values)).value


def answer_invitation(
    db: Database, actor: Actor, token: str, answer: str, today: date | None = None
) -> str:
    """Answer the invitation the RSVP link's `token` names (see `AnswerInvitation`)."""
    found = invitation(db, actor, token)
    command = AnswerInvitation(Ref(Invitee, found.invitee_id), token, answer, today)
    return execute(db, actor, command).value


# --- reads ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InviteeView:
    id: int
    person_id: int | None
    name: str
    email: str | None  # None: not reachable by mail
    answer: str | None
    guest: bool


@dataclass(frozen=True)
class ExpectedAttendance:
    """Expected attendance of a planned meeting against the two-thirds line: the invited people
    (guests aside) who answered coming or have not answered yet."""

    invited: int
    expected: int
    needed: int  # the two-thirds line, in people

    @property
    def below(self) -> bool:
        return self.invited > 0 and self.expected < self.needed


@dataclass(frozen=True)
class PlannedView:
    id: int
    version: int
    locality_code: int
    team_id: int
    team: str
    kind: str
    on_date: date
    starts: time
    ends: time
    place: str | None
    online_url: str | None
    agenda: list[dict[str, Any]]
    status: str
    sequence: int
    meeting_id: int | None
    invitees: list[InviteeView]
    attendance: ExpectedAttendance

    def answered(self, answer: str | None) -> list[InviteeView]:
        return [i for i in self.invitees if i.answer == answer]

    @property
    def unreachable(self) -> list[InviteeView]:
        return [i for i in self.invitees if i.email is None]


def expected_attendance(answers: Iterable[str | None]) -> ExpectedAttendance:
    """The invited people's answers (guests aside) against the two-thirds line."""
    given = list(answers)
    expected = sum(1 for a in given if a in (None, "coming"))
    return ExpectedAttendance(len(given), expected, math.ceil(len(given) * ATTENDANCE_LINE - 1e-9))


def _views(s: Session, scope: ReadScope, where: Sequence[Any]) -> list[PlannedView]:
    rows = s.execute(
        select(PlannedMeeting, Team.name, Forum.locality_code)
        .join(Forum, Forum.id == PlannedMeeting.forum_id)
        .join(Team, Team.id == PlannedMeeting.team_id)
        .where(scope.of(Forum.locality_code), *where)
        .order_by(PlannedMeeting.on_date, PlannedMeeting.starts, PlannedMeeting.id)
    ).all()
    # The invitees of the meetings read in the scope: an invited person of another locality (a
    # forum's member from elsewhere) is shown by the forum's own right, as its member lists do.
    invitees: dict[int, list[InviteeView]] = {p.id: [] for p, _, _ in rows}
    for invitee, name, email in s.execute(
        select(Invitee, Person.full_name, Person.email)
        .outerjoin(Person, Person.id == Invitee.person_id)
        .where(Invitee.planned_meeting_id.in_(list(invitees)))
        .order_by(Invitee.person_id.is_(None), Person.full_name, Invitee.guest_name, Invitee.id)
    ):
        guest = invitee.person_id is None
        invitees[invitee.planned_meeting_id].append(
            InviteeView(
                invitee.id,
                invitee.person_id,
                (invitee.guest_name or "") if guest else name,
                invitee.guest_email if guest else (email or None),
                invitee.answer,
                guest,
            )
        )
    return [
        PlannedView(
            p.id,
            p.version,
            code,
            p.team_id,
            team,
            p.kind,
            p.on_date,
            p.starts,
            p.ends,
            p.place,
            p.online_url,
            list(p.agenda or []),
            p.status,
            p.sequence,
            p.meeting_id,
            invitees[p.id],
            expected_attendance(i.answer for i in invitees[p.id] if not i.guest),
        )
        for p, team, code in rows
    ]


def upcoming(
    db: Database, actor: Actor, locality_code: int, today: date | None = None
) -> list[PlannedView]:
    """The forum's planned meetings still to be held, from `today` on, soonest first, with their
    invitees, answers and who cannot be reached by mail."""
    scope = read_scope(actor, Area.FORUM, locality_code)
    today = today or local_today()
    with db.transaction() as s:
        return _views(
            s, scope, [PlannedMeeting.status == "planned", PlannedMeeting.on_date >= today]
        )


def planned_meeting(db: Database, actor: Actor, planned_id: int) -> PlannedView:
    """One planned meeting of the actor's scope (`NotFound` otherwise)."""
    scope = read_scope(actor, Area.FORUM)
    with db.transaction() as s:
        found = _views(s, scope, [PlannedMeeting.id == planned_id])
    if not found:
        raise NotFound(f"planned meeting {planned_id}")
    return found[0]


@dataclass(frozen=True)
class InvitationView:
    """An invitation as its invitee sees it (the RSVP page, the tasks page)."""

    invitee_id: int
    token: str
    answer: str | None
    meeting: PlannedView

    @property
    def open(self) -> bool:
        """Still to be answered or changed: the meeting is neither cancelled nor held."""
        return self.meeting.status == "planned"


def _own_invitations(
    s: Session, actor: Actor, scope: ReadScope, where: Sequence[Any]
) -> list[InvitationView]:
    if actor.person_id is None:
        return []
    rows = s.execute(
        select(Invitee.id, Invitee.token, Invitee.answer, Invitee.planned_meeting_id).where(
            Invitee.person_id == actor.person_id, *where
        )
    ).all()
    views = {v.id: v for v in _views(s, scope, [PlannedMeeting.id.in_([r[3] for r in rows])])}
    found = [InvitationView(r[0], r[1], r[2], views[r[3]]) for r in rows if r[3] in views]
    return sorted(found, key=lambda i: (i.meeting.on_date, i.meeting.starts, i.invitee_id))


def invitation(db: Database, actor: Actor, token: str) -> InvitationView:
    """The invitation the RSVP link's `token` names: `NotFound` for no such invitation (or one
    outside the actor's scope), `PermissionDenied` for someone else's."""
    scope = read_scope(actor, Area.RSVP)
    with db.transaction() as s:
        owner = s.scalar(select(Invitee.person_id).where(Invitee.token == token))
        found = _own_invitations(s, actor, scope, [Invitee.token == token])
    if found:
        return found[0]
    if owner is not None and owner != actor.person_id:
        raise PermissionDenied(f"{actor.username}: not their invitation")
    raise NotFound("invitation")


def my_invitations(db: Database, actor: Actor, today: date | None = None) -> list[InvitationView]:
    """The actor's own invitations to meetings still to be held, soonest first."""
    scope = read_scope(actor, Area.RSVP)
    ahead = select(PlannedMeeting.id).where(
        PlannedMeeting.status == "planned", PlannedMeeting.on_date >= (today or local_today())
    )
    with db.transaction() as s:
        return _own_invitations(s, actor, scope, [Invitee.planned_meeting_id.in_(ahead)])


@dataclass(frozen=True)
class NextPlanned:
    """The forum's next planned meeting, for the briefing."""

    on_date: date
    starts: time
    place: str | None
    online: bool


def next_planned(s: Session, forum_id: int, as_of: date) -> NextPlanned | None:
    """The soonest planned meeting of the forum from `as_of` (the caller read the forum in its
    scope)."""
    row = s.scalars(
        select(PlannedMeeting)
        .where(
            PlannedMeeting.forum_id == forum_id,
            PlannedMeeting.status == "planned",
            PlannedMeeting.on_date >= as_of,
        )
        .order_by(PlannedMeeting.on_date, PlannedMeeting.starts)
        .limit(1)
    ).first()
    if row is None:
        return None
    return NextPlanned(row.on_date, row.starts, row.place, bool(row.online_url))


@dataclass(frozen=True)
class Shortfall:
    """A planned meeting soon to be held whose expected attendance is below the line."""

    planned_meeting_id: int
    forum_id: int
    locality_code: int
    on_date: date
    starts: time
    attendance: ExpectedAttendance


def below_two_thirds(
    source: Session | Database, today: date, days: int = WARNING_DAYS
) -> list[Shortfall]:
    """Every locality's planned meetings from `today` to `days` ahead (local dates) that expect
    fewer than two-thirds of their invited people, soonest first: a system read for the warning
    mail, made by no user (the scheduled job runs it in its own session, or hands the database)."""
    if isinstance(source, Database):
        with source.transaction() as s:
            return below_two_thirds(s, today, days)
    s = source
    meetings = s.scalars(
        select(PlannedMeeting)
        .where(
            PlannedMeeting.status == "planned",
            PlannedMeeting.on_date >= today,
            PlannedMeeting.on_date <= today + timedelta(days=days),
        )
        .order_by(PlannedMeeting.on_date, PlannedMeeting.starts, PlannedMeeting.id)
    ).all()
    answers: dict[int, list[str | None]] = {m.id: [] for m in meetings}
    for planned_id, answer in s.execute(
        select(Invitee.planned_meeting_id, Invitee.answer).where(
            Invitee.planned_meeting_id.in_(list(answers)), Invitee.person_id.is_not(None)
        )
    ):
        answers[planned_id].append(answer)
    found = []
    for m in meetings:
        attendance = expected_attendance(answers[m.id])
        if attendance.below:
            forum = s.get_one(Forum, m.forum_id)
            found.append(
                Shortfall(m.id, m.forum_id, forum.locality_code, m.on_date, m.starts, attendance)
            )
    return found


def soon_and_below(view: PlannedView, today: date, days: int = WARNING_DAYS) -> bool:
    """The forum page's warning: the meeting is within `days` and expects too few."""
    return view.attendance.below and today <= view.on_date <= today + timedelta(days=days)
