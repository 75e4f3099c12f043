"""Mentoring pipelines: programs, pseudonymous participants and their dated stage events.

The dated `ment_stage_event` rows are the record. `ment_state_span` is derived from them in the
same transaction as each event (one row per event: the state it opened and until when it held),
so "now" and "as of" any past date are one index range scan rather than a window over every event.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from employdash.models.base import Base, UtcDateTime, VersionedRecord, utcnow

# The four operating models of the JDC-TEVET mentoring program (operating-model source, ch. 4).
OPERATING_MODELS = ("program_coordinator", "freelancer", "mentoring_coordinator", "disability")
POPULATIONS = ("low_wage", "disability", "ethiopian", "haredi", "arab", "age45", "other")
AGE_BANDS = ("18_24", "25_34", "35_44", "45_54", "55_plus")
ROLES = ("mentee", "mentor", "trainee")
EVENT_KINDS = ("forward", "back", "drop")
MATCH_STATUSES = ("active", "completed", "ended_early")
OUTCOME_KINDS = ("job", "integration", "promotion", "certified")
PROGRAM_KINDS = ("mentoring", "certification")


class Pipeline(Base):
    """A named ordered list of stages; one engine computes every pipeline's funnel."""

    __tablename__ = "ment_pipeline"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), doc="participant role it serves")
    name_key: Mapped[str] = mapped_column(String(80))
    label: Mapped[str | None] = mapped_column(
        String(120), doc="name of a pipeline defined in the UI"
    )
    label_en: Mapped[str | None] = mapped_column(String(120), doc="its English name, if given")
    drop_reasons: Mapped[str | None] = mapped_column(
        String(400), doc="comma-separated reason codes; empty = the shipped list"
    )


