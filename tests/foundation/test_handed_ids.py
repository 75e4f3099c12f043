"""The handed-ID guard: a record outside the scope is indistinguishable from a missing one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from employdash.db import Database
from employdash.errors import NotFound
from employdash.handed_ids import LOCALITY_OF, SHARED_MODELS, in_locality, in_scope, locality_of
from employdash.models import Organisation, Person
from employdash.models.forum import Team
from employdash.models.mentoring import PipelineStage

SEDEROT, OTHER_OWN, FOREIGN = 1031, 246, 31  # the manager's two localities, and one outside


def _first(db: Database, model, where) -> int:
    with db.transaction() as s:
        found = s.scalar(select(model.id).where(where).order_by(model.id))
    assert found is not None
    return found


def test_a_foreign_record_gets_the_same_error_as_a_missing_one(db: Database, actors) -> None:
    manager = actors["manager"]
    foreign = _first(db, Person, Person.locality_code == FOREIGN)
    own = _first(db, Person, Person.locality_code == SEDEROT)
    with db.transaction() as s:
        assert in_scope(s, manager, Person, own).id == own
        with pytest.raises(NotFound) as refused:
            in_scope(s, manager, Person, foreign)
        with pytest.raises(NotFound) as missing:
            in_scope(s, manager, Person, 10**9)
        assert type(refused.value) is type(missing.value)
        assert in_scope(s, actors["admin"], Person, foreign).id == foreign


def test_a_record_of_the_actors_other_locality_is_refused_for_this_locality(db, actors) -> None:
    team = _first(db, Team, Team.forum_id.is_not(None))
    with db.transaction() as s:
        code = locality_of(s, Team, team)
        other = OTHER_OWN if code == SEDEROT else SEDEROT
        assert in_locality(s, actors["admin"], Team, team, code).id == team
        with pytest.raises(NotFound):
            in_locality(s, actors["admin"], Team, team, other)


def test_national_organisations_and_pipelines_are_shared_by_design(db: Database, actors) -> None:
    with db.transaction() as s:
        national = s.scalar(select(Organisation.id).where(Organisation.locality_code.is_(None)))
        stage = s.scalar(select(PipelineStage.id))
        assert stage is not None
        assert in_scope(s, actors["member"], PipelineStage, stage).id == stage
        if national is not None:
            assert in_scope(s, actors["member"], Organisation, national).id == national


def test_every_guarded_model_has_a_locality_rule() -> None:
    assert SHARED_MODELS.isdisjoint(LOCALITY_OF)


def test_target_progress_refuses_a_foreign_locality_or_program(db: Database, actors) -> None:
    """It used to filter them out quietly (an empty list), unlike every other read."""
    from datetime import date

    from employdash.errors import PermissionDenied
    from employdash.mentoring import operations, targets

    admin, manager = actors["admin"], actors["manager"]
    program = operations.create_program(
        db,
        admin,
        name="Foreign program",
        locality_code=FOREIGN,
        operating_model="freelancer",
        target_population="haredi",
    )
    targets.set_target(db, admin, program, date(2025, 1, 1), date(2025, 12, 31), {"matches": 3})
    assert [r.program_id for r in targets.progress(db, admin, program_ids=(program,))] == [
        program
    ]
    with pytest.raises(PermissionDenied):
        targets.progress(db, manager, (FOREIGN,))
    with pytest.raises(NotFound) as refused:
        targets.progress(db, manager, program_ids=(program,))
    with pytest.raises(NotFound) as missing:
        targets.progress(db, manager, program_ids=(10**9,))
    assert type(refused.value) is type(missing.value)
    assert targets.progress(db, manager, (SEDEROT, OTHER_OWN)) is not None
