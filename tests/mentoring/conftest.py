"""A small, fully known program (in Netivot, the manager's locality) to check figures against."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from employdash.access import Actor
from employdash.config import get_config
from employdash.db import Database
from employdash.mentoring import operations as svc

D = date


@pytest.fixture(autouse=True)
def threshold_five(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The scenario's expectations assume the default threshold of 5."""
    monkeypatch.setenv("SUPPRESSION_THRESHOLD", "5")
    get_config.cache_clear()
    yield
    get_config.cache_clear()


@dataclass
class Scenario:
    program_id: int
    ids: list[int]  # 12 mentees, in creation order

    def by_index(self, *indices: int) -> list[int]:
        return [self.ids[i] for i in indices]


@pytest.fixture
def scenario(db: Database, actors: dict[str, Actor]) -> Scenario:
    """12 mentees referred on 2025-01-01: 9 Haredi and 3 Arab.

    - 0..9 screened 2025-01-11; 10 dropped at referred 2025-01-20 (moved); 11 stays referred.
    - 0..7 accepted 2025-01-31; 8, 9 dropped at screened 2025-02-05 (lost_contact).
    - 0..5 matched 2025-03-02; 5 moved back to accepted 2025-03-12.
    """
    manager = actors["manager"]
    program_id = svc.create_program(
        db,
        manager,
        name="Test program",
        locality_code=246,
        operating_model="freelancer",
        target_population="haredi",
    )
    ids = [
        svc.add_participant(
            db,
            manager,
            program_id=program_id,
            role="mentee",
            population="haredi" if i < 9 else "arab",
            age_band="25_34",
            entered_on=D(2025, 1, 1),
        )
        for i in range(12)
    ]
    s = Scenario(program_id, ids)
    svc.advance(db, manager, s.by_index(*range(10)), D(2025, 1, 11))
    svc.advance(db, manager, s.by_index(10), D(2025, 1, 20), kind="drop", reason="moved")
    svc.advance(db, manager, s.by_index(*range(8)), D(2025, 1, 31))
    svc.advance(db, manager, s.by_index(8, 9), D(2025, 2, 5), kind="drop", reason="lost_contact")
    svc.advance(db, manager, s.by_index(*range(6)), D(2025, 3, 2))
    svc.advance(db, manager, s.by_index(5), D(2025, 3, 12), kind="back")
    return s
