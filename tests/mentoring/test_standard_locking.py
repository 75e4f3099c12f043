"""The national certification standards are renamed or retired over the version the admin saw
(issue 12, item 3): a change saved by someone else meanwhile, or the same code added by someone
else, refuses the save with what they changed, writes nothing and leaves no audit row."""

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
        ("create", None, {"code": "locked_std", "name": "Safety"}),
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
