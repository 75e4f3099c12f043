"""Read models of the stakeholder map: the power x interest grid with last quarter's positions,
the forum's coverage of the recommended sectors, and the follow-up list."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, TypedDict

import pandas as pd
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, ReadScope, read_scope
from employdash.db import Database
from employdash.models import Organisation, Person
from employdash.models.forum import Forum, Membership, Team
from employdash.models.stakeholders import Stakeholder, StakeholderPosition
from employdash.stakeholders.common import quarter_start, stakeholders_named
from employdash.stakeholders.rules import (
    RECOMMENDED_SECTORS,
    coverage_gaps,
    needs_follow_up,
    offsets,
    quadrant,
)

GRID_COLUMNS = [
    "id",
    "organisation",
    "person",
    "sector",
    "power",
    "interest",
    "quadrant",
    "stance",
    "engagement",
    "version",
    "x",
    "y",
    "prev_power",
    "prev_interest",
    "prev_x",
    "prev_y",
    "moved",
]


@dataclass(frozen=True)
class GridFilter:
    """Empty tuples mean "all"."""

    sectors: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()
    engagements: tuple[str, ...] = ()
    quadrants: tuple[str, ...] = ()


class SectorCoverage(TypedDict):
    """One sector's row in the coverage table (what `Coverage.by_sector` holds)."""

    sector: str
    recommended: bool
    members: int
    organisations: list[str]


class MemberPerson(NamedTuple):
    """A forum member with their organisation; a tuple at runtime (positional readers work)."""

    person_id: int | None
    organisation_id: int | None
    organisation_name: str | None
    sector: str | None


@dataclass
class Coverage:
    # "forum": the forum's steering and forum teams; "register": stakeholders marked as members
    source: str
    by_sector: list[SectorCoverage] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    candidates: dict[str, list[str]] = field(default_factory=dict)  # gap sector -> organisations


def grid_query(scope: ReadScope) -> Select[Any]:
    """The raw query behind the grid (also the benchmark's baseline)."""
    return stakeholders_named(
        scope,
        Stakeholder.sector,
        Stakeholder.power,
        Stakeholder.interest,
        Stakeholder.stance,
        Stakeholder.engagement,
        Stakeholder.version,
    ).order_by(Stakeholder.id)


def previous_positions(s: Session, scope: ReadScope, as_of: date) -> dict[int, tuple[int, int]]:
    """Each stakeholder's position at its latest review before the current quarter."""
    period = quarter_start(as_of)
    latest = (
        select(
            StakeholderPosition.stakeholder_id,
            func.max(StakeholderPosition.review_period).label("period"),
        )
        .join(Stakeholder, Stakeholder.id == StakeholderPosition.stakeholder_id)
        .where(scope.of(Stakeholder.locality_code), StakeholderPosition.review_period < period)
        .group_by(StakeholderPosition.stakeholder_id)
        .subquery()
    )
    rows = s.execute(
        select(
            StakeholderPosition.stakeholder_id,
            StakeholderPosition.power,
            StakeholderPosition.interest,
        ).join(
            latest,
            and_(
                latest.c.stakeholder_id == StakeholderPosition.stakeholder_id,
                latest.c.period == StakeholderPosition.review_period,
            ),
        )
    ).all()
    return {sid: (power, interest) for sid, power, interest in rows}


def _place(frame: pd.DataFrame) -> None:
    """Spread the stakeholders sharing a cell so each stays visible (by id, so it is stable)."""
    dx, dy = [0.0] * len(frame), [0.0] * len(frame)
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for pos, (p, i) in enumerate(zip(frame.power, frame.interest, strict=True)):
        cells[(p, i)].append(pos)
    for members in cells.values():
        for pos, (ox, oy) in zip(members, offsets(len(members)), strict=True):
            dx[pos], dy[pos] = ox, oy
    frame["x"] = frame.interest + pd.Series(dx, index=frame.index)
    frame["y"] = frame.power + pd.Series(dy, index=frame.index)
    frame["prev_x"] = frame.prev_interest + pd.Series(dx, index=frame.index)
    frame["prev_y"] = frame.prev_power + pd.Series(dy, index=frame.index)


def grid(
    db: Database,
    actor: Actor,
    locality_code: int,
    flt: GridFilter = GridFilter(),
    as_of: date | None = None,
) -> pd.DataFrame:
    """Every stakeholder placed on the grid, with where it stood at the previous review."""
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    as_of = as_of or date.today()
    with db.transaction() as s:
        result = s.execute(grid_query(scope))
        frame = pd.DataFrame(result.all(), columns=list(result.keys()))
        previous = previous_positions(s, scope, as_of)
    if frame.empty:
        return pd.DataFrame(columns=GRID_COLUMNS)
    frame["quadrant"] = [quadrant(p, i) for p, i in zip(frame.power, frame.interest, strict=True)]
    prev = [previous.get(sid, (None, None)) for sid in frame.id]
    frame["prev_power"] = pd.array([p for p, _ in prev], dtype="Int64")
    frame["prev_interest"] = pd.array([i for _, i in prev], dtype="Int64")
    frame["moved"] = (
        ((frame.prev_power != frame.power) | (frame.prev_interest != frame.interest))
        .fillna(False)
        .astype(bool)
    )
    _place(frame)
    keep = pd.Series(True, index=frame.index)
    for column, chosen in (
        ("sector", flt.sectors),
        ("stance", flt.stances),
        ("engagement", flt.engagements),
        ("quadrant", flt.quadrants),
    ):
        if chosen:
            keep &= frame[column].isin(chosen)
    return frame.loc[keep, GRID_COLUMNS].reset_index(drop=True)