class PipelineStage(Base):
    __tablename__ = "ment_stage"
    __table_args__ = (
        UniqueConstraint("pipeline_code", "position", name="uq_ment_stage_position"),
        UniqueConstraint("pipeline_code", "code", name="uq_ment_stage_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pipeline_code: Mapped[str] = mapped_column(ForeignKey("ment_pipeline.code"))
    position: Mapped[int] = mapped_column(Integer, doc="1 = first stage")
    code: Mapped[str] = mapped_column(String(30))
    name_key: Mapped[str] = mapped_column(String(80))
    label: Mapped[str | None] = mapped_column(String(120), doc="name of a stage defined in the UI")
    label_en: Mapped[str | None] = mapped_column(String(120), doc="its English name, if given")
    terminal: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false"), doc="a closing stage"
    )


class Program(VersionedRecord, Base):
    __tablename__ = "ment_program"
    __table_args__ = (
        CheckConstraint(
            "operating_model IN ('program_coordinator','freelancer','mentoring_coordinator',"
            "'disability')",
            name="operating_model",
        ),
        Index("ix_ment_program_locality", "locality_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="mentoring")
    operating_model: Mapped[str] = mapped_column(String(30))
    target_population: Mapped[str] = mapped_column(String(20))
    coordinator_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    host_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    locality_code: Mapped[int] = mapped_column(ForeignKey("locality.code"))
    started_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # People of the operating model (source ch. 4), each a link to a person of the locality.
    contact_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    sponsor_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    tevet_manager_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    closed_on: Mapped[date | None] = mapped_column(Date)


class Cohort(Base):
    __tablename__ = "ment_cohort"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("ment_program.id"))
    name: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date | None] = mapped_column(Date)


class Participant(VersionedRecord, Base):
    """A mentor, mentee or trainee under a pseudonymous code: no name is stored at all. Its
    version is bumped by every stage move, so a repeated or concurrent move is refused."""

    __tablename__ = "ment_participant"
    __table_args__ = (
        CheckConstraint("role IN ('mentee','mentor','trainee')", name="role"),
        Index("ix_ment_participant_program", "program_id"),
        Index("ix_ment_participant_pipeline", "pipeline_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    pipeline_code: Mapped[str] = mapped_column(ForeignKey("ment_pipeline.code"))
    program_id: Mapped[int] = mapped_column(ForeignKey("ment_program.id"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("ment_cohort.id"))
    population: Mapped[str] = mapped_column(String(20))
    age_band: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class StageEvent(Base):
    """A participant entered `stage` (forward/back) or dropped out at it, on `occurred_on`."""

    __tablename__ = "ment_stage_event"
    __table_args__ = (
        CheckConstraint("kind IN ('forward','back','drop')", name="kind"),
        Index("ix_ment_stage_event_participant", "participant_id", "occurred_on"),
        Index("ix_ment_stage_event_occurred", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("ment_participant.id", ondelete="CASCADE")
    )
    stage_id: Mapped[int] = mapped_column(ForeignKey("ment_stage.id"))
    occurred_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


ACTIVE_MATCH = "status = 'active'"


class Match(VersionedRecord, Base):
    __tablename__ = "ment_match"
    __table_args__ = (
        CheckConstraint("status IN ('active','completed','ended_early')", name="status"),
        Index("ix_ment_match_mentor", "mentor_id"),
        Index("ix_ment_match_mentee", "mentee_id"),
        # One active match per mentee, enforced by the database for concurrent writers too.
        Index(
            "uq_ment_match_active_mentee",
            "mentee_id",
            unique=True,
            sqlite_where=text(ACTIVE_MATCH),
            postgresql_where=text(ACTIVE_MATCH),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("ment_participant.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("ment_participant.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(15), default="active")
    end_reason: Mapped[str | None] = mapped_column(String(30))


class Outcome(Base):
    __tablename__ = "ment_outcome"
    __table_args__ = (
        CheckConstraint("kind IN ('job','integration','promotion','certified')", name="kind"),
        Index("ix_ment_outcome_participant", "participant_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("ment_participant.id"))
    kind: Mapped[str] = mapped_column(String(15))
    reached_on: Mapped[date] = mapped_column(Date)


class Target(VersionedRecord, Base):
    """A program manager's goals for one program and period."""

    __tablename__ = "ment_target"
    __table_args__ = (
        UniqueConstraint("program_id", "period_start", name="uq_ment_target_period"),
        CheckConstraint("period_end >= period_start", name="period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("ment_program.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    matches: Mapped[int | None] = mapped_column(Integer)
    completions: Mapped[int | None] = mapped_column(Integer)
    outcomes: Mapped[int | None] = mapped_column(Integer)


class MentoringSession(VersionedRecord, Base):
    """One mentoring meeting of a match (the mentor and mentee are the match's); corrected or
    removed from the version its coordinator read."""

    __tablename__ = "ment_session"
    __table_args__ = (
        Index("ix_ment_session_match", "match_id", "held_on"),
        CheckConstraint("minutes > 0 AND minutes <= 600", name="minutes"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("ment_match.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Standard(VersionedRecord, Base):
    """A professional standard employment promoters are certified against (configurable)."""

    __tablename__ = "ment_standard"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))


class Assessment(VersionedRecord, Base):
    """Pass or fail of one trainee on one standard, with a skill-gap note."""

    __tablename__ = "ment_assessment"
    __table_args__ = (
        UniqueConstraint("participant_id", "standard_id", name="uq_ment_assessment_standard"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("ment_participant.id", ondelete="CASCADE")
    )
    standard_id: Mapped[int] = mapped_column(ForeignKey("ment_standard.id"))
    passed: Mapped[bool] = mapped_column(Boolean)
    gap_note: Mapped[str | None] = mapped_column(String(500))
    assessed_on: Mapped[date] = mapped_column(Date)


OPEN_END = date(9999, 12, 31)


class StateSpan(Base):
    """Derived from the events: the state one event opened, from its date until the next event's
    (OPEN_END while it is the latest). `furthest` is the furthest stage reached by a forward move
    up to and including this event. The state as of D is the one span with from_on <= D < to_on.
    Rebuilt per participant in the same transaction as every event write
    (employdash.mentoring.state)."""

    __tablename__ = "ment_state_span"
    __table_args__ = (
        Index(
            "ix_ment_state_span_asof",
            "pipeline_code",
            "to_on",
            "from_on",
            "program_id",
            "population",
            "position",
            "kind",
            "furthest",
            "reason",
            "cohort_id",
        ),
        Index("ix_ment_state_span_participant", "participant_id"),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("ment_stage_event.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("ment_participant.id", ondelete="CASCADE")
    )
    pipeline_code: Mapped[str] = mapped_column(String(30))
    program_id: Mapped[int] = mapped_column(Integer)
    population: Mapped[str] = mapped_column(String(20))
    cohort_id: Mapped[int | None] = mapped_column(Integer)
    stage_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(40))
    furthest: Mapped[int | None] = mapped_column(Integer)
    from_on: Mapped[date] = mapped_column(Date)
    to_on: Mapped[date] = mapped_column(Date)
