"""Localities: the ones the acting user may see (pickers, maps, peer comparisons), and the ones
the installation serves, which an administrator enables from the CBS catalogue.

Every locality of the catalogue is in the database (imports match any of them); `is_program`
marks the ones this installation serves, and pickers offer only those.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from employdash.access import ADMIN, Actor, Area, require_locality, require_read, scope_clause
from employdash.commands import Command, Ref, Write, execute
from employdash.db import Database
from employdash.errors import DomainError, NotFound
from employdash.i18n.names import NamedPlace
from employdash.limits import clean_text
from employdash.models import Locality, UserLocality
from employdash.models.base import as_row
from employdash.models.forum import Forum

# Who the command line acts as: an administrator, named so in the audit log.
COMMAND_LINE = Actor(0, "command-line", "command line", ADMIN, None)
SEARCH_LIMIT = 50
SEARCH_MAX_CHARS = 120  # the longest catalogue name is under 60


class LocalityInUse(DomainError):
    """Disabling a locality that people work in would take it from their pickers: refused."""

    message_key = "localities.error.in_use"


@dataclass(frozen=True)
class LocalityInfo(NamedPlace):
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
    enabled: bool = False


def _info(row: Locality) -> LocalityInfo:
    return as_row(LocalityInfo, row, enabled="is_program")


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


def search(db: Database, actor: Actor, text: str, limit: int = SEARCH_LIMIT) -> list[LocalityInfo]:
    """Catalogue localities whose Hebrew or English name contains `text`, or whose CBS code is it;
    enabled ones first, then by population (the larger towns a search most likely means)."""
    require_read(actor, Area.LOCALITIES)
    text = clean_text(text, "search", SEARCH_MAX_CHARS)
    if not text:
        return []
    pattern = f"%{text.lower()}%"
    matches = or_(
        func.lower(Locality.name_he).like(pattern),
        func.lower(Locality.name_en).like(pattern),
        func.lower(func.coalesce(Locality.aliases, "")).like(pattern),
    )
    if text.isdigit():
        matches = or_(matches, Locality.code == int(text))
    query = (
        select(Locality)
        .where(matches)
        .order_by(
            Locality.is_program.desc(),
            func.coalesce(Locality.population, 0).desc(),
            Locality.code,
        )
        .limit(limit)
    )
    with db.transaction() as s:
        return [_info(r) for r in s.scalars(query)]


def enabled(db: Database, actor: Actor) -> list[LocalityInfo]:
    """The localities this installation serves."""
    require_read(actor, Area.LOCALITIES)
    return in_scope(db, actor)


def peer_counts(
    db: Database, actor: Actor, codes: Iterable[int], band: tuple[float, float]
) -> dict[int, int]:
    """Per locality, how many other catalogue localities have a population within `band` (the
    factors of its own that the briefing's similar-size comparison uses)."""
    require_read(actor, Area.LOCALITIES)
    with db.transaction() as s:
        rows = s.execute(select(Locality.code, Locality.population).where(Locality.population > 0))
        populations = {code: pop for code, pop in rows if pop is not None}
    ranked = sorted(populations.values())
    found = {}
    for code in codes:
        pop = populations.get(code)
        if pop is None:
            continue
        low, high = pop * band[0], pop * band[1]
        found[code] = sum(1 for p in ranked if low <= p <= high) - 1
    return found


def _catalogue(codes: Iterable[int]) -> tuple[Ref[Locality], ...]:
    return tuple(Ref(Locality, int(code)) for code in dict.fromkeys(codes))


@dataclass
class EnableLocalities(
    Command[list[LocalityInfo]],
    area=Area.LOCALITIES,
    entity="locality",
    invalidates=frozenset({Area.LOCALITIES, Area.INDICATORS}),
):
    """Serve these localities; returns the ones that were not served before (a code not in the
    catalogue refuses the whole command: nothing is enabled). Each enabled locality's audit row
    is filed under it."""

    localities: tuple[Ref[Locality], ...]

    @classmethod
    def of(cls, codes: Iterable[int]) -> EnableLocalities:
        return cls(_catalogue(codes))

    def where(self) -> None:
        return None  # of as many localities as it names, each resolved in the catalogue

    def run(self, w: Write) -> list[LocalityInfo]:
        changed = []
        for reference in self.localities:
            row = w.get(reference)
            if not row.is_program:
                row.is_program = True
                w.audit(
                    "enable_locality",
                    row.code,
                    before={"enabled": False},
                    after={"enabled": True},
                    locality_code=row.code,
                )
                changed.append(_info(row))
        return changed


@dataclass
class DisableLocality(
    Command[bool],
    area=Area.LOCALITIES,
    entity="locality",
    invalidates=frozenset({Area.LOCALITIES, Area.INDICATORS}),
):
    """Stop serving a locality; False when it was not served. Refused while users have it in
    their scope or it has a forum: their pickers would lose it. Nothing is ever deleted."""

    locality: Ref[Locality]

    def validate(self, w: Write) -> None:
        code = self.locality.id
        users = w.session.scalar(
            select(func.count()).select_from(UserLocality).where(UserLocality.locality_code == code)
        )
        forum = w.session.scalar(
            select(func.count()).select_from(Forum).where(Forum.locality_code == code)
        )
        if w.get(self.locality).is_program and (users or forum):
            raise LocalityInUse(
                f"locality {code}: {users} users, {forum} forum", users=users, forum=forum
            )

    def run(self, w: Write) -> bool:
        row = w.get(self.locality)
        if not row.is_program:
            return False
        row.is_program = False
        w.audit("disable_locality", row.code, before={"enabled": True}, after={"enabled": False})
        return True


def enable(db: Database, actor: Actor, codes: Iterable[int]) -> list[LocalityInfo]:
    return execute(db, actor, EnableLocalities.of(codes)).value


def disable(db: Database, actor: Actor, code: int) -> bool:
    return execute(db, actor, DisableLocality.of(code)).value
