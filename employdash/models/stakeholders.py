"""Stakeholder maps, organisation questionnaires and the employer survey (model annexes 2, 4, 9).

A stakeholder points at the shared Organisation (and optionally Person), so the player on the map,
the forum member and the surveyed employer are one record. Positions on the power x interest grid
are kept per quarterly review in `stakeholder_position_history`, so last quarter's place can be
drawn next to today's without storing the current position twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.attributes import flag_modified

from employdash.models.base import Base, JsonType, UtcDateTime, VersionedRecord, utcnow

STANCES = ("supporter", "neutral", "resistant")
ENGAGEMENTS = ("not_contacted", "contacted", "engaged", "forum_member")
RELATION_KINDS = ("works_with", "funds", "competes_with", "reports_to")
AUDIENCES = (
    "job_seekers",
    "youth",
    "women",
    "older_45",
    "disabilities",
    "haredi",
    "arab",
    "ethiopian",
    "immigrants",
    "low_wage",
    "graduates",
    "employers",
)
BRANCHES = (
    "industry",
    "commerce",
    "hospitality",
    "logistics",
    "care",
    "technology",
    "construction",
    "agriculture",
    "education",
    "public",
    "other",
)
# The employer survey's answer scales, as annex 2 of the locality model gives them.
HIRING_HORIZONS = ("1_2", "3_6", "6_plus", "none")  # Q8: within 1-2 / 3-6 / 6+ months, no need
REMOTE_STANCES = ("hybrid", "considering", "not_relevant")  # Q9 (asked where the branch fits)
TRAINING_OFFERED = ("program", "regular", "occasional", "none")  # Q10: four levels
# Answers given before the annex-2 form said only "offers training", not at which level: kept as
# such (migration 0008) rather than guessed; the form asks for one of the four levels.
TRAINING_OFFERED_LEGACY = "offered"
TRAINING_NEEDS = ("none", "onboarding", "training")  # Q11: three levels
# How often the employer was in touch with the Employment Service, asked before the annex-2 form
# (which asks yes/no, Q12); kept for the answers that have it.
SERVICE_CONTACTS = ("none", "occasional", "regular")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ",".join(f"'{v}'" for v in values) + ")"


class Stakeholder(VersionedRecord, Base):
    """A player in a locality's map, with its place on the power x interest grid."""

    __tablename__ = "stakeholder"
    __table_args__ = (
        Index("ix_stakeholder_locality", "locality_code"),
        CheckConstraint("power BETWEEN 1 AND 5", name="power"),
        CheckConstraint("interest BETWEEN 1 AND 5", name="interest"),
        CheckConstraint(f"stance IN {_in(STANCES)}", name="stance"),
        CheckConstraint(f"engagement IN {_in(ENGAGEMENTS)}", name="engagement"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locality_code: Mapped[int] = mapped_column(ForeignKey("locality.code"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    sector: Mapped[str] = mapped_column(String(40))
    role: Mapped[str | None] = mapped_column(String(160))
    power: Mapped[int] = mapped_column(Integer)
    interest: Mapped[int] = mapped_column(Integer)
    stance: Mapped[str] = mapped_column(String(12), default="neutral")
    engagement: Mapped[str] = mapped_column(String(16), default="not_contacted")
    owner_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    last_contact: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)  # no server default here
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class StakeholderPosition(Base):
    """The stakeholder's place at a quarterly review (the latest position within that quarter)."""

    __tablename__ = "stakeholder_position_history"
    __table_args__ = (
        UniqueConstraint("stakeholder_id", "review_period", name="uq_stakeholder_review"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stakeholder_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"))
    review_period: Mapped[date] = mapped_column(Date, doc="first day of the review's quarter")
    power: Mapped[int] = mapped_column(Integer)
    interest: Mapped[int] = mapped_column(Integer)
    stance: Mapped[str] = mapped_column(String(12))
    engagement: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class StakeholderRelation(Base):
    """A directed tie between two stakeholders of the same locality."""

    __tablename__ = "stakeholder_relation"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id", "kind", name="uq_stakeholder_relation"),
        Index("ix_stakeholder_relation_locality", "locality_code"),
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint(f"kind IN {_in(RELATION_KINDS)}", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locality_code: Mapped[int] = mapped_column(ForeignKey("locality.code"))
    source_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class OrganisationProfile(VersionedRecord, Base):
    """A member organisation's answers to the mapping questionnaire (annex 4, meeting 2)."""

    __tablename__ = "organisation_profile"
    __table_args__ = (
        UniqueConstraint("organisation_id", "locality_code", name="uq_organisation_profile"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    locality_code: Mapped[int] = mapped_column(ForeignKey("locality.code"))
    goals: Mapped[str | None] = mapped_column(Text)
    activities: Mapped[str | None] = mapped_column(Text)
    audiences: Mapped[list[str]] = mapped_column(JsonType, default=list)
    collaborations: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)  # no server default here
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    programs: Mapped[list[OrganisationProgram]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OrganisationProgram.id"
    )

    @property
    def program_list(self) -> list[tuple[str, list[str]]]:
        """The programs as (name, audiences), as a save compares and audits them."""
        return [(p.name, list(p.audiences or [])) for p in self.programs]

    @program_list.setter
    def program_list(self, value: list[tuple[str, list[str]]]) -> None:
        """Replace the programs; the profile's row is saved too, so its version moves."""
        kept = {p.name: p for p in self.programs}
        self.programs = [_program(kept.pop(name, None), name, aud) for name, aud in value]
        self.updated_at = utcnow()


def _program(
    row: OrganisationProgram | None, name: str, audiences: list[str]
) -> OrganisationProgram:
    row = row or OrganisationProgram(name=name)
    row.audiences = list(audiences)
    return row


class OrganisationProgram(Base):
    """A program an organisation runs, and the audiences it serves."""

    __tablename__ = "organisation_program"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("organisation_profile.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(200))
    audiences: Mapped[list[str]] = mapped_column(JsonType, default=list)


class EmployerSurveyResponse(VersionedRecord, Base):
    """One employer's answers to the employer survey (annex 2)."""

    __tablename__ = "employer_survey_response"
    __table_args__ = (
        UniqueConstraint("locality_code", "organisation_id", "survey_date", name="uq_survey_key"),
        Index("ix_employer_survey_response_locality", "locality_code"),
        CheckConstraint(
            "satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5", name="satisfaction"
        ),
        CheckConstraint(f"hiring_horizon IN {_in(HIRING_HORIZONS)}", name="hiring_horizon"),
        CheckConstraint(
            f"remote_work IS NULL OR remote_work IN {_in(REMOTE_STANCES)}", name="remote_work"
        ),
        CheckConstraint(
            f"service_contact IS NULL OR service_contact IN {_in(SERVICE_CONTACTS)}",
            name="service_contact",
        ),
        CheckConstraint(
            "training_offered IS NULL OR training_offered IN "
            + _in((*TRAINING_OFFERED, TRAINING_OFFERED_LEGACY)),
            name="training_offered",
        ),
        CheckConstraint(
            f"training_need IS NULL OR training_need IN {_in(TRAINING_NEEDS)}",
            name="training_need",
        ),
        CheckConstraint("vacancies IS NULL OR vacancies >= 0", name="vacancies"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locality_code: Mapped[int] = mapped_column(ForeignKey("locality.code"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    survey_date: Mapped[date] = mapped_column(Date)
    location: Mapped[str | None] = mapped_column(String(200))
    branch: Mapped[str] = mapped_column(String(20))
    employee_count: Mapped[int | None] = mapped_column(Integer)
    recruitment_areas: Mapped[list[int]] = mapped_column(JsonType, default=list)
    has_vacancies: Mapped[bool | None] = mapped_column(Boolean, doc="Q6")
    vacancies: Mapped[int | None] = mapped_column(Integer, doc="Q7: how many open positions")
    hiring_horizon: Mapped[str] = mapped_column(String(8))
    recruiting_help: Mapped[bool | None] = mapped_column(Boolean, doc="Q8: wants the ES's help")
    remote_work: Mapped[str | None] = mapped_column(String(12))
    training_offered: Mapped[str | None] = mapped_column(String(12))
    training_need: Mapped[str | None] = mapped_column(String(12))
    training_needs: Mapped[list[str]] = mapped_column(JsonType, default=list)
    has_service_contact: Mapped[bool | None] = mapped_column(Boolean, doc="Q12")
    service_contact: Mapped[str | None] = mapped_column(String(12))
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    contact_consent: Mapped[bool | None] = mapped_column(Boolean, doc="Q14: may the ES call")
    community_interest: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_name: Mapped[str | None] = mapped_column(String(160))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)  # no server default here
    created_by: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    positions: Mapped[list[EmployerSurveyPosition]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EmployerSurveyPosition.id"
    )

    @property
    def position_list(self) -> list[tuple[str, int, str | None]]:
        """The open positions as sorted (profession, count, ES code), as a save compares them."""
        return sorted((p.profession, p.count, p.profession_code) for p in self.positions)

    @position_list.setter
    def position_list(self, value: list[tuple[str, int, str | None]]) -> None:
        """Replace the positions, keeping the row of a profession still listed (a profession is
        unique per response); the response's row is saved too, so its version moves."""
        kept = {p.profession: p for p in self.positions}
        rows = []
        for profession, count, code in value:
            row = kept.pop(profession, None) or EmployerSurveyPosition(profession=profession)
            row.count, row.profession_code = count, code
            rows.append(row)
        self.positions = rows
        if self.id is not None:
            flag_modified(self, "survey_date")

    def answers(self) -> dict[str, Any]:
        """The comparable content, for re-import detection and the audit log."""
        return {
            "location": self.location,
            "branch": self.branch,
            "employee_count": self.employee_count,
            "recruitment_areas": sorted(self.recruitment_areas or []),
            "has_vacancies": self.has_vacancies,
            "vacancies": self.vacancies,
            "hiring_horizon": self.hiring_horizon,
            "recruiting_help": self.recruiting_help,
            "remote_work": self.remote_work,
            "training_offered": self.training_offered,
            "training_need": self.training_need,
            "training_needs": sorted(self.training_needs or []),
            "has_service_contact": self.has_service_contact,
            "service_contact": self.service_contact,
            "satisfaction": self.satisfaction,
            "contact_consent": self.contact_consent,
            "community_interest": bool(self.community_interest),
            "contact_name": self.contact_name,
            "contact_phone": self.contact_phone,
            "contact_email": self.contact_email,
            "positions": self.position_list,
        }


class EmployerSurveyPosition(Base):
    """Open positions of one profession at a surveyed employer."""

    __tablename__ = "employer_survey_position"
    __table_args__ = (
        UniqueConstraint("response_id", "profession", name="uq_survey_position"),
        CheckConstraint("count > 0", name="count"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("employer_survey_response.id", ondelete="CASCADE"), index=True
    )
    profession: Mapped[str] = mapped_column(String(120))
    count: Mapped[int] = mapped_column(Integer)
    profession_code: Mapped[str | None] = mapped_column(String(20), doc="the ES profession code")
