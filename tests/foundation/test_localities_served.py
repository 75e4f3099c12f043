"""Which localities the installation serves: an admin searches the CBS catalogue, enables and
disables (audited); nobody else may; a locality people work in is not disabled."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from employdash import localities
from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.indicators.values import SIZE_BAND
from employdash.localities import LocalityInUse
from employdash.models import AuditEntry, Locality
from tests.support.present import present

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

SEDEROT, ELAT, TEL_AVIV = 1031, 2600, 5000


def _audit(db: Database, action: str) -> list[AuditEntry]:
    with db.transaction() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)).all())


def test_search_by_hebrew_or_english_name_or_cbs_code(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    assert localities.search(db, admin, "1031")[0].code == SEDEROT
    assert ELAT in [loc.code for loc in localities.search(db, admin, "elat")]
    assert ELAT in [loc.code for loc in localities.search(db, admin, "אילת")]
    found = localities.search(db, admin, "tel aviv")
    assert found[0].code == TEL_AVIV and not found[0].enabled
    assert localities.search(db, admin, "   ") == []
    assert localities.search(db, admin, "no such place anywhere") == []
    assert len(localities.search(db, admin, "a")) == localities.SEARCH_LIMIT
    with pytest.raises(ValidationError):
        localities.search(db, admin, "x" * 500)


def test_enable_makes_a_locality_offered_and_is_audited(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    assert ELAT not in {loc.code for loc in localities.in_scope(db, admin)}
    changed = localities.enable(db, admin, [ELAT, ELAT, SEDEROT])
    assert [loc.code for loc in changed] == [ELAT]  # Sederot was served already
    assert ELAT in {loc.code for loc in localities.enabled(db, admin)}
    rows = _audit(db, "enable_locality")
    assert [(r.username, r.entity_id, r.after) for r in rows] == [
        ("admin", str(ELAT), {"enabled": True})
    ]
    assert localities.disable(db, admin, ELAT) is True
    assert localities.disable(db, admin, ELAT) is False  # nothing to do, nothing audited
    assert [r.entity_id for r in _audit(db, "disable_locality")] == [str(ELAT)]
    assert ELAT not in {loc.code for loc in localities.in_scope(db, admin)}


def test_an_unknown_code_enables_nothing(db: Database, actors: dict[str, Actor]) -> None:
    with pytest.raises(NotFound):
        localities.enable(db, actors["admin"], [ELAT, 99_999])
    with db.transaction() as s:
        assert s.get(Locality, ELAT).is_program is False  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        localities.disable(db, actors["admin"], 99_999)


def test_a_locality_people_work_in_is_not_disabled(db: Database, actors: dict[str, Actor]) -> None:
    with pytest.raises(LocalityInUse) as refused:
        localities.disable(db, actors["admin"], SEDEROT)
    assert refused.value.params["users"] >= 1 and refused.value.params["forum"] == 1
    assert SEDEROT in {loc.code for loc in localities.in_scope(db, actors["admin"])}
    assert _audit(db, "disable_locality") == []


@pytest.mark.parametrize("role", ["mayor", "manager", "member"])
def test_only_an_admin_chooses_the_localities(
    db: Database, actors: dict[str, Actor], role: str
) -> None:
    actor: Actor = actors[role]
    with pytest.raises(PermissionDenied):
        localities.search(db, actor, "Eilat")
    with pytest.raises(PermissionDenied):
        localities.enable(db, actor, [ELAT])
    with pytest.raises(PermissionDenied):
        localities.disable(db, actor, ELAT)


def test_the_peer_group_counts_similar_size_localities(
    db: Database, actors: dict[str, Actor]
) -> None:
    with db.transaction() as s:
        pops = [p for p in s.scalars(select(Locality.population)) if p]
        mine = present(present(s.get(Locality, SEDEROT)).population)
    expected = sum(1 for p in pops if mine * SIZE_BAND[0] <= p <= mine * SIZE_BAND[1]) - 1
    counts = localities.peer_counts(db, actors["admin"], [SEDEROT], SIZE_BAND)
    assert counts == {SEDEROT: expected} and expected > 5
