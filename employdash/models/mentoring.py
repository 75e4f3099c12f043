"""Mentoring pipelines: programs, pseudonymous participants and their dated stage events.

Nothing here stores a participant's current stage: every figure is recomputed from the dated
`ment_stage_event` rows, so the same query answers "now" and "as of" any past date.
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
)
from sqlalchemy.orm import Mapped, mapped_column

from employdash.models.base import Base, UtcDateTime, utcnow

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


class Program(Base):
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


class Cohort(Base):
    __tablename__ = "ment_cohort"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("ment_program.id"))
    name: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date | None] = mapped_column(Date)


class Participant(Base):
    """A mentor, mentee or trainee under a pseudonymous code: no name is stored at all."""

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


class Match(Base):
    __tablename__ = "ment_match"
    __table_args__ = (
        CheckConstraint("status IN ('active','completed','ended_early')", name="status"),
        Index("ix_ment_match_mentor", "mentor_id"),
        Index("ix_ment_match_mentee", "mentee_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("ment_participant.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("ment_participant.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(15), default="active")


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
