"""The grid read model, the forum's coverage and the follow-up list, on known data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database
from employdash.models import Organisation, Person
from employdash.models.forum import Forum, Membership, Team
from employdash.stakeholders import grid as stakeholders_map
from employdash.stakeholders.grid import GridFilter
from tests.stakeholders.conftest import add_forum_members, add_org, add_person, add_stakeholder

pytestmark = pytest.mark.rolled_back

TODAY = date(2026, 11, 1)


def test_grid_spreads_shared_cells_and_filters(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    ids = [add_stakeholder(db, admin, f"מעסיק {k}", "employer", 4, 4) for k in range(5)]
    other = add_stakeholder(db, admin, "עמותה", "ngo", 1, 5)
    grid = stakeholders_map.grid(db, admin, empty_code, as_of=TODAY)
    assert len(grid) == 6
    same = grid[grid.id.isin(ids)]
    assert len({(round(x, 6), round(y, 6)) for x, y in zip(same.x, same.y, strict=True)}) == 5
    assert ((same.x - 4).abs() < 0.5).all() and ((same.y - 4).abs() < 0.5).all()
    assert set(grid.quadrant) == {"A", "C"}
    only_c = stakeholders_map.grid(db, admin, empty_code, GridFilter(quadrants=("C",)), TODAY)
    assert only_c.id.tolist() == [other]
    ngo = stakeholders_map.grid(db, admin, empty_code, GridFilter(sectors=("ngo",)), TODAY)
    assert ngo.id.tolist() == [other]


def test_coverage_from_the_forum_tables_names_the_gaps(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    city = add_person(db, "ראש העיר", add_org(db, "עירייה", "municipality"))
    office = add_person(db, "מנהלת הלשכה", add_org(db, "לשכה", "employment_office"))
    resident = add_person(db, "נציג", add_org(db, "ועד", "residents"))
    add_forum_members(db, [city, office, resident])
    add_stakeholder(db, admin, "מכללה", "academia_training", 2, 2)
    cov = stakeholders_map.coverage(db, admin, empty_code)
    assert cov.source == "forum"
    assert cov.gaps == ["employer", "academia_training", "ngo"]
    assert cov.candidates["academia_training"] == ["מכללה"]
    rows = {r["sector"]: r for r in cov.by_sector}
    assert rows["municipality"]["members"] == 1 and rows["residents"]["recommended"] is False


def test_coverage_falls_back_to_the_register_without_forum_members(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    add_stakeholder(db, admin, "עירייה", "municipality", 5, 5, engagement="forum_member")
    add_stakeholder(db, admin, "מעסיק", "employer", 3, 3, engagement="forum_member")
    cov = stakeholders_map.coverage(db, admin, empty_code)
    assert cov.source == "register"
    assert cov.gaps == ["employment_office", "academia_training", "ngo"]


def test_seeded_coverage_matches_the_membership_tables(
    db: Database, actors: dict[str, Actor]
) -> None:
    code = 1031
    with db.transaction() as s:
        sectors = set(
            s.scalars(
                select(Organisation.sector)
                .select_from(Membership)
                .join(Team, Team.id == Membership.team_id)
                .join(Forum, Forum.id == Team.forum_id)
                .join(Person, Person.id == Membership.person_id)
                .join(Organisation, Organisation.id == Person.organisation_id)
                .where(Forum.locality_code == code, Team.kind.in_(("steering", "forum")))
            )
        )
    cov = stakeholders_map.coverage(db, actors["manager"], code)
    expected = [
        s
        for s in ("municipality", "employment_office", "employer", "academia_training", "ngo")
        if s not in sectors
    ]
    assert cov.gaps == expected


def test_follow_ups_list_quadrant_a_without_recent_contact(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    never = add_stakeholder(db, admin, "מעולם לא", "government", 5, 5, last_contact=None)
    old = add_stakeholder(
        db, admin, "ישן", "municipality", 4, 3, last_contact=TODAY - timedelta(days=90)
    )
    add_stakeholder(db, admin, "טרי", "municipality", 5, 5, last_contact=TODAY - timedelta(days=10))
    add_stakeholder(db, admin, "רביע ב", "government", 5, 1, last_contact=None)
    due = stakeholders_map.follow_ups(db, admin, empty_code, TODAY)
    assert due.id.tolist() == [never, old]
    assert due.days_since.iloc[1] == 90
