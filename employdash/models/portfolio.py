"""The programme's own records: its staff's dated notes on a locality (after a support visit,
a call with the manager), which the locality's manager reads."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from employdash.models.base import Base, UtcDateTime, utcnow


class ProgrammeNote(Base):
    """A dated note on a locality, written by the programme's staff; never edited (a later
    note says what changed), so it carries no version."""

    __tablename__ = "programme_note"
    __table_args__ = (Index("ix_programme_note_locality", "locality_code", "noted_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locality_code: Mapped[int] = mapped_column(ForeignKey("locality.code"))
    noted_on: Mapped[date] = mapped_column(Date, doc="the day it is about (a visit's day)")
    body: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(60), doc="the writer's username")
    author_name: Mapped[str] = mapped_column(String(160), doc="the writer's name, as shown")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
