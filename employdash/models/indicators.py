"""Locality employment indicators: the catalogue, monthly values, their revisions, import batches.

One current row per (locality, month, indicator) keeps reads simple and fast; every value it
replaced moves to `indicator_value_history` with the interval during which it was the one shown,
so "what did the briefing say in March" can be answered without storing figures twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, synonym

from employdash.models.base import Base, UtcDateTime, utcnow

STATUSES = ("ok", "suppressed", "preliminary", "revised")
UNITS = ("count", "fraction", "ils")


class IndicatorDefinition(Base):
    """An indicator; breakdown indicators point at their total through `parent_code`."""

    __tablename__ = "indicator_definition"
    __table_args__ = (CheckConstraint("unit IN ('count','fraction','ils')", name="unit"),)

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name_he: Mapped[str] = mapped_column(String(160))
    name_en: Mapped[str] = mapped_column(String(160))
    unit: Mapped[str] = mapped_column(String(12))
    higher_is_better: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(120))
    frequency: Mapped[str] = mapped_column(String(12), default="monthly")
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("indicator_definition.code"))
    dimension: Mapped[str | None] = mapped_column(String(30), doc="age_group, gender, ...")
    category: Mapped[str | None] = mapped_column(String(30), doc="the cell within the dimension")
    headline: Mapped[bool] = mapped_column(Boolean, default=False, doc="shown on the briefing")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ImportBatch(Base):
    """One committed import: who loaded which file, and what it changed."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    username: Mapped[str] = mapped_column(String(60))
    filename: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    layout: Mapped[str] = mapped_column(String(20), doc="long or wide")
    source: Mapped[str] = mapped_column(String(120))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_added: Mapped[int] = mapped_column(Integer, default=0)
    rows_revised: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)


class IndicatorValue(Base):
    """The current value of an indicator for a locality and month (NULL value when suppressed)."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint(
            "locality_code", "indicator_code", "period", name="uq_indicator_value_key"
        ),
        # Covering the district aggregates and peer ranks, which read every locality's value
        # for a few months: the table itself is never touched for them.
        Index(
            "ix_indicator_value_indicator_period",
            "indicator_code",
            "period",
            "locality_code",
            "value",
        ),
        CheckConstraint("status IN ('ok','suppressed','preliminary','revised')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locality_code: Mapped[int] = mapped_column(ForeignKey("locality.code"))
    period: Mapped[date] = mapped_column(Date, doc="first day of the month")
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator_definition.code"))
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12), default="ok")
    source: Mapped[str | None] = mapped_column(String(120))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # A value's version is when it was recorded: a save names the time of the value it replaces
    # and sets its own, and an UPDATE of a value recorded again meanwhile is refused.
    version: Mapped[datetime] = synonym("recorded_at")
    __mapper_args__ = {  # noqa: RUF012 (read once by the mapper)
        "version_id_col": recorded_at,
        "version_id_generator": False,
    }


class IndicatorValueHistory(Base):
    """A value that a revision replaced, with the interval during which it was shown."""

    __tablename__ = "indicator_value_history"
    __table_args__ = (
        Index("ix_indicator_value_history_key", "locality_code", "indicator_code", "period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locality_code: Mapped[int] = mapped_column(ForeignKey("locality.code"))
    period: Mapped[date] = mapped_column(Date)
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator_definition.code"))
    value: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12))
    source: Mapped[str | None] = mapped_column(String(120))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    replaced_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    replaced_by_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))


# Typed handles on the tables, for bulk inserts (declarative classes type __table__ loosely).
indicator_value_table = cast(Table, IndicatorValue.__table__)
indicator_value_history_table = cast(Table, IndicatorValueHistory.__table__)
