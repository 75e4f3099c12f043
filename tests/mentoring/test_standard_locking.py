"""The national certification standards are renamed or retired over the version the admin saw:
a change saved by someone else meanwhile, or the same code added by someone else, refuses the
save with what they changed, writes nothing and leaves no audit row."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import StaleVersion
from employdash.mentoring import certification
from employdash.models import AuditEntry
from employdash.models.mentoring import Standard


def _row(db: Database, code: str) -> tuple[str, bool, int]:
    with db.transaction() as s:
        row = s.execute(
            select(Standard.name, Standard.active, Standard.version).where(Standard.code == code)
        ).one()
    return row[0], row[1], row[2]


def _audits(db: Database, sid: int) -> list[tuple[str, object, object]]:
    with db.transaction() as s:
        return [
            (r.action, r.before, r.after)
            for r in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "ment_standard", AuditEntry.entity_id == str(sid))
                .order_by(AuditEntry.id)
            )
        ]


def test_a_rename_over_a_changed_standard_is_refused_with_what_changed(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    sid = certification.save_standard(db, admin, "locked_std", "Safety", version=None)
    seen = certification.standard_versions(db, admin)["locked_std"]
    assert seen == 1
    certification.save_standard(db, admin, "locked_std", "Safety", active=False, version=1)
    with pytest.raises(StaleVersion) as refused:
        certification.save_standard(db, admin, "locked_std", "Site safety", version=seen)
    assert refused.value.changes == {"name": ("Safety", "Site safety"), "active": (False, True)}
    assert refused.value.current_version == 2
    assert _row(db, "locked_std") == ("Safety", False, 2)
    assert _audits(db, sid) == [
        ("create", None, {"code": "locked_std", "name": "Safety", "active": True}),
        ("update", {"active": True}, {"active": False}),
    ]
    certification.save_standard(db, admin, "locked_std", "Site safety", version=2)
    assert _row(db, "locked_std") == ("Site safety", True, 3)


def test_adding_a_code_someone_else_just_added_is_refused(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    assert "twice_std" not in certification.standard_versions(db, admin)
    sid = certification.save_standard(db, admin, "twice_std", "Theirs", version=None)
    with pytest.raises(StaleVersion) as refused:  # I saw no standard with this code
        certification.save_standard(db, admin, "twice_std", "Mine", version=None)
    assert refused.value.changes == {"name": ("Theirs", "Mine")}
    assert _row(db, "twice_std") == ("Theirs", True, 1)
    assert [a[0] for a in _audits(db, sid)] == ["create"]


def _trainee(db: Database, actors: dict[str, Actor]) -> tuple[int, int]:
    from datetime import date

    from employdash.mentoring import operations

    manager = actors["manager"]
    program = operations.create_program(
        db,
        manager,
        name="Locked results",
        locality_code=246,
        operating_model="freelancer",
        target_population="haredi",
    )
    trainee = operations.add_participant(
        db,
        manager,
        program_id=program,
        role="trainee",
        population="haredi",
        age_band=None,
        entered_on=date(2025, 1, 1),
    )
    standard = certification.save_standard(
        db, actors["admin"], "result_std", "Safety", version=None
    )
    return trainee, standard


def _results(db: Database, trainee: int) -> list[tuple[bool, str | None, int]]:
    from employdash.models.mentoring import Assessment

    with db.transaction() as s:
        return [
            (r.passed, r.gap_note, r.version)
            for r in s.scalars(select(Assessment).where(Assessment.participant_id == trainee))
        ]


def test_a_result_entered_meanwhile_is_not_silently_replaced(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A save naming no version (the user saw no result) over a result someone else entered is
    refused, as is one over a newer version; nothing is written either time."""
    from datetime import date

    manager = actors["manager"]
    trainee, standard = _trainee(db, actors)
    certification.record_assessment(db, manager, trainee, standard, False, date(2025, 4, 1), "gap")
    with pytest.raises(StaleVersion) as refused:
        certification.record_assessment(db, manager, trainee, standard, True, date(2025, 4, 2))
    assert refused.value.changes["passed"] == (False, True)
    certification.record_assessment(
        db, manager, trainee, standard, False, date(2025, 4, 3), "retake", version=1
    )
    with pytest.raises(StaleVersion):
        certification.record_assessment(
            db, manager, trainee, standard, True, date(2025, 4, 4), version=1
        )
    assert _results(db, trainee) == [(False, "retake", 2)]


def test_a_result_dated_after_today_is_refused_at_the_date(
    db: Database, actors: dict[str, Actor]
) -> None:
    from datetime import date, timedelta

    from employdash.errors import ValidationError

    trainee, standard = _trainee(db, actors)
    with pytest.raises(ValidationError) as refused:
        certification.record_assessment(
            db, actors["manager"], trainee, standard, True, date.today() + timedelta(days=1)
        )
    assert refused.value.fields == {"date": "validation.out_of_range"}
    assert _results(db, trainee) == []
