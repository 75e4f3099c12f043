"""Local indicators: an admin adds one to the catalogue, then imports or enters
its values; entering is checked against the value the admin saw, and every write is audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied, StaleVersion, ValidationError
from employdash.indicators import local
from employdash.indicators.imports import commit_import
from employdash.indicators.local import LocalIndicatorInput, StoredValue
from employdash.models import AuditEntry
from employdash.models.indicators import IndicatorDefinition, IndicatorValueHistory
from tests.support.concurrency import race

TODAY = date(2026, 11, 23)
DIVERSITY = LocalIndicatorInput(
    code="job_diversity",
    name_he="מגוון המשרות המוצעות",
    name_en="Diversity of jobs offered",
    unit="count",
    higher_is_better=True,
    parent_code="open_positions",
)


def test_admin_adds_a_local_indicator_audited(db: Database, actors: dict[str, Actor]) -> None:
    code = local.add_indicator(db, actors["admin"], DIVERSITY)
    assert code == "local.job_diversity"
    with db.transaction() as s:
        row = s.get_one(IndicatorDefinition, code)
        assert (row.name_en, row.unit, row.higher_is_better, row.parent_code, row.headline) == (
            "Diversity of jobs offered",
            "count",
            True,
            "open_positions",
            False,
        )
        entry = s.scalar(select(AuditEntry).where(AuditEntry.entity == "indicator_definition"))
        assert entry is not None and entry.after is not None
        assert entry.entity_id == code and entry.after["name_he"] == "מגוון המשרות המוצעות"
    with pytest.raises(ValidationError) as err:  # the same code twice
        local.add_indicator(db, actors["admin"], DIVERSITY)
    assert err.value.fields == {"code": "validation.duplicate"}


def test_bad_definitions_and_other_roles_are_refused(
    db: Database, actors: dict[str, Actor]
) -> None:
    bad = LocalIndicatorInput("X y", "", "", "percent", True, parent_code="job_seekers.gender.men")
    with pytest.raises(ValidationError) as err:
        local.add_indicator(db, actors["admin"], bad)
    assert set(err.value.fields) == {"code", "name_he", "name_en", "unit", "parent_code"}
    for role in ("manager", "mayor", "member"):
        with pytest.raises(PermissionDenied):
            local.add_indicator(db, actors[role], DIVERSITY)


def test_values_are_imported_and_entered_with_revisions_kept(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    code = local.add_indicator(db, admin, DIVERSITY)
    csv = f"locality_code,period,indicator,value\n1031,2026-09,{code},14\n".encode()
    assert commit_import(db, admin, "local.csv", csv, "forum survey", TODAY).added == 1
    seen = local.stored_value(db, admin, 1031, code, date(2026, 9, 1))
    assert seen == StoredValue(14.0, "ok")
    local.enter_value(db, admin, 1031, code, date(2026, 9, 1), "15", seen, today=TODAY)
    assert local.stored_value(db, admin, 1031, code, date(2026, 9, 1)) == StoredValue(
        15.0, "revised"
    )
    local.enter_value(db, admin, 1031, code, date(2026, 10, 1), 9, None, today=TODAY)
    with db.transaction() as s:
        history = s.execute(
            select(IndicatorValueHistory.value).where(IndicatorValueHistory.indicator_code == code)
        ).all()
        assert [h.value for h in history] == [14.0]
        audits = s.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "indicator_value", AuditEntry.action != "import_values")
            .order_by(AuditEntry.id)
        ).all()
        assert audits == ["enter", "create"]  # a revision, then a new month's value
    with pytest.raises(StaleVersion):  # entered over a value the admin did not see
        local.enter_value(db, admin, 1031, code, date(2026, 9, 1), "16", seen, today=TODAY)
    with pytest.raises(ValidationError) as err:
        local.enter_value(db, admin, 1031, code, date(2027, 1, 1), "abc", None, today=TODAY)
    assert set(err.value.fields) == {"period", "value"}


def test_concurrent_entries_keep_exactly_the_accepted_one(
    db: Database, actors: dict[str, Actor]
) -> None:
    code = local.add_indicator(db, actors["admin"], DIVERSITY)
    local.enter_value(db, actors["admin"], 1031, code, date(2026, 9, 1), 10, None, today=TODAY)
    seen = StoredValue(10.0, "ok")

    def enter(db: Database, actor: Actor, n: int) -> None:
        local.enter_value(db, actor, 1031, code, date(2026, 9, 1), 20 + n, seen, today=TODAY)

    results = race(db.url, "admin", enter, [1, 2, 3, 4])
    assert all(r in ("ok", "stale", "busy") for r in results.values()), results
    accepted = [n for n, r in results.items() if r == "ok"]
    assert len(accepted) == 1, results
    stored = local.stored_value(db, actors["admin"], 1031, code, date(2026, 9, 1))
    assert stored == StoredValue(20.0 + accepted[0], "revised")
    with db.transaction() as s:
        kept = s.scalars(
            select(IndicatorValueHistory.value).where(IndicatorValueHistory.indicator_code == code)
        ).all()
        assert kept == [10.0]  # exactly one revision: the accepted one
