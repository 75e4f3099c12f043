"""Entities every part shares: localities, organisations, people, users, the audit log.

One Organisation table and one Person table serve the forum, the stakeholder map, the employer
survey and the mentoring programs, so a stakeholder who joins the forum is the same record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from employdash.models.base import Base, JsonType, UtcDateTime, VersionedRecord, utcnow

# Sectors of organisations, as the model names the forum's players (annex 9).
SECTORS = (
    "municipality",
    "employment_office",
    "national_insurance",
    "government",
    "regional_cluster",
    "employer",
    "academia_training",
    "ngo",
    "residents",
)


class Locality(Base):
    """A CBS locality; `code` is the CBS locality code."""

    __tablename__ = "locality"

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name_he: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    district_id: Mapped[int | None] = mapped_column(Integer)
    district_he: Mapped[str | None] = mapped_column(String(60))
    district_en: Mapped[str | None] = mapped_column(String(60))
    region: Mapped[str | None] = mapped_column(String(20), doc="north / south / other")
    population: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    municipal_status: Mapped[str | None] = mapped_column(String(80))
    aliases: Mapped[str | None] = mapped_column(Text, doc="previous and merged names, ';'-joined")
    is_program: Mapped[bool] = mapped_column(Boolean, default=False, doc="in the WORKIT program")


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = (Index("ix_organisation_locality_name", "locality_code", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(40))
    locality_code: Mapped[int | None] = mapped_column(ForeignKey("locality.code"))
    employee_count: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Person(VersionedRecord, Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    full_name: Mapped[str] = mapped_column(String(160))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    locality_code: Mapped[int | None] = mapped_column(ForeignKey("locality.code"))
    job_title: Mapped[str | None] = mapped_column(String(160))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


class User(VersionedRecord, Base):
    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin','leadership','manager','member','programme')", name="role"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2), default="he")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)  # no server default here
    # Signed into the login cookie and bumped on logout, password reset, role change and
    # deactivation: every older cookie (and open session) of the user stops working at once.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    localities: Mapped[list[UserLocality]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def locality_codes(self) -> list[int]:
        """The codes of the account's localities, sorted (as an edit sets and audits them)."""
        return sorted(ul.locality_code for ul in self.localities)

    @locality_codes.setter
    def locality_codes(self, codes: list[int]) -> None:
        self.localities = [UserLocality(locality_code=c) for c in codes]


class UserLocality(Base):
    """A user's locality scope; admins have none and see everything."""

    __tablename__ = "user_locality"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    locality_code: Mapped[int] = mapped_column(ForeignKey("locality.code"), primary_key=True)


class LoginThrottle(Base):
    """Failed-login counter per username, in the database so a lock holds across restarts and
    replicas (streamlit-authenticator only counts in memory)."""

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(60), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        Index("ix_audit_entry_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    username: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    locality_code: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JsonType)


class Event(Base):
    """Something that happened, written in the transaction of the change that caused it, for
    whatever must follow the change (mail, calendar): nothing is lost if a process dies after the
    commit, and nothing is emitted for a change that rolled back."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_name", "name", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    name: Mapped[str] = mapped_column(String(60), doc="area.what_happened, e.g. meeting.saved")
    username: Mapped[str] = mapped_column(String(60))
    locality_code: Mapped[int | None] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType)
