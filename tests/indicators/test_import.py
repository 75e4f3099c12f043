"""Importing real-shaped files on SQLite and PostgreSQL: both layouts, both encodings, BOM, bad
rows, duplicates, unknown localities, suppressed cells, revisions, re-import, atomicity."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from employdash.access import Actor
from employdash.commands import execute
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.indicators import values as indicators
from employdash.indicators.import_plan import Planned, apply_plan, build_plan
from employdash.indicators.imports import (
    ImportIndicators,
    commit_import,
    list_batches,
    preview_import,
)
from employdash.models import AuditEntry
from employdash.models.indicators import ImportBatch, IndicatorValue, IndicatorValueHistory

FILES = Path(__file__).parent / "files"
TODAY = date(2026, 11, 23)


def load(name: str) -> bytes:
    return (FILES / name).read_bytes()


def counts(db: Database) -> tuple[int, int, int]:
    with db.transaction() as s:
        return (
            s.scalars(select(func.count()).select_from(IndicatorValue)).one(),
            s.scalars(select(func.count()).select_from(IndicatorValueHistory)).one(),
            s.scalars(select(func.count()).select_from(ImportBatch)).one(),
        )


def stored(
    db: Database, code: int, indicator: str, period: date
) -> tuple[float | None, str] | None:
    with db.transaction() as s:
        row = s.execute(
            select(IndicatorValue.value, IndicatorValue.status).where(
                IndicatorValue.locality_code == code,
                IndicatorValue.indicator_code == indicator,
                IndicatorValue.period == period,
            )
        ).first()
        return (row.value, row.status) if row else None


def test_long_csv_preview_writes_nothing_then_commit_and_reimport(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin, data = actors["admin"], load("long_codes.csv")
    before = counts(db)
    plan = preview_import(db, admin, "long_codes.csv", data, TODAY)
    assert (plan.layout, plan.encoding, plan.rows_read) == ("long", "utf-8", 11)
    assert (len(plan.to_add), len(plan.to_revise), plan.unchanged, plan.rejected) == (11, 0, 0, [])
    assert counts(db) == before

    result = commit_import(db, admin, "long_codes.csv", data, "IES monthly", TODAY)
    assert (result.added, result.revised, result.unchanged, result.rejected) == (11, 0, 0, 0)
    assert counts(db) == (before[0] + 11, before[1], before[2] + 1)
    assert stored(db, 1031, "job_seekers", date(2022, 1, 1)) == (812.0, "ok")
    assert stored(db, 1031, "job_seekers", date(2022, 3, 1)) == (829.0, "preliminary")
    rate = stored(db, 1031, "unemployment_rate", date(2022, 1, 1))
    assert rate is not None and rate[0] == pytest.approx(0.051)
    assert stored(db, 1031, "avg_wage", date(2022, 3, 1)) == (10450.0, "ok")
    assert stored(db, 246, "job_seekers.gender.men", date(2022, 1, 1)) == (None, "suppressed")
    assert stored(db, 246, "job_seekers.gender.women", date(2022, 1, 1)) == (None, "suppressed")
    with db.transaction() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
        assert entry.after is not None
        assert entry.username == "admin" and entry.after["added"] == 11
    assert list_batches(db, admin)[0]["added"] == 11

    again = commit_import(db, admin, "copy.csv", data, "IES monthly", TODAY)
    assert (again.batch_id, again.added, again.revised, again.unchanged) == (None, 0, 0, 11)
    assert counts(db) == (before[0] + 11, before[1], before[2] + 1)


def test_names_bom_bad_rows_duplicates_and_unknown_localities(
    db: Database, actors: dict[str, Actor]
) -> None:
    plan = preview_import(db, actors["admin"], "names.csv", load("long_names_bom.csv"), TODAY)
    assert plan.encoding == "utf-8-sig"
    added = {
        (p.locality_code, p.period, p.indicator_code): (p.value, p.status) for p in plan.to_add
    }
    assert added[(1031, date(2022, 1, 1), "open_positions")] == (140.0, "ok")
    assert added[(2800, date(2022, 1, 1), "job_seekers")] == (640.0, "ok")  # קרית
    assert (2800, date(2022, 2, 1), "job_seekers") in added  # קריית with double space
    assert (2800, date(2022, 3, 1), "job_seekers") in added  # Kiryat Shmona
    assert (1061, date(2022, 1, 1), "job_seekers") in added  # old name נצרת עילית
    assert (1063, date(2022, 1, 1), "jobs") in added  # maqaf written as a space
    assert (1031, date(2022, 2, 1), "open_positions") in added  # Sderot
    assert (9200, date(2021, 10, 1), "businesses") in added  # Hebrew month name
    assert added[(8000, date(2022, 1, 1), "job_seekers.population_group.haredi")] == (
        None,
        "suppressed",
    )
    assert added[(8000, date(2022, 1, 1), "job_seekers.population_group.arab")] == (
        None,
        "suppressed",
    )
    assert len(added) == 11
    reasons = {r.line: r.reason.rsplit(".", 1)[-1] for r in plan.rejected}
    assert reasons == {
        13: "unknown_locality",
        14: "bad_period",
        15: "bad_value",
        16: "unknown_indicator",
        17: "bad_value",
        18: "future_period",
        19: "duplicate",
        20: "no_locality",
    }
    assert "2" in next(r.detail for r in plan.rejected if r.line == 19)  # points at line 2


def test_wide_ies_layout_in_windows_1255(db: Database, actors: dict[str, Actor]) -> None:
    admin = actors["admin"]
    result = commit_import(db, admin, "ies.csv", load("wide_ies_cp1255.csv"), "IES", TODAY)
    plan = preview_import(db, admin, "ies.csv", load("wide_ies_cp1255.csv"), TODAY)
    assert (plan.layout, plan.encoding) == ("wide", "cp1255")
    assert result.added == 40 and plan.unchanged == 40  # 4 good rows × 10 columns
    assert stored(db, 1031, "job_seekers", date(2022, 1, 1)) == (812.0, "ok")
    assert stored(db, 1031, "job_seekers.gender.women", date(2022, 1, 1)) == (441.0, "ok")
    assert stored(db, 1031, "job_seekers.age_group.18_24", date(2022, 2, 1)) == (110.0, "ok")
    assert stored(db, 1031, "job_seekers.population_group.arab", date(2022, 2, 1)) == (
        None,
        "suppressed",
    )
    assert stored(db, 246, "job_seekers", date(2022, 1, 1)) == (1310.0, "ok")
    assert stored(db, 246, "job_seekers.education.academic", date(2022, 1, 1)) == (230.0, "ok")
    assert [(r.line, r.reason) for r in plan.rejected] == [
        (6, "ind.import.reason.unknown_code"),
        (7, "ind.import.reason.bad_period"),
    ]


def test_wide_excel_with_title_rows_and_year_month_columns(
    db: Database, actors: dict[str, Actor]
) -> None:
    plan = preview_import(db, actors["admin"], "ies.xlsx", load("wide_ies.xlsx"), TODAY)
    assert plan.layout == "wide" and not plan.rejected
    added = {(p.locality_code, p.period, p.indicator_code): p.value for p in plan.to_add}
    assert added[(831, date(2022, 2, 1), "job_seekers")] == 322  # ירוחם
    assert added[(2560, date(2022, 1, 1), "open_positions")] is None  # Arad, "<5"
    assert added[(2200, date(2022, 1, 1), "job_seekers.gender.women")] == 600  # Dimona
    assert len(added) == 16


def test_long_excel(db: Database, actors: dict[str, Actor]) -> None:
    result = commit_import(db, actors["admin"], "long.xlsx", load("long.xlsx"), "CBS", TODAY)
    assert result.added == 3
    assert stored(db, 1161, "job_seekers", date(2022, 2, 1)) == (4180.0, "ok")


def test_a_revision_keeps_the_value_shown_before(db: Database, actors: dict[str, Actor]) -> None:
    admin = actors["admin"]
    commit_import(db, admin, "a.csv", load("long_codes.csv"), "IES", TODAY)
    with db.transaction() as s:
        first_recorded = s.scalar(
            select(IndicatorValue.recorded_at).where(
                IndicatorValue.locality_code == 1031,
                IndicatorValue.indicator_code == "job_seekers",
                IndicatorValue.period == date(2022, 2, 1),
            )
        )
    revised = load("long_codes.csv").replace(
        b"1031,2022-02,job_seekers,835", b"1031,2022-02,job_seekers,850"
    )
    plan = preview_import(db, admin, "b.csv", revised, TODAY)
    assert (len(plan.to_add), len(plan.to_revise), plan.unchanged) == (0, 1, 10)
    assert plan.to_revise[0].old_value == 835.0
    commit_import(db, admin, "b.csv", revised, "IES", TODAY)
    assert stored(db, 1031, "job_seekers", date(2022, 2, 1)) == (850.0, "revised")
    with db.transaction() as s:
        old = s.scalars(select(IndicatorValueHistory)).one()
        assert (old.value, old.status, old.replaced_by_batch_id is not None) == (835.0, "ok", True)
        assert first_recorded is not None
        between = first_recorded + timedelta(microseconds=1)
        assert indicators.value_known_at(s, 1031, "job_seekers", date(2022, 2, 1), between) == 835
        now = datetime.now(first_recorded.tzinfo) + timedelta(seconds=5)
        assert indicators.value_known_at(s, 1031, "job_seekers", date(2022, 2, 1), now) == 850
    again = commit_import(db, admin, "b.csv", revised, "IES", TODAY)
    assert again.batch_id is None and again.unchanged == 11


def test_commit_is_all_or_nothing(db: Database, actors: dict[str, Actor]) -> None:
    before = counts(db)
    with pytest.raises(IntegrityError), db.transaction() as s:
        plan = build_plan(s, "long_codes.csv", load("long_codes.csv"), TODAY, None)
        plan.to_add.append(Planned(99, 424242, date(2022, 1, 1), "jobs", 1.0, "ok"))  # no such
        apply_plan(s, plan, actors["admin"], "IES")
    assert counts(db) == before


@pytest.mark.parametrize("user", ["mayor", "member"])
def test_leadership_and_members_do_not_import(
    db: Database, actors: dict[str, Actor], user: str
) -> None:
    with pytest.raises(PermissionDenied):
        preview_import(db, actors[user], "a.csv", load("long_codes.csv"), TODAY)
    with pytest.raises(PermissionDenied):
        commit_import(db, actors[user], "a.csv", load("long_codes.csv"), "IES", TODAY)


def test_unreadable_and_unknown_files(db: Database, actors: dict[str, Actor]) -> None:
    admin = actors["admin"]
    plan = preview_import(db, admin, "x.csv", b"a,b,c\n1,2,3\n", TODAY)
    assert plan.rejected[0].reason == "ind.import.reason.unknown_layout" and not plan.to_add
    with pytest.raises(ValidationError):
        preview_import(db, admin, "x.csv", b"", TODAY)
    with pytest.raises(ValidationError):
        commit_import(db, admin, "x.csv", load("long_codes.csv"), " ", TODAY)
    with pytest.raises(ValidationError):
        preview_import(db, admin, "x.xlsx", b"PK\x03\x04 not really a workbook", TODAY)


ONE_VALUE = "locality_code,period,indicator,value,status\n1031,2022-01,job_seekers,{},\n"


def test_a_revision_is_audited_with_the_values_it_replaced_under_its_locality(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    commit_import(db, admin, "a.csv", ONE_VALUE.format(812).encode(), "IES", TODAY)
    result = commit_import(db, admin, "b.csv", ONE_VALUE.format(815).encode(), "IES", TODAY)
    with db.transaction() as s:
        batch = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "import", AuditEntry.entity_id == str(result.batch_id)
            )
        ).one()
        values = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "import_values",
                AuditEntry.entity_id == f"{result.batch_id}/1031",
            )
        ).one()
    assert batch.after is not None
    assert (batch.locality_code, batch.after["revised"], batch.after["filename"]) == (
        1031,
        1,
        "b.csv",
    )
    assert (values.locality_code, values.before, values.after) == (
        1031,
        {"job_seekers/2022-01": [812.0, "ok"]},
        {"job_seekers/2022-01": [815.0, "ok"]},
    )


def test_the_commit_compares_with_what_is_stored_then_not_with_the_preview(
    db: Database, actors: dict[str, Actor]
) -> None:
    """The command's input is the previewed plan: a value someone else stored in between is
    revised from its new value, and one already equal to the file's is left unchanged."""
    admin = actors["admin"]
    header = "locality_code,period,indicator,value\n"
    data = header + "1031,2022-01,job_seekers,812\n1031,2022-02,job_seekers,820\n"
    plan = preview_import(db, admin, "late.csv", data.encode(), TODAY)
    assert (len(plan.to_add), len(plan.to_revise)) == (2, 0)
    meanwhile = header + "1031,2022-01,job_seekers,700\n1031,2022-02,job_seekers,820\n"
    commit_import(db, admin, "meanwhile.csv", meanwhile.encode(), "IES", TODAY)
    result = execute(db, admin, ImportIndicators.of(plan, "IES")).value
    assert (result.added, result.revised, result.unchanged) == (0, 1, 1)
    assert stored(db, 1031, "job_seekers", date(2022, 1, 1)) == (812.0, "revised")
    with db.transaction() as s:
        replaced = s.scalars(
            select(IndicatorValueHistory.value).where(
                IndicatorValueHistory.locality_code == 1031,
                IndicatorValueHistory.period == date(2022, 1, 1),
                IndicatorValueHistory.indicator_code == "job_seekers",
            )
        ).all()
    assert replaced == [700.0]
