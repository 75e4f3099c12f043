"""Meeting outcomes: the atomic save, the server-side draft, the record and attendance over time.

`SaveMeeting` validates everything first, then writes the meeting, its attendance, guests,
attachments, decisions and new tasks in one transaction: all land or none do. The draft of the
form is kept per user and forum, so a rerun or a dropped connection mid-meeting loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NotRequired, TypedDict, cast

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_locality, require_write
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.forum.structure import require_forum
from employdash.forum.tasks import new_task_row
from employdash.handed_ids import forum_people
from employdash.limits import MAX_MEETING_ITEMS, check_count, clean_text
from employdash.models import AuditEntry, Organisation, Person
from employdash.models.base import utcnow
from employdash.models.forum import (
    MEETING_KINDS,
    Attendance,
    Decision,
    Forum,
    Meeting,
    MeetingAttachment,
    MeetingDraft,
    MeetingGuest,
    Task,
    Team,
)

MAX_NEXT_DATES = 3
TEAM_KIND_TO_MEETING = {"steering": "steering", "forum": "forum", "task": "task", "adhoc": "task"}


@dataclass
class MeetingInput:
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


class SaveMeeting:
    """validate() then run(): one meeting with everything decided in it, in one transaction."""

    def __init__(self, db: Database, actor: Actor, data: MeetingInput) -> None:
        self.db, self.actor, self.data = db, actor, data

    def clean(self) -> None:
        """Control characters out and every text and list within its limit, before the rest
        is checked (the form and any other caller alike)."""
        d = self.data
        for name in ("agenda", "decisions", "guests", "attachments", "tasks", "next_dates"):
            check_count(getattr(d, name), name, MAX_MEETING_ITEMS)
        check_count(d.attendance, "attendance", MAX_MEETING_ITEMS)
        d.agenda = [clean_text(a, "meeting/agenda_item") for a in d.agenda]
        d.issues = clean_text(d.issues, "meeting/issues")
        d.decisions = [clean_text(x, "meeting/decision") for x in d.decisions]
        d.guests = [
            {
                "name": clean_text(g.get("name"), "meeting/guest_name"),
                "organisation": clean_text(g.get("organisation"), "meeting/guest_organisation"),
            }
            for g in d.guests
        ]
        d.attachments = [
            {
                "title": clean_text(a.get("title"), "meeting/attachment_title"),
                "url": clean_text(a.get("url"), "meeting/attachment_url"),
            }
            for a in d.attachments
        ]
        d.tasks = [{**t, "title": clean_text(t.get("title"), "task/title")} for t in d.tasks]

    def validate(self, s: Session) -> tuple[Forum, Team]:
        d = self.data
        require_write(self.actor, Area.FORUM, d.locality_code)
        self.clean()
        forum = require_forum(s, d.locality_code)
        team = s.get(Team, d.team_id)
        errors: dict[str, str] = {}
        if team is None or team.forum_id != forum.id:
            raise ValidationError({"team": "validation.invalid"})
        d.kind = d.kind or TEAM_KIND_TO_MEETING[team.kind]
        if d.kind not in MEETING_KINDS:
            errors["kind"] = "validation.invalid"
        if d.held_on is None:
            errors["held_on"] = "validation.required"
        if d.number is not None and not 1 <= d.number <= 7:
            errors["number"] = "validation.out_of_range"
        if len(set(d.next_dates)) > MAX_NEXT_DATES:
            errors["next_dates"] = "validation.out_of_range"
        owners = {t.get("owner_person_id") for t in d.tasks}
        people = set(d.attendance) | {o for o in owners if isinstance(o, int)}
        # A person of another locality is refused like an unknown one (handed IDs are checked).
        known = forum_people(s, people, d.locality_code)
        if set(d.attendance) - known:
            errors["attendance"] = "validation.invalid"
        for i, task in enumerate(d.tasks):
            if not (task.get("title") or "").strip():
                errors[f"tasks[{i}].title"] = "validation.required"
            if task.get("owner_person_id") not in known | {None}:
                errors[f"tasks[{i}].owner"] = "validation.invalid"
        for i, link in enumerate(d.attachments):
            url = (link.get("url") or "").strip()
            if url and not url.lower().startswith(("https://", "http://")):
                errors[f"attachments[{i}].url"] = "validation.invalid"
        if any(not (g.get("name") or "").strip() for g in d.guests):
            errors["guests"] = "validation.required"
        if errors:
            raise ValidationError(errors)
        return forum, team

    def already_saved(self, s: Session) -> int | None:
        """The meeting this very form saved before (double click, second tab, a retry)."""
        if not self.data.form_token:
            return None
        return s.scalar(select(Meeting.id).where(Meeting.form_token == self.data.form_token))

    def run(self) -> int:
        try:
            return self._run()
        except IntegrityError:
            # Two saves of one form raced; the unique token let exactly one of them land.
            with self.db.transaction() as s:
                mid = self.already_saved(s)
            if mid is None:
                raise
            return mid

    def _run(self) -> int:
        d = self.data
        with self.db.transaction() as s:
            forum, team = self.validate(s)
            earlier = self.already_saved(s)
            if earlier is not None:
                return earlier
            meeting = Meeting(
                forum_id=forum.id,
                team_id=team.id,
                kind=d.kind,
                number=d.number,
                held_on=d.held_on,
                agenda=[a for a in d.agenda if a.strip()],
                issues=d.issues.strip() or None,
                next_dates=sorted({x.isoformat() for x in d.next_dates}),
                created_by=self.actor.username,
                form_token=d.form_token or None,
            )
            s.add(meeting)
            s.flush()
            mid = meeting.id
            if d.attendance:
                s.execute(
                    insert(Attendance),
                    [
                        {"meeting_id": mid, "person_id": p, "present": bool(v)}
                        for p, v in d.attendance.items()
                    ],
                )
            for guest in d.guests:
                s.add(
                    MeetingGuest(
                        meeting_id=mid,
                        name=guest["name"].strip(),
                        organisation=(guest.get("organisation") or "").strip() or None,
                    )
                )
            for link in d.attachments:
                if (link.get("title") or link.get("url") or "").strip():
                    s.add(
                        MeetingAttachment(
                            meeting_id=mid,
                            title=(link.get("title") or link["url"]).strip(),
                            url=(link.get("url") or "").strip() or None,
                        )
                    )
            for text in d.decisions:
                if text.strip():
                    s.add(Decision(meeting_id=mid, text=text.strip(), is_open=True))
            s.flush()
            new_tasks = [
                Task(**new_task_row(forum.id, {"team_id": team.id, **values}, mid))
                for values in d.tasks
            ]
            s.add_all(new_tasks)
            s.flush()
            for task in new_tasks:
                audit.record(
                    s,
                    self.actor,
                    "create",
                    "task",
                    task.id,
                    after={
                        "title": task.title,
                        "owner_person_id": task.owner_person_id,
                        "due_date": task.due_date,
                        "meeting_id": mid,
                    },
                    locality_code=d.locality_code,
                )
            s.execute(
                delete(MeetingDraft).where(
                    MeetingDraft.user_id == self.actor.user_id, MeetingDraft.forum_id == forum.id
                )
            )
            audit.record(
                s,
                self.actor,
                "create",
                "meeting",
                mid,
                after={
                    "team_id": team.id,
                    "kind": d.kind,
                    "held_on": d.held_on,
                    "number": d.number,
                    "present": sum(1 for v in d.attendance.values() if v),
                    "absent": sum(1 for v in d.attendance.values() if not v),
                    "decisions": len([x for x in d.decisions if x.strip()]),
                    "tasks": len(d.tasks),
                },
                locality_code=d.locality_code,
            )
            return mid


def save_meeting(db: Database, actor: Actor, data: MeetingInput) -> int:
    return SaveMeeting(db, actor, data).run()


# --- drafts -------------------------------------------------------------------------------------


def save_draft(db: Database, actor: Actor, locality_code: int, data: dict[str, Any]) -> None:
    """Keep the form as typed (JSON-safe values), replacing the previous draft."""
    require_write(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        row = s.get(MeetingDraft, (actor.user_id, forum.id))
        if row is None:
            s.add(MeetingDraft(user_id=actor.user_id, forum_id=forum.id, data=data))
        else:
            row.data = data
            row.updated_at = utcnow()


def load_draft(db: Database, actor: Actor, locality_code: int) -> dict[str, Any] | None:
    require_write(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        row = s.get(MeetingDraft, (actor.user_id, forum.id))
        return dict(row.data) if row else None


def discard_draft(db: Database, actor: Actor, locality_code: int) -> None:
    require_write(actor, Area.FORUM, locality_code)
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
        s.execute(
            delete(MeetingDraft).where(
                MeetingDraft.user_id == actor.user_id, MeetingDraft.forum_id == forum.id
            )
        )


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
    require_locality(actor, locality_code)
    with db.transaction() as s:
        return attendance_rows(s, require_forum(s, locality_code).id)


def member_attendance(db: Database, actor: Actor, locality_code: int) -> list[MemberAttendance]:
    """Per person: meetings they were expected at, how many they came to, and the share."""
    require_locality(actor, locality_code)
    present = func.sum(case((Attendance.present.is_(True), 1), else_=0))
    with db.transaction() as s:
        forum = require_forum(s, locality_code)
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


def _corrected_on(s: Session, meeting_id: int) -> date | None:
    """A correction (meeting_edits.correct_meeting) leaves an "update" audit row on the meeting;
    the minutes say when the latest was made."""
    at = s.scalar(
        select(func.max(AuditEntry.at)).where(
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
        require_locality(actor, forum.locality_code)
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
                "corrected_on": _corrected_on(s, meeting_id),
            }
        )
