"""Localities the acting user may see, for pickers, maps and peer comparisons."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from employdash.access import Actor, require_locality, scope_clause
from employdash.db import Database
from employdash.errors import NotFound
from employdash.models import Locality


@dataclass(frozen=True)
class LocalityInfo:
    code: int
    name_he: str
    name_en: str
    district_id: int | None
    district_he: str | None
    district_en: str | None
    region: str | None
    population: int | None
    latitude: float | None
    longitude: float | None

    def name(self, lang: str) -> str:
        return self.name_he if lang == "he" else self.name_en

    def district(self, lang: str) -> str:
        return (self.district_he if lang == "he" else self.district_en) or ""


def _info(row: Locality) -> LocalityInfo:
    return LocalityInfo(
        row.code,
        row.name_he,
        row.name_en,
        row.district_id,
        row.district_he,
        row.district_en,
        row.region,
        row.population,
        row.latitude,
        row.longitude,
    )


def in_scope(db: Database, actor: Actor, program_only: bool = True) -> list[LocalityInfo]:
    """The localities a user works with: for admins the program's localities (not all 1,227)."""
    query = select(Locality).where(scope_clause(actor, Locality.code)).order_by(Locality.name_he)
    if program_only:
        query = query.where(Locality.is_program.is_(True))
    with db.transaction() as s:
        return [_info(r) for r in s.scalars(query)]


def get(db: Database, actor: Actor, code: int) -> LocalityInfo:
    require_locality(actor, code)
    with db.transaction() as s:
        row = s.get(Locality, code)
        if row is None:
            raise NotFound(f"locality {code}")
        return _info(row)
