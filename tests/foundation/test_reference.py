"""The reference data loads at any time: on an empty database, and again on one in use, where it
adds what is missing and refreshes the catalogue's names without touching what an admin chose."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from employdash import localities, reference
from employdash.access import Actor
from employdash.db import Database
from employdash.indicators.catalogue import DEFINITIONS
from employdash.models import Locality, User
from employdash.models.indicators import IndicatorDefinition
from tests.support.present import present

pytestmark = pytest.mark.rolled_back

SEDEROT, EILAT = 1031, 2600


def _enabled(db: Database) -> set[int]:
    with db.transaction() as s:
        return set(s.scalars(select(Locality.code).where(Locality.is_program.is_(True))))


def test_loading_again_changes_nothing(db: Database) -> None:
    assert not reference.is_missing(db)
    before = _enabled(db)
    loaded = reference.load(db)
    assert loaded == reference.Loaded(0, 0, 0, 0)
    assert _enabled(db) == before and len(before) == 14


def test_a_database_in_use_gets_what_is_missing_and_the_current_names(
    db: Database, actors: dict[str, Actor]
) -> None:
    localities.enable(db, actors["admin"], [EILAT])
    with db.transaction() as s:
        s.get(Locality, 7500).is_program = False  # type: ignore[union-attr]
    before = _enabled(db)
    with db.transaction() as s:
        users = s.scalar(select(func.count()).select_from(User))
        s.get(Locality, SEDEROT).name_en = "Old name"  # type: ignore[union-attr]
        s.get(Locality, SEDEROT).population = 1  # type: ignore[union-attr]
        s.execute(delete(Locality).where(Locality.code == 472))  # nothing refers to Abu Ghosh
        s.get(IndicatorDefinition, "jobs").name_en = "Old jobs"  # type: ignore[union-attr]
    assert reference.is_missing(db)
    loaded = reference.load(db)
    assert (loaded.localities_added, loaded.localities_refreshed) == (1, 1)
    assert (loaded.definitions_added, loaded.definitions_refreshed) == (0, 1)
    with db.transaction() as s:
        sederot = s.get(Locality, SEDEROT)
        assert (
            sederot is not None
            and sederot.name_en == "Sederot"
            and present(sederot.population) > 30_000
        )
        abu_ghosh = s.get(Locality, 472)
        assert abu_ghosh is not None and abu_ghosh.is_program is False
        assert s.get(IndicatorDefinition, "jobs").name_en == "Jobs in the locality"  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).select_from(User)) == users
    assert _enabled(db) == before and EILAT in before and 7500 not in before
    assert not reference.is_missing(db)


def test_an_empty_schema_gets_every_locality_none_enabled(db: Database) -> None:
    with db.transaction() as s:
        for table in reversed(Locality.metadata.sorted_tables):
            s.execute(delete(table))
    assert reference.is_missing(db)
    loaded = reference.load(db)
    assert loaded.localities_added > 1200 and loaded.definitions_added == len(DEFINITIONS)
    assert _enabled(db) == set()
    assert reference.load(db) == reference.Loaded(0, 0, 0, 0)