def forum_member_people(s: Session, scope: ReadScope) -> list[MemberPerson]:
    """People in the steering and forum teams of the locality's forum, with their organisation
    (person id, organisation id, organisation name, sector)."""
    return [
        MemberPerson(*r)
        for r in s.execute(
            select(Person.id, Organisation.id, Organisation.name, Organisation.sector)
            .select_from(Membership)
            .join(Team, Team.id == Membership.team_id)
            .join(Forum, Forum.id == Team.forum_id)
            .join(Person, Person.id == Membership.person_id)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(scope.of(Forum.locality_code), Team.kind.in_(("steering", "forum")))
            .distinct()
        ).all()
    ]


def forum_member_ids(s: Session, scope: ReadScope) -> set[int]:
    """Stakeholders who sit in the forum: marked as forum members in the register, or whose
    contact person or organisation is in the forum's steering or forum team."""
    members = forum_member_people(s, scope)
    people = {m[0] for m in members}
    orgs = {m[1] for m in members if m[1] is not None}
    rows = s.execute(
        select(
            Stakeholder.id,
            Stakeholder.person_id,
            Stakeholder.organisation_id,
            Stakeholder.engagement,
        ).where(scope.of(Stakeholder.locality_code))
    ).all()
    return {
        sid
        for sid, person, org, engagement in rows
        if engagement == "forum_member" or person in people or org in orgs
    }


def coverage(db: Database, actor: Actor, locality_code: int) -> Coverage:
    """Which sectors the forum's members represent against the model's recommended composition."""
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        members = forum_member_people(s, scope)
        source = "forum"
        if not members:
            source = "register"
            members = [
                MemberPerson(*r)
                for r in s.execute(
                    select(
                        Stakeholder.person_id,
                        Organisation.id,
                        Organisation.name,
                        Stakeholder.sector,
                    )
                    .join(Organisation, Organisation.id == Stakeholder.organisation_id)
                    .where(
                        scope.of(Stakeholder.locality_code),
                        Stakeholder.engagement == "forum_member",
                    )
                )
            ]
        outside = s.execute(
            select(Stakeholder.sector, Organisation.name, Stakeholder.power + Stakeholder.interest)
            .join(Organisation, Organisation.id == Stakeholder.organisation_id)
            .where(scope.of(Stakeholder.locality_code), Stakeholder.engagement != "forum_member")
        ).all()
    people: dict[str, set[int | str | None]] = defaultdict(set)
    orgs: dict[str, set[str]] = defaultdict(set)
    for person, _org_id, org_name, sector in members:
        key = sector or "unknown"
        people[key].add(person if person is not None else org_name)
        if org_name:
            orgs[key].add(org_name)
    sectors = list(RECOMMENDED_SECTORS) + sorted(k for k in people if k not in RECOMMENDED_SECTORS)
    result = Coverage(source=source)
    for sector in sectors:
        result.by_sector.append(
            {
                "sector": sector,
                "recommended": sector in RECOMMENDED_SECTORS,
                "members": len(people.get(sector, ())),
                "organisations": sorted(orgs.get(sector, ())),
            }
        )
    result.gaps = coverage_gaps(people)
    member_orgs = {name for names in orgs.values() for name in names}
    for gap in result.gaps:
        ranked = sorted(
            (
                (-score, name)
                for sector, name, score in outside
                if sector == gap and name not in member_orgs
            )
        )
        result.candidates[gap] = list(dict.fromkeys(name for _, name in ranked))[:3]
    return result


def follow_ups(
    db: Database, actor: Actor, locality_code: int, as_of: date | None = None
) -> pd.DataFrame:
    """Quadrant-A stakeholders with no contact in 60 days, the longest-neglected first."""
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    as_of = as_of or date.today()
    query = stakeholders_named(
        scope,
        Stakeholder.sector,
        Stakeholder.power,
        Stakeholder.interest,
        Stakeholder.last_contact,
    )
    with db.transaction() as s:
        rows = s.execute(query).mappings().all()
    due = [
        dict(r)
        for r in rows
        if needs_follow_up(r["power"], r["interest"], r["last_contact"], as_of)
    ]
    for row in due:
        row["days_since"] = (as_of - row["last_contact"]).days if row["last_contact"] else None
    due.sort(key=lambda r: (r["last_contact"] is not None, r["last_contact"] or date.min, r["id"]))
    columns = [
        "id",
        "organisation",
        "person",
        "owner",
        "sector",
        "power",
        "interest",
        "last_contact",
        "days_since",
    ]
    return pd.DataFrame(due, columns=columns)
