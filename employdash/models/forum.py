"""The locality forum: its teams and members, stage milestones, strategic focuses with success
metrics, the work plan's tasks, meetings with their outcomes, quarterly snapshots and drafts.

Editable records carry a `version` (the mapper's `version_id_col`) so two people editing the same
record never silently overwrite each other.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from employdash.models.base import Base, JsonType, UtcDateTime, VersionedRecord, utcnow

TEAM_KINDS = ("steering", "forum", "task", "adhoc")
TASK_STATUSES = ("not_started", "in_progress", "blocked", "done")
# A cancelled task stays in the history but leaves every count; only a manager sets it.
TASK_CANCELLED = "cancelled"
ALL_TASK_STATUSES = (*TASK_STATUSES, TASK_CANCELLED)
FORUM_ROLES = ("chair", "referent", "team_lead", "member")
MEETING_KINDS = ("steering", "forum", "task")
PLANNED_STATUSES = ("planned", "cancelled", "held")
RSVP_ANSWERS = ("coming", "not_coming", "maybe")
TARGET_TOLERANCE = 0.1  # a new forum's tolerance for a metric behind its line


class MeetingPart:
    """Mixed into a row of one meeting's record (a guest, an attachment, a decision): it is
    deleted with the meeting."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True, sort_order=-1
    )


