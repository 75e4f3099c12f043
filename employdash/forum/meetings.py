"""Meeting outcomes: the atomic save, the server-side draft, the record and attendance over time.

`SaveMeeting` writes the meeting, its attendance, guests, attachments, decisions and new tasks in
one command: all land or none do. It tells what happened as events: `meeting.saved` (who came, the
decisions, the tasks), `meeting.scheduled` (the next meetings it set, and who is invited) and
`task.assigned` for each task with an owner. The draft of the form is kept per user and forum, so
a rerun or a dropped connection mid-meeting loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NotRequired, TypedDict, cast

from sqlalchemy import bindparam, case, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, ReadScope, read_scope
from employdash.commands import Command, Ref, Write, execute, ids, ref
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.events import EventName
from employdash.forum.structure import (
    ForumChange,
    meeting_kind,
    reading_existing_forum,
    require_forum,
)
from employdash.forum.tasks import announce_owner, new_task_row
from employdash.handed_ids import forum_person
from employdash.limits import FIELDS, MAX_DRAFT_CHARS, MAX_MEETING_ITEMS, check_count, too_long
from employdash.models import AuditEntry, Organisation, Person
from employdash.models.base import table_of, utcnow
from employdash.models.forum import (
    Attendance,
    Decision,
    Forum,
    Meeting,
    MeetingAttachment,
    MeetingDraft,
    MeetingGuest,
    Membership,
    PlannedMeeting,
    StrategicFocus,
    Task,
    Team,
)
from employdash.models.record import Document

MAX_NEXT_DATES = 3


@dataclass
class MeetingInput:
    """The meeting form as typed: plain values and IDs (`SaveMeeting.of` makes the command)."""

    locality_code: int
    team_id: int
    held_on: date | None  # None until the form's date is filled: refused by `validate`
    kind: str = ""
    number: int | None = None
    agenda: list[str] = field(default_factory=list)
    attendance: dict[int, bool] = field(default_factory=dict)  # person id -> present
    guests: list[dict[str, str]] = field(default_factory=list)  # name, organisation
    issues: str = ""
    decisions: list[str] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)  # title, owner_person_id, due_date
    attachments: list[dict[str, str]] = field(default_factory=list)  # title, url
    next_dates: list[date] = field(default_factory=list)  # up to MAX_NEXT_DATES
    form_token: str | None = None  # one per opened form: a second save returns the first meeting
    planned_id: int | None = None  # the planned meeting this one holds (marked held with it)
    # in a correction, the decision each line of `decisions` is (None: a new one), in order
    decision_ids: list[int | None] = field(default_factory=list)


@dataclass
class NewTask:
    """A task the meeting decides: its owner a person of the forum's locality (or sitting in its
    forum), its team (the meeting's by default) and focus of this forum."""

    title: str | None
    owner: Ref[Person] | None = None
    team: Ref[Team] | None = None
    focus: Ref[StrategicFocus] | None = None
    due_date: date | None = None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> NewTask:
        return cls(
            values.get("title"),
            ref(Person, values.get("owner_person_id"), within=forum_person),
            ref(Team, values.get("team_id")),
            ref(StrategicFocus, values.get("focus_id")),
            values.get("due_date"),
        )


def attendee(person_id: int) -> Ref[Person]:
    """A person handed to the attendance: one the forum's locality may name."""
    return Ref(Person, int(person_id), forum_person)


MEETING_TEXTS = {
    "agenda[]": "meeting/agenda_item",
    "issues": "meeting/issues",
    "decisions[]": "meeting/decision",
    "guests[].name": "meeting/guest_name",
    "guests[].organisation": "meeting/guest_organisation",
    "attachments[].title": "meeting/attachment_title",
    "attachments[].url": "meeting/attachment_url",
    "tasks[].title": "task/title",
}
# The statements a save runs, built once (building one costs more than running it).
INSERT_MEETING = insert(table_of(Meeting)).returning(Meeting.id)
INSERT_ATTENDANCE = insert(table_of(Attendance))
INSERT_DECISIONS = insert(table_of(Decision)).returning(Decision.id, sort_by_parameter_order=True)
_DRAFTS = table_of(MeetingDraft).c
# A user's draft of a forum's meeting form, removed when the form is saved or discarded.
DROP_DRAFT = delete(table_of(MeetingDraft)).where(
    _DRAFTS.user_id == bindparam("user_id"), _DRAFTS.forum_id == bindparam("forum_id")
)
MEETING_EVENTS = frozenset(
    {EventName.MEETING_SAVED, EventName.MEETING_SCHEDULED, EventName.TASK_ASSIGNED}
)


def meeting_columns(
    team_id: int,
    kind: str,
    number: int | None,
    held_on: date | None,
    agenda: list[str | None] | list[str],
    issues: str | None,
    next_dates: list[date],
) -> dict[str, Any]:
    """A meeting's own columns as stored (what a stale correction compares)."""
    return {
        "team_id": team_id,
        "kind": kind,
        "number": number,
        "held_on": held_on,
        "agenda": [a for a in agenda if a],
        "issues": issues or None,
        "next_dates": sorted({x.isoformat() for x in next_dates}),
    }


@dataclass(kw_only=True)
class MeetingContent(ForumChange[int], entity="meeting", texts=MEETING_TEXTS):
    """What a meeting's form holds, and its rules, for saving a meeting and for correcting one."""

    locality_code: int
    team: Ref[Team]
    held_on: date | None
    kind: str = ""
    number: int | None = None
    agenda: list[str | None] = field(default_factory=list)
    present: list[Ref[Person]] = field(default_factory=list)
    absent: list[Ref[Person]] = field(default_factory=list)
    guests: list[dict[str, str | None]] = field(default_factory=list)
    issues: str | None = None
    decisions: list[str | None] = field(default_factory=list)
    tasks: list[NewTask] = field(default_factory=list)
    attachments: list[dict[str, str | None]] = field(default_factory=list)
    next_dates: list[date] = field(default_factory=list)

    @staticmethod
    def content(data: MeetingInput) -> dict[str, Any]:
        """The command's fields from the form's input."""
        return dict(
            locality_code=data.locality_code,
            team=Ref(Team, data.team_id),
            held_on=data.held_on,
            kind=data.kind,
            number=data.number,
            agenda=list(data.agenda),
            present=[attendee(p) for p, here in data.attendance.items() if here],
            absent=[attendee(p) for p, here in data.attendance.items() if not here],
            guests=[dict(g) for g in data.guests],
            issues=data.issues,
            decisions=list(data.decisions),
            tasks=[NewTask.of(t) for t in data.tasks],
            attachments=[dict(a) for a in data.attachments],
            next_dates=list(data.next_dates),
        )

    def validate(self, w: Write) -> None:
        for name in ("agenda", "decisions", "guests", "attachments", "tasks", "next_dates"):
            check_count(getattr(self, name), name, MAX_MEETING_ITEMS)
        check_count([*self.present, *self.absent], "attendance", MAX_MEETING_ITEMS)
        # the team's forum: the team is resolved in the command's locality, whose one forum it is
        forum = w.session.get_one(Forum, w.get(self.team).forum_id)
        errors: dict[str, str] = {}
        self.kind = meeting_kind(w, self.team, forum, self.kind, errors)
        if self.held_on is None:
            errors["held_on"] = "validation.required"
        if self.number is not None and not 1 <= self.number <= 7:
            errors["number"] = "validation.out_of_range"
        if len(set(self.next_dates)) > MAX_NEXT_DATES:
            errors["next_dates"] = "validation.out_of_range"
        for i, task in enumerate(self.tasks):
            if not task.title:
                errors[f"tasks[{i}].title"] = "validation.required"
        for i, link in enumerate(self.attachments):
            url = link.get("url") or ""
            if url and not url.lower().startswith(("https://", "http://")):
                errors[f"attachments[{i}].url"] = "validation.invalid"
        if any(not g.get("name") for g in self.guests):
            errors["guests"] = "validation.required"
        if errors:
            raise ValidationError(errors)

    def columns(self) -> dict[str, Any]:
        """The meeting's own columns as this command sets them."""
        return meeting_columns(
            self.team.id, self.kind, self.number, self.held_on, self.agenda, self.issues,
            self.next_dates,
        )  # fmt: skip

    def write_owned(self, w: Write, meeting_id: int) -> None:
        """The meeting's attendance, guests and links, as this command holds them."""
        seats = [(p.id, True) for p in self.present] + [(p.id, False) for p in self.absent]
        if seats:
            w.session.execute(
                INSERT_ATTENDANCE,
                [{"meeting_id": meeting_id, "person_id": p, "present": v} for p, v in seats],
            )
        for guest in self.guests:
            name = guest.get("name") or ""
            w.session.add(
                MeetingGuest(
                    meeting_id=meeting_id, name=name, organisation=guest.get("organisation")
                )
            )
        for link in self.attachments:
            title, url = link.get("title"), link.get("url")
            if title or url:
                w.session.add(MeetingAttachment(meeting_id=meeting_id, title=title or url, url=url))

    def add_decisions(self, w: Write, meeting_id: int) -> list[int]:
        """The meeting's decisions (its empty lines left out), open, inserted in one statement;
        their ids in order."""
        rows = [
            {"meeting_id": meeting_id, "text": text, "is_open": True}
            for text in self.decisions
            if text
        ]
        if not rows:
            return []
        return list(w.session.scalars(INSERT_DECISIONS, rows))

    def add_tasks(self, w: Write, forum_id: int, meeting_id: int) -> list[int]:
        """The tasks this command decides, inserted in one statement, each audited and its owner
        told; their ids in order."""
        decided = [
            ids(
                {
                    "title": new.title,
                    "owner_person_id": new.owner,
                    "team_id": new.team or self.team,
                    "focus_id": new.focus,
                    "due_date": new.due_date,
                }
            )
            for new in self.tasks
        ]
        rows = [new_task_row(forum_id, values, meeting_id) for values in decided]
        afters = [{**values, "meeting_id": meeting_id} for values in decided]
        task_ids = w.create_all(Task, rows, afters, entity="task")
        for task_id, row in zip(task_ids, rows, strict=True):
            told = DecidedTask(
                task_id, row["title"], row["owner_person_id"], row["due_date"], meeting_id
            )
            announce_owner(w, told, None)
        return task_ids


@dataclass(frozen=True)
class DecidedTask:
    """A task a meeting decided, as its owner is told of it (the row as inserted)."""

    id: int
    title: str
    owner_person_id: int | None
    due_date: date | None
    meeting_id: int


def announce(w: Write, name: str, meeting: Meeting, **payload: Any) -> None:
    """An event of a meeting, naming its forum and team (whose members its mail reaches)."""
    w.emit(name, meeting.id, forum_id=meeting.forum_id, team_id=meeting.team_id, **payload)


def announce_schedule(
    w: Write, meeting: Meeting, previous: list[str], dates: list[str] | None = None
) -> None:
    """`meeting.scheduled` when the next meetings a meeting sets are new or moved: the dates now
    and before (a calendar adds the new ones and withdraws the others), and who is invited (the
    team's members on the first new date). `dates` when the meeting itself is gone."""
    dates = list(meeting.next_dates or []) if dates is None else dates
    if dates == previous:
        return
    first = min((date.fromisoformat(d) for d in dates), default=date.today())
    invited = w.session.scalars(
        select(Membership.person_id)
        .where(
            Membership.team_id == meeting.team_id,
            or_(Membership.ended_on.is_(None), Membership.ended_on >= first),
        )
        .order_by(Membership.person_id)
    )
    announce(
        w,
        EventName.MEETING_SCHEDULED,
        meeting,
        dates=dates,
        previous_dates=previous,
        invited_person_ids=sorted(set(invited)),
    )


def already_saved(s: Session, form_token: str | None) -> int | None:
    """The meeting a form saved before (double click, second tab, a retry)."""
    if not form_token:
        return None
    return s.scalar(select(Meeting.id).where(Meeting.form_token == form_token))


@dataclass(kw_only=True)
class SaveMeeting(MeetingContent, emits=MEETING_EVENTS):
    """One meeting with everything decided in it; returns its id. A second save of the same form
    (its `form_token`) returns the meeting the first saved and writes nothing. Opened from a
    planned meeting (`planned`, of the same forum and still planned), it marks that one held."""

    form_token: str | None = None
    planned: Ref[PlannedMeeting] | None = None

    @classmethod
    def of(cls, data: MeetingInput) -> SaveMeeting:
        return cls(
            **cls.content(data),
            form_token=data.form_token or None,
            planned=ref(PlannedMeeting, data.planned_id),
        )

    def validate(self, w: Write) -> None:
        super().validate(w)
        planned = w.get_optional(self.planned)  # resolved in the meeting's locality: its forum's
        held = planned is not None and planned.status != "planned"
        if held and already_saved(w.session, self.form_token) is None:
            raise ValidationError({"planned": "validation.invalid"})

    def run(self, w: Write) -> int:
        earlier = already_saved(w.session, self.form_token)
        if earlier is not None:
            return earlier
        forum_id = w.get(self.team).forum_id  # the forum's, as `validate` checked
        columns = {
            "forum_id": forum_id,
            **self.columns(),
            "created_by": w.actor.username,
            "form_token": self.form_token,
        }
        mid = w.session.execute(INSERT_MEETING, columns).scalar_one()
        meeting = Meeting(id=mid, **columns)  # the row as inserted, outside the session
        self.write_owned(w, mid)
        decided = self.add_decisions(w, mid)
        made = self.add_tasks(w, forum_id, mid)
        w.session.execute(DROP_DRAFT, {"user_id": w.actor.user_id, "forum_id": forum_id})
        w.audit(
            "create",
            mid,
            after={
                "team_id": meeting.team_id,
                "kind": meeting.kind,
                "held_on": meeting.held_on,
                "number": meeting.number,
                "present": len(self.present),
                "absent": len(self.absent),
                "decisions": len(decided),
                "tasks": len(made),
            },
        )
        announce(
            w,
            EventName.MEETING_SAVED,
            meeting,
            kind=meeting.kind,
            number=meeting.number,
            held_on=meeting.held_on,
            present_person_ids=[p.id for p in self.present],
            absent_person_ids=[p.id for p in self.absent],
            decision_ids=decided,
            task_ids=made,
            next_dates=meeting.next_dates,
        )
        announce_schedule(w, meeting, [])
        planned = w.get_optional(self.planned)
        if planned is not None:
            w.update(
                planned,
                planned.version,
                {"status": "held", "meeting_id": mid},
                action="held",
                entity="planned_meeting",
            )
        return mid


Run = Callable[[Database, Actor, Command[int]], int]


def _value(db: Database, actor: Actor, command: Command[int]) -> int:
    return execute(db, actor, command).value


def save_meeting(db: Database, actor: Actor, data: MeetingInput, run: Run = _value) -> int:
    """Save the form's meeting through `run` (the UI's runs the command and clears what it made
    stale). Two saves of one form racing: the unique token lets one land, the other returns it."""
    try:
        return run(db, actor, SaveMeeting.of(data))
    except IntegrityError:
        with db.transaction() as s:
            mid = already_saved(s, data.form_token)
        if mid is None:
            raise
        return mid


# --- drafts -------------------------------------------------------------------------------------


def _may_draft(actor: Actor, locality_code: int) -> None:
    """A draft is the writer's own unsaved form, not a record (no audit, no version, no event):
    only someone who may save the meeting keeps one."""
    if not actor.can_write(Area.FORUM, locality_code):
        raise PermissionDenied(f"{actor.username} may not record meetings in {locality_code}")


# The longest text of the form (its issues): no text of a draft may be longer.
_DRAFT_TEXT = max(FIELDS[f].max_len for f in FIELDS if f.startswith(("meeting/", "task/")))


def _longest_text(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        return max((_longest_text(item) for item in value), default=0)
    return 0


def _check_draft(data: dict[str, Any]) -> None:
    """A draft is typed text too: bounded like the form it keeps (no text longer than the
    form's longest field, the whole no larger than a long meeting's form many times over)."""
    if _longest_text(data) > _DRAFT_TEXT:
        raise too_long("draft", _DRAFT_TEXT)
    if len(json.dumps(data, ensure_ascii=False, default=str)) > MAX_DRAFT_CHARS:
        raise too_long("draft", MAX_DRAFT_CHARS)


def save_draft(db: Database, actor: Actor, locality_code: int, data: dict[str, Any]) -> None:
    """Keep the form as typed (JSON-safe values), replacing the previous draft."""
    _may_draft(actor, locality_code)
    _check_draft(data)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        row = s.get(MeetingDraft, (actor.user_id, forum.id))
        if row is None:
            s.add(MeetingDraft(user_id=actor.user_id, forum_id=forum.id, data=data))
        else:
            row.data = data
            row.updated_at = utcnow()


def load_draft(db: Database, actor: Actor, locality_code: int) -> dict[str, Any] | None:
    _may_draft(actor, locality_code)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        row = s.get(MeetingDraft, (actor.user_id, forum.id))
        return dict(row.data) if row else None


def discard_draft(db: Database, actor: Actor, locality_code: int) -> None:
    _may_draft(actor, locality_code)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        s.execute(DROP_DRAFT, {"user_id": actor.user_id, "forum_id": forum.id})


# --- reading ------------------------------------------------------------------------------------


class MeetingAttendance(TypedDict):
    """A meeting with who was expected, who came and the share."""

    id: int
    held_on: date
    kind: str
    number: int | None
    team: str
    team_id: int
    expected: int
    present: int
    rate: float | None


class MinutesPerson(TypedDict):
    """Someone named in the minutes: an attendee (with their job title) or a guest."""

    name: str
    organisation: str | None
    role: NotRequired[str | None]


class MinutesLink(TypedDict):
    title: str
    url: str | None


class MinutesDocument(TypedDict):
    """A document attached to the meeting, as the minutes name it."""

    filename: str
    kind: str
    size: int


class MinutesTask(TypedDict):
    title: str
    owner: str | None
    due_date: date | None


class MeetingRecord(TypedDict):
    """Everything the minutes show, in the source layout's order."""

    id: int
    forum: str
    locality_code: int
    team: str
    team_kind: str
    kind: str
    number: int | None
    held_on: date
    agenda: list[str]
    issues: str
    present: list[MinutesPerson]
    absent: list[MinutesPerson]
    guests: list[MinutesPerson]
    attachments: list[MinutesLink]
    decisions: list[str]
    tasks: list[MinutesTask]
    next_dates: list[date]
    corrected_on: date | None  # the day of the latest correction (its audit row), if any
    documents: NotRequired[list[MinutesDocument]]  # the files attached in the app


class MemberAttendance(TypedDict):
    """A person's attendance over the forum's meetings."""

    person_id: int
    full_name: str
    expected: int
    present: int
    rate: float | None


def _with_rate(row: dict[str, Any]) -> dict[str, Any]:
    """Attendance counts as read (present may be NULL when nobody came) with the share present."""
    row["present"] = int(row["present"] or 0)
    row["rate"] = row["present"] / row["expected"] if row["expected"] else None
    return row


def attendance_rows(s: Session, forum_id: int) -> list[MeetingAttendance]:
    """Per meeting: who was expected (attendance rows), who came, and the share."""
    present = func.sum(case((Attendance.present.is_(True), 1), else_=0))
    rows = s.execute(
        select(
            Meeting.id,
            Meeting.held_on,
            Meeting.kind,
            Meeting.number,
            Team.name.label("team"),
            Meeting.team_id,
            func.count(Attendance.person_id).label("expected"),
            present.label("present"),
        )
        .join(Team, Team.id == Meeting.team_id)
        .outerjoin(Attendance, Attendance.meeting_id == Meeting.id)
        .where(Meeting.forum_id == forum_id)
        .group_by(
            Meeting.id, Meeting.held_on, Meeting.kind, Meeting.number, Team.name, Meeting.team_id
        )
        .order_by(Meeting.held_on, Meeting.id)
    )
    return [cast(MeetingAttendance, _with_rate(dict(r._mapping))) for r in rows]


def list_meetings(db: Database, actor: Actor, locality_code: int) -> list[MeetingAttendance]:
    with reading_existing_forum(db, actor, locality_code) as (s, forum):
        return attendance_rows(s, forum.id)


def member_attendance(db: Database, actor: Actor, locality_code: int) -> list[MemberAttendance]:
    """Per person: meetings they were expected at, how many they came to, and the share (a
    member of another locality too: the forum's meetings say who was expected)."""
    present = func.sum(case((Attendance.present.is_(True), 1), else_=0))
    with reading_existing_forum(db, actor, locality_code) as (s, forum):
        rows = s.execute(
            select(
                Person.id.label("person_id"),
                Person.full_name,
                func.count().label("expected"),
                present.label("present"),
            )
            .join(Attendance, Attendance.person_id == Person.id)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Meeting.forum_id == forum.id)
            .group_by(Person.id, Person.full_name)
            .order_by(Person.full_name)
        )
        return [cast(MemberAttendance, _with_rate(dict(r._mapping))) for r in rows]


def next_meeting(s: Session, forum_id: int, as_of: date) -> date | None:
    """The earliest next-meeting date set by any meeting that is still ahead of `as_of`."""
    lists = s.scalars(select(Meeting.next_dates).where(Meeting.forum_id == forum_id))
    upcoming = [date.fromisoformat(x) for dates in lists for x in (dates or [])]
    return min((d for d in upcoming if d >= as_of), default=None)


def _corrected_on(s: Session, scope: ReadScope, meeting_id: int) -> date | None:
    """A correction (`meeting_edits.CorrectMeeting`) leaves an "update" audit row on the meeting,
    in its locality; the minutes say when the latest was made."""
    at = s.scalar(
        select(func.max(AuditEntry.at)).where(
            scope.of(AuditEntry.locality_code),
            AuditEntry.entity == "meeting",
            AuditEntry.entity_id == str(meeting_id),
            AuditEntry.action == "update",
        )
    )
    return None if at is None else at.date()


def meeting_record(db: Database, actor: Actor, meeting_id: int) -> MeetingRecord:
    """Everything the minutes show, in the source layout's order."""
    with db.transaction() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFound(f"meeting {meeting_id}")
        forum = s.get_one(Forum, meeting.forum_id)
        scope = read_scope(actor, Area.FORUM, forum.locality_code)
        team = s.get_one(Team, meeting.team_id)
        people = s.execute(
            select(
                Person.full_name,
                Organisation.name.label("organisation"),
                Person.job_title,
                Attendance.present,
            )
            .join(Attendance, Attendance.person_id == Person.id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(Attendance.meeting_id == meeting_id)
            .order_by(Person.full_name)
        ).all()
        owner_names = dict(
            s.execute(
                select(Person.id, Person.full_name)
                .join(Task, Task.owner_person_id == Person.id)
                .where(Task.meeting_id == meeting_id)
            ).all()
        )
        tasks = s.scalars(select(Task).where(Task.meeting_id == meeting_id).order_by(Task.id))
        return MeetingRecord(
            {
                "id": meeting.id,
                "forum": forum.name,
                "locality_code": forum.locality_code,
                "team": team.name,
                "team_kind": team.kind,
                "kind": meeting.kind,
                "number": meeting.number,
                "held_on": meeting.held_on,
                "agenda": meeting.agenda or [],
                "issues": meeting.issues or "",
                "present": [
                    MinutesPerson(name=p.full_name, organisation=p.organisation, role=p.job_title)
                    for p in people
                    if p.present
                ],
                "absent": [
                    MinutesPerson(name=p.full_name, organisation=p.organisation, role=p.job_title)
                    for p in people
                    if not p.present
                ],
                "guests": [
                    MinutesPerson(name=g.name, organisation=g.organisation)
                    for g in s.scalars(
                        select(MeetingGuest).where(MeetingGuest.meeting_id == meeting_id)
                    )
                ],
                "attachments": [
                    MinutesLink(title=a.title, url=a.url)
                    for a in s.scalars(
                        select(MeetingAttachment).where(MeetingAttachment.meeting_id == meeting_id)
                    )
                ],
                "decisions": list(
                    s.scalars(
                        select(Decision.text)
                        .where(Decision.meeting_id == meeting_id)
                        .order_by(Decision.id)
                    )
                ),
                "tasks": [
                    MinutesTask(
                        title=t.title,
                        owner=None
                        if t.owner_person_id is None
                        else owner_names.get(t.owner_person_id),
                        due_date=t.due_date,
                    )
                    for t in tasks
                ],
                "next_dates": [date.fromisoformat(x) for x in meeting.next_dates or []],
                "corrected_on": _corrected_on(s, scope, meeting_id),
                "documents": [
                    MinutesDocument(filename=d.filename, kind=d.kind, size=d.size)
                    for d in s.execute(
                        select(Document.filename, Document.kind, Document.size)
                        .where(Document.meeting_id == meeting_id)
                        .order_by(Document.id)
                    )
                ],
            }
        )
