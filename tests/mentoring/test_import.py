"""Import preview (rows read, to add, rejected with line and reason) and all-or-nothing commit."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.mentoring import operations as svc
from employdash.mentoring.imports import commit_import, plan_import
from employdash.models import AuditEntry
from employdash.models.mentoring import Participant, StageEvent
from tests.importers.uploads import KINDS, first_line, upload
from tests.mentoring.conftest import Scenario

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

CSV = """code,role,program,population,age_band,stage,date,kind,reason
IMP-001,mentee,Test program,haredi,25_34,referred,2025-05-01,,
IMP-001,,,,,screened,2025-05-10,forward,
IMP-002,mentee,Test program,arab,,referred,2025-05-02,,
IMP-002,,,,,referred,2025-05-20,drop,moved
IMP-003,mentee,No such program,arab,,referred,2025-05-02,,
IMP-001,,,,,accepted,2025-05-05,forward,
IMP-004,mentee,Test program,martian,,referred,2025-05-02,,
IMP-002,,,,,screened,not a date,,
"""


def counts(db: Database) -> tuple[int, int]:
    with db.transaction() as s:
        return (
            s.scalars(select(func.count()).select_from(Participant)).one(),
            s.scalars(select(func.count()).select_from(StageEvent)).one(),
        )


def test_preview_then_commit(db: Database, actors: dict[str, Actor], scenario: Scenario) -> None:
    manager = actors["manager"]
    before = counts(db)
    plan = plan_import(db, manager, "people.csv", CSV.encode())
    assert counts(db) == before  # the preview writes nothing
    assert plan.rows_read == 8
    assert [p["code"] for p in plan.new_participants] == ["IMP-001", "IMP-002"]
    assert len(plan.events) == 4
    assert plan.rejected == [
        (6, "ment.import.error.program"),
        (7, "ment.import.error.order"),
        (8, "ment.import.error.population"),
        (9, "ment.import.error.date"),
    ]
    commit_import(db, manager, "people.csv", CSV.encode())
    assert counts(db) == (before[0] + 2, before[1] + 4)
    frame = svc.participants(db, manager, 246, program_id=scenario.program_id).set_index("code")
    assert frame.at["IMP-001", "stage"] == "screened"
    assert frame.at["IMP-002", "kind"] == "drop"
    with db.transaction() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "import")
            )
            == 1
        )
    # the same file again: the codes exist and the dates go backwards → everything rejected
    again = plan_import(db, manager, "people.csv", CSV.encode())
    assert not again.new_participants


def test_excel_and_scope(db: Database, actors: dict[str, Actor], scenario: Scenario) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["קוד", "תפקיד", "תוכנית", "אוכלוסייה", "שלב", "תאריך"])
    sheet.append(["X-1", "mentee", str(scenario.program_id), "haredi", "הופנו", "2025-06-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = plan_import(db, actors["manager"], "people.xlsx", buffer.getvalue())
    assert plan.rejected == [] and len(plan.events) == 1, plan.rejected
    # the mayor cannot import; an admin sees the same rows
    with pytest.raises(PermissionDenied):
        plan_import(db, actors["mayor"], "people.xlsx", buffer.getvalue())


def test_failure_midway_writes_nothing(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    before = counts(db)
    existing = svc.participants(db, actors["manager"], 246, program_id=scenario.program_id)
    taken = existing["code"].iloc[0]
    # a code taken between preview and commit would fail inside the transaction: simulate with
    # a file whose second new participant reuses a code created by its own first row's insert
    data = (
        f"code,role,program,population,stage,date\n"
        f"NEW-1,mentee,Test program,haredi,referred,2025-05-01\n"
        f"{taken},,,,screened,2020-01-01\n"
    ).encode()
    plan = plan_import(db, actors["manager"], "x.csv", data)
    assert plan.rejected and plan.rejected[0][0] == 3
    commit_import(db, actors["manager"], "x.csv", data)
    assert counts(db) == (before[0] + 1, before[1] + 1)


@pytest.mark.parametrize("kind", KINDS)
def test_preview_reads_every_kind_of_upload_through_the_shared_reader(
    db: Database, actors: dict[str, Actor], scenario: Scenario, kind: str
) -> None:
    header = ("קוד", "תפקיד", "תוכנית", "אוכלוסייה", "שלב", "תאריך")
    rows = [
        ("K-1", "mentee", "Test program", "haredi", "referred", date(2025, 6, 1)),
        ("K-1", None, None, None, "screened", date(2025, 6, 9)),
        ("K-2", "mentee", "Test program", "martian", "referred", date(2025, 6, 1)),
    ]
    plan = plan_import(db, actors["manager"], *upload(kind, header, rows))
    assert plan.rows_read == 3 and len(plan.events) == 2
    assert plan.rejected == [(first_line(kind) + 2, "ment.import.error.population")]


def test_a_file_naming_two_localities_is_refused_whole(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    """An import is one locality's write (its audit row is that locality's): a file naming a
    program of each of the manager's two localities is refused, and nothing is written."""
    manager = actors["manager"]
    other = next(p for p in svc.programs(db, manager) if p.locality_code == 1031)
    data = (
        "code,role,program,population,stage,date\n"
        "TWO-1,mentee,Test program,haredi,referred,2025-05-01\n"
        f"TWO-2,mentee,{other.id},haredi,referred,2025-05-01\n"
    ).encode()
    assert len(plan_import(db, manager, "two.csv", data).events) == 2  # the preview shows both
    before = counts(db)
    with pytest.raises(ValidationError) as refused:
        commit_import(db, manager, "two.csv", data)
    assert refused.value.fields == {"file": "ment.import.error.localities"}
    assert counts(db) == before