class Forum(VersionedRecord, Base):
    """One forum per locality; `stage` is the model stage (1..3) its milestones have reached."""

    __tablename__ = "forum"
    __table_args__ = (CheckConstraint("stage BETWEEN 1 AND 3", name="stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locality_code: Mapped[int] = mapped_column(ForeignKey("locality.code"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[int] = mapped_column(Integer, default=1)
    stage_since: Mapped[date | None] = mapped_column(Date)
    # the stage it was set up at: its stage never falls below it
    start_stage: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # How far behind its straight line a metric may fall before it is off track, as a share of
    # the way from baseline to target (employdash.forum.target_status).
    target_tolerance: Mapped[float] = mapped_column(
        Float, default=TARGET_TOLERANCE, server_default=str(TARGET_TOLERANCE)
    )


class StrategicFocus(VersionedRecord, Base):
    __tablename__ = "strategic_focus"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


class SuccessMetric(VersionedRecord, Base):
    """An outcome indicator a focus aims to move, from `baseline` to `target` by `target_date`.

    Either a catalogue indicator (`indicator_code`, its values come from the imports) or a manual
    metric (`name`, `unit`, `direction`; the manager enters its values per period, MetricValue).
    """

    __tablename__ = "success_metric"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    focus_id: Mapped[int] = mapped_column(
        ForeignKey("strategic_focus.id", ondelete="CASCADE"), index=True
    )
    indicator_code: Mapped[str | None] = mapped_column(ForeignKey("indicator_definition.code"))
    name: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(20))
    direction: Mapped[str | None] = mapped_column(String(4), doc="up or down: manual metrics")
    baseline: Mapped[float] = mapped_column(Float)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    target: Mapped[float] = mapped_column(Float)
    target_date: Mapped[date] = mapped_column(Date)
    retired: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


class MetricValue(VersionedRecord, Base):
    """A value of a manual metric for one period, as the manager entered it; entered again, it is
    replaced over the `version` the manager saw (one row per period: a second first entry is
    refused by the unique constraint)."""

    __tablename__ = "metric_value"
    __table_args__ = (UniqueConstraint("metric_id", "period", name="uq_metric_value_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric_id: Mapped[int] = mapped_column(
        ForeignKey("success_metric.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    entered_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Team(VersionedRecord, Base):
    __tablename__ = "team"
    __table_args__ = (CheckConstraint("kind IN ('steering','forum','task','adhoc')", name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    focus_id: Mapped[int | None] = mapped_column(ForeignKey("strategic_focus.id"))
    lead_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Membership(VersionedRecord, Base):
    """A person in a team, with their role there; a person may sit in several teams.

    An ended membership (`ended_on`) stays for the history; from that day the person is no longer
    expected at the team's meetings.
    """

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("team_id", "person_id", name="uq_membership_team_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(120))
    joined_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


class MilestoneRecord:
    """Mixed into what a forum keeps about one of its stage milestones (its check, its note):
    one row per forum and milestone."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), sort_order=-1)
    milestone_key: Mapped[str] = mapped_column(String(60), sort_order=-1)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[UniqueConstraint]:
        name = f"uq_{cls.__tablename__}_forum_key"  # type: ignore[attr-defined]  # mapped subclasses name their table
        return (UniqueConstraint("forum_id", "milestone_key", name=name),)


class MilestoneCheck(MilestoneRecord, Base):
    """A stage milestone checked off: when, and by whom."""

    __tablename__ = "milestone_check"

    checked_on: Mapped[date] = mapped_column(Date)
    checked_by: Mapped[str] = mapped_column(String(60))
    # set: an optional milestone marked not applicable, and why (it does not block the stage)
    not_applicable_reason: Mapped[str | None] = mapped_column(Text)


class MilestoneNote(MilestoneRecord, VersionedRecord, Base):
    """A note on a stage milestone and an optional link to its document (title and URL)."""

    __tablename__ = "milestone_note"

    note: Mapped[str | None] = mapped_column(Text)
    link_title: Mapped[str | None] = mapped_column(String(200))
    link_url: Mapped[str | None] = mapped_column(String(500))


class TeamMeeting:
    """Mixed into a meeting, planned or held: the forum, the team that meets, and its kind
    (a steering committee's, the forum's, a task team's)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-1)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), sort_order=-1)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), sort_order=-1)
    kind: Mapped[str] = mapped_column(String(20), sort_order=-1)


class Meeting(TeamMeeting, VersionedRecord, Base):
    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint("kind IN ('steering','forum','task')", name="kind"),
        Index("ix_meeting_forum_held", "forum_id", "held_on"),
    )

    number: Mapped[int | None] = mapped_column(Integer, doc="1..7: the model's meeting outline")
    held_on: Mapped[date] = mapped_column(Date)
    agenda: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    issues: Mapped[str | None] = mapped_column(Text)
    next_dates: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # The form instance that saved it: a second save of the same form finds this meeting.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)


class PlannedMeeting(TeamMeeting, VersionedRecord, Base):
    """A meeting before it is held: when and where, its agenda and whom it invites. Its `uid`
    and `sequence` are the calendar invitation's (RFC 5545): the uid never changes, the sequence
    rises with every change sent, so a calendar replaces the entry instead of adding one."""

    __tablename__ = "planned_meeting"
    __table_args__ = (
        CheckConstraint("kind IN ('steering','forum','task')", name="kind"),
        CheckConstraint("status IN ('planned','cancelled','held')", name="status"),
        CheckConstraint("ends > starts", name="ends_after_starts"),
        Index("ix_planned_meeting_forum_on", "forum_id", "on_date"),
    )

    on_date: Mapped[date] = mapped_column(Date, doc="the local date (Asia/Jerusalem)")
    starts: Mapped[time] = mapped_column(Time, doc="local time")
    ends: Mapped[time] = mapped_column(Time, doc="local time")
    place: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    agenda: Mapped[list[Any]] = mapped_column(
        JsonType, default=list, doc="[{topic, presenter, minutes}]"
    )
    status: Mapped[str] = mapped_column(String(20), default="planned")
    uid: Mapped[str] = mapped_column(String(120), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), doc="the meeting record once it is held"
    )
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Invitee(Base):
    """One person (a member, or a guest with an e-mail) invited to a planned meeting, with their
    answer. `token` is the RSVP link's: it names this invitation and nothing else."""

    __tablename__ = "invitee"
    __table_args__ = (
        CheckConstraint("answer IN ('coming','not_coming','maybe')", name="answer"),
        CheckConstraint(
            "person_id IS NOT NULL OR guest_email IS NOT NULL", name="person_or_guest_email"
        ),
        UniqueConstraint("planned_meeting_id", "person_id", name="uq_invitee_person"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    planned_meeting_id: Mapped[int] = mapped_column(
        ForeignKey("planned_meeting.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    guest_name: Mapped[str | None] = mapped_column(String(160))
    guest_email: Mapped[str | None] = mapped_column(String(200))
    answer: Mapped[str | None] = mapped_column(String(20))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    token: Mapped[str] = mapped_column(String(64), unique=True)


class Attendance(Base):
    __tablename__ = "attendance"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)


class MeetingGuest(MeetingPart, Base):
    __tablename__ = "meeting_guest"

    name: Mapped[str] = mapped_column(String(160))
    organisation: Mapped[str | None] = mapped_column(String(200))


class MeetingAttachment(MeetingPart, Base):
    __tablename__ = "meeting_attachment"

    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))


class Decision(MeetingPart, VersionedRecord, Base):
    __tablename__ = "decision"

    text: Mapped[str] = mapped_column(Text)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    closed_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="SET NULL"))


class Task(VersionedRecord, Base):
    __tablename__ = "task"
    __table_args__ = (
        CheckConstraint(
            "status IN ('not_started','in_progress','blocked','done','cancelled')", name="status"
        ),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
        Index("ix_task_forum_status", "forum_id", "status"),
        Index("ix_task_owner", "owner_person_id"),
        Index("ix_task_team", "team_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"))
    focus_id: Mapped[int | None] = mapped_column(ForeignKey("strategic_focus.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    completed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)  # no server default here


class TaskNote(Base):
    """A note on a task (and the reason given when it is marked blocked), listed on the task."""

    __tablename__ = "task_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PlanApproval(Base):
    """The mayor's approval of the work plan: dated, by whom, with an optional note."""

    __tablename__ = "plan_approval"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    approved_on: Mapped[date] = mapped_column(Date)
    approved_by: Mapped[str] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    plan_version: Mapped[str | None] = mapped_column(String(64))  # the plan approved
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class QuarterlyReview(Base):
    """A frozen snapshot of one quarter: every metric against target, and plan vs done."""

    __tablename__ = "quarterly_review"
    __table_args__ = (UniqueConstraint("forum_id", "quarter", name="uq_quarterly_review_quarter"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"))
    quarter: Mapped[str] = mapped_column(String(7), doc="e.g. 2026Q3")
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    taken_by: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)


class MeetingDraft(Base):
    """The meeting form as last typed, per user and forum, so a dropped connection loses nothing."""

    __tablename__ = "meeting_draft"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    forum_id: Mapped[int] = mapped_column(
        ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JsonType)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
