"""The register: roles and scope, validation, optimistic versions, audit, position history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from employdash.models import AuditEntry, Person
from employdash.models.stakeholders import Stakeholder, StakeholderPosition
from employdash.stakeholders import grid as stakeholders_map
from employdash.stakeholders import register as stakeholders
from employdash.stakeholders.register import PositionEdit, StakeholderInput
from tests.stakeholders.conftest import add_org, add_stakeholder

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

SEDEROT, OUTSIDE = 1031, 2800


def _audit(db: Database, entity: str, entity_id: int) -> list[AuditEntry]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
                .order_by(AuditEntry.id)
            ).all()
        )


def test_manager_adds_a_stakeholder_with_a_new_organisation_audited(
    db: Database, actors: dict[str, Actor]
) -> None:
    before = len(stakeholders.register(db, actors["manager"], SEDEROT))
    new_id = stakeholders.create(
        db,
        actors["manager"],
        SEDEROT,
        StakeholderInput(
            new_organisation="מרכז היזמות שדרות",
            sector="ngo",
            power=2,
            interest=5,
            stance="supporter",
            engagement="engaged",
            notes="פגישה ראשונה",
        ),
    )
    frame = stakeholders.register(db, actors["manager"], SEDEROT)
    assert len(frame) == before + 1
    row = frame[frame.id == new_id].iloc[0]
    assert (row.organisation, row.quadrant, row.stance) == ("מרכז היזמות שדרות", "C", "supporter")
    entries = _audit(db, "stakeholder", new_id)
    assert [e.action for e in entries] == ["create"]
    assert entries[0].after is not None
    assert entries[0].username == "manager" and entries[0].after["interest"] == 5


def test_roles_and_scope_are_enforced_by_the_service(
    db: Database, actors: dict[str, Actor]
) -> None:
    data = StakeholderInput(new_organisation="ארגון", sector="ngo")
    with pytest.raises(PermissionDenied):
        stakeholders.register(db, actors["member"], SEDEROT)
    with pytest.raises(PermissionDenied):
        stakeholders.create(db, actors["mayor"], SEDEROT, data)
    with pytest.raises(PermissionDenied):
        stakeholders.create(db, actors["manager"], OUTSIDE, data)
    with pytest.raises(PermissionDenied):
        stakeholders_map.grid(db, actors["manager"], OUTSIDE)
    assert len(stakeholders.register(db, actors["mayor"], SEDEROT)) > 0
    row_id = int(stakeholders.register(db, actors["admin"], OUTSIDE).id.iloc[0])
    with pytest.raises(NotFound):  # another locality's record: the same answer as a missing one
        stakeholders.update(db, actors["manager"], row_id, 1, {"power": 1})
    with pytest.raises(NotFound):
        stakeholders.move(db, actors["manager"], SEDEROT, [PositionEdit(row_id, 1, 2, 2)])


def test_validation_refuses_out_of_range_and_foreign_organisations(
    db: Database, actors: dict[str, Actor]
) -> None:
    with pytest.raises(ValidationError) as err:
        stakeholders.create(
            db,
            actors["admin"],
            SEDEROT,
            StakeholderInput(
                new_organisation="x", sector="nonsense", power=7, interest=0, stance="angry"
            ),
        )
    assert {"sector", "power", "interest", "stance"} <= set(err.value.fields)
    foreign = add_org(db, "ארגון מתל אביב", "ngo", 5000)
    with pytest.raises(NotFound):  # another locality's organisation, even for the admin
        stakeholders.create(
            db, actors["admin"], SEDEROT, StakeholderInput(organisation_id=foreign, sector="ngo")
        )


def test_handed_ids_of_another_locality_are_refused_like_missing_ones(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A manager may not point a stakeholder at another locality's person or
    organisation (and then read their contact details back)."""
    manager = actors["manager"]
    foreign_org = add_org(db, "ארגון בקריית שמונה", "ngo", OUTSIDE)
    with db.transaction() as s:
        foreign_person = Person(full_name="אדם זר", locality_code=OUTSIDE)
        s.add(foreign_person)
        s.flush()
        person_id = foreign_person.id
    sid = add_stakeholder(db, actors["admin"], "מעסיק", "employer", 2, 2, code=SEDEROT)
    for change in ({"organisation_id": foreign_org}, {"person_id": person_id}):
        with pytest.raises(NotFound):
            stakeholders.update(db, manager, sid, 1, change)
    with pytest.raises(NotFound):
        stakeholders.create(
            db, manager, SEDEROT, StakeholderInput(new_organisation="x", owner_person_id=person_id)
        )
    with db.transaction() as s:
        assert s.get_one(Stakeholder, sid).version == 1


def test_stale_version_is_refused_and_nothing_is_overwritten(
    db: Database, actors: dict[str, Actor]
) -> None:
    sid = add_stakeholder(db, actors["admin"], "מעסיק", "employer", 2, 2, code=SEDEROT)
    v2 = stakeholders.update(db, actors["manager"], sid, 1, {"power": 4})
    assert v2 == 2
    with pytest.raises(StaleVersion) as err:
        stakeholders.update(db, actors["admin"], sid, 1, {"power": 1, "notes": "mine"})
    assert err.value.current_version == 2
    assert err.value.changes["power"] == (4, 1)
    with pytest.raises(StaleVersion):
        stakeholders.move(db, actors["manager"], SEDEROT, [PositionEdit(sid, 1, 5, 5)])
    with db.transaction() as s:
        row = s.get_one(Stakeholder, sid)
        assert (row.power, row.interest, row.notes, row.version) == (4, 2, None, 2)


def test_move_is_all_or_nothing_and_records_the_quarter(
    db: Database, actors: dict[str, Actor]
) -> None:
    a = add_stakeholder(
        db, actors["admin"], "א", "employer", 1, 1, code=SEDEROT, as_of=date(2026, 8, 1)
    )
    b = add_stakeholder(
        db, actors["admin"], "ב", "employer", 1, 1, code=SEDEROT, as_of=date(2026, 8, 1)
    )
    stakeholders.update(db, actors["admin"], b, 1, {"notes": "changed"}, as_of=date(2026, 8, 2))
    with pytest.raises(StaleVersion):  # b was read at version 1: neither row moves
        stakeholders.move(
            db,
            actors["manager"],
            SEDEROT,
            [PositionEdit(a, 1, 5, 5), PositionEdit(b, 1, 5, 5)],
            as_of=date(2026, 11, 10),
        )
    moved = stakeholders.move(
        db,
        actors["manager"],
        SEDEROT,
        [PositionEdit(a, 1, 5, 4), PositionEdit(b, 2, 1, 1)],
        as_of=date(2026, 11, 10),
    )
    assert moved == 1  # b did not change position
    with db.transaction() as s:
        periods = s.execute(
            select(StakeholderPosition.review_period, StakeholderPosition.power)
            .where(StakeholderPosition.stakeholder_id == a)
            .order_by(StakeholderPosition.review_period)
        ).all()
        moves = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "move", AuditEntry.entity_id == str(a))
        )
    assert [tuple(p) for p in periods] == [(date(2026, 7, 1), 1), (date(2026, 10, 1), 5)]
    assert moves == 1
    grid = stakeholders_map.grid(db, actors["manager"], SEDEROT, as_of=date(2026, 11, 10))
    row = grid[grid.id == a].iloc[0]
    assert (row.quadrant, row.prev_power, row.prev_interest, bool(row.moved)) == ("A", 1, 1, True)


def test_delete_removes_and_audits(db: Database, actors: dict[str, Actor]) -> None:
    sid = add_stakeholder(db, actors["admin"], "למחיקה", "ngo", 2, 2, code=SEDEROT)
    stakeholders.delete(db, actors["manager"], sid, 1)
    assert sid not in set(stakeholders.register(db, actors["manager"], SEDEROT).id)
    assert [e.action for e in _audit(db, "stakeholder", sid)] == ["create", "delete"]
