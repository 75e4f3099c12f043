"""Employer survey import: preview with line numbers, all-or-nothing commit, re-import."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import ColumnElement, func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import StaleVersion, ValidationError
from employdash.models import AuditEntry, Organisation
from employdash.models.base import Base
from employdash.models.stakeholders import EmployerSurveyResponse
from employdash.stakeholders import survey_import, surveys
from tests.importers.uploads import KINDS, first_line, upload

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

HEADER = (
    "company,locality,survey_date,branch,employee_count,open_positions,hiring_horizon,"
    "remote_work,offers_training,training_needs,service_contact,satisfaction,"
    "community_interest,recruitment_areas,contact_name,contact_email"
)
GOOD = (
    'הובלות הנגב,1031,2026-08-01,logistics,40,"נהגים:3; מחסנאים:2",1_2,no,yes,מלגזה,regular,4,'
    "yes,שדרות;נתיבות,אבי כהן,avi@example.org",
    "מסעדת הים,שדרות,15/07/2026,מלונאות והסעדה,12,מלצרות:4,3_6,no,no,,occasional,3,no,,,",
)
BAD = (
    "מפעל פגום,1031,2026-08-01,magic,10,,1_2,no,no,,regular,9,no,,,",  # bad branch, satisfaction
    "חברה רחוקה,עיר שאיננה,2026-08-01,logistics,10,,1_2,no,no,,regular,3,no,,,",
    'הובלות הנגב,1031,2026-08-01,logistics,40,"נהגים:3",1_2,no,yes,,regular,4,yes,,,',  # repeat
    "חברה בחיפה,4000,2026-08-01,logistics,10,,1_2,no,no,,regular,3,no,,,",  # outside scope
)


def csv_bytes(rows: tuple[str, ...], encoding: str = "utf-8-sig") -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode(encoding)


def _count(db: Database, model: type[Base], *where: ColumnElement[bool]) -> int:
    with db.transaction() as s:
        return s.scalars(select(func.count()).select_from(model).where(*where)).one()


def test_preview_reports_rows_to_add_and_rejections_with_line_numbers(
    db: Database, actors: dict[str, Actor]
) -> None:
    preview = survey_import.preview(
        db, actors["manager"], csv_bytes(GOOD + BAD), "survey.csv", 1031
    )
    assert preview.rows_read == 6
    assert [p.company for p in preview.to_add] == ["הובלות הנגב", "מסעדת הים"]
    assert [(r.line, r.reason) for r in preview.rejected] == [
        (4, "survey.import.reason.invalid"),
        (5, "survey.import.reason.locality"),
        (6, "survey.import.reason.duplicate"),
        (7, "survey.import.reason.scope"),
    ]
    assert "branch" in preview.rejected[0].detail and "satisfaction" in preview.rejected[0].detail
    first = preview.to_add[0].data
    assert first.positions == [("נהגים", 3), ("מחסנאים", 2)] and first.recruitment_areas == [
        1031,
        246,
    ]
    assert preview.to_add[1].data.branch == "hospitality"  # the Hebrew label was understood


def test_commit_then_reimport_changes_nothing(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    before = _count(db, EmployerSurveyResponse)
    result = survey_import.commit(
        db, manager, survey_import.preview(db, manager, csv_bytes(GOOD + BAD), "survey.csv", 1031)
    )
    assert (result.added, result.revised, result.rejected) == (2, 0, 4)
    assert _count(db, EmployerSurveyResponse) == before + 2
    audits = _count(db, AuditEntry, AuditEntry.action == "import")
    assert audits == 1
    again = survey_import.preview(db, manager, csv_bytes(GOOD), "survey.csv", 1031)
    assert (len(again.to_add), len(again.to_revise), again.unchanged) == (0, 0, 2)
    assert survey_import.commit(db, manager, again).added == 0
    assert _count(db, EmployerSurveyResponse) == before + 2
    assert _count(db, AuditEntry, AuditEntry.action == "import") == audits
    changed = (GOOD[0].replace(",4,yes", ",2,yes"), GOOD[1])
    revised = survey_import.preview(db, manager, csv_bytes(changed), "survey.csv", 1031)
    assert (len(revised.to_add), len(revised.to_revise), revised.unchanged) == (0, 1, 1)
    assert survey_import.commit(db, manager, revised).revised == 1
    with db.transaction() as s:
        scores = s.scalars(
            select(EmployerSurveyResponse.satisfaction).where(
                EmployerSurveyResponse.created_by == "manager"
            )
        ).all()
    assert Counter(scores) == Counter([2, 3])


def test_commit_is_all_or_nothing(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    preview = survey_import.preview(db, manager, csv_bytes(GOOD), "survey.csv", 1031)
    broken = replace(preview.to_add[1], data=replace(preview.to_add[1].data, branch="magic"))
    preview.to_add = [preview.to_add[0], broken]
    before = _count(db, EmployerSurveyResponse)
    with pytest.raises(ValidationError):
        survey_import.commit(db, manager, preview)
    assert _count(db, EmployerSurveyResponse) == before


def test_windows_1255_with_hebrew_headers_and_excel(db: Database, actors: dict[str, Actor]) -> None:
    hebrew = (
        "חברה,תאריך,ענף,תכנית גיוס,עבודה מרחוק,קשר עם שירות התעסוקה,משרות פנויות\n"
        "מוקד שירות בדיקה,2026-06-01,מסחר ושירות,בעוד 1–2 חודשים,לא מתאפשרת,שוטף,"
        "נציגי שירות:5\n"
    )
    vague = survey_import.preview(
        db,
        actors["manager"],
        hebrew.replace("בעוד 1–2 חודשים", "בקרוב").encode("cp1255"),
        "survey.csv",
        1031,
    )
    assert [(r.line, r.detail) for r in vague.rejected] == [(2, "hiring_horizon")]
    # cp1255 has no en dash: people write a hyphen, which matches the label too
    preview = survey_import.preview(
        db, actors["manager"], hebrew.replace("–", "-").encode("cp1255"), "survey.csv", 1031
    )
    assert [p.company for p in preview.to_add] == ["מוקד שירות בדיקה"]
    assert preview.to_add[0].data.positions == [("נציגי שירות", 5)]
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            "מחסן אקסל",
            246,
            "2026-05-05",
            "logistics",
            30,
            "מחסנאים:6",
            "6_plus",
            "no",
            "no",
            "",
            "none",
            None,
            "no",
            "",
            "",
            "",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    preview = survey_import.preview(db, actors["manager"], buffer.getvalue(), "survey.xlsx")
    assert [(p.locality_code, p.company) for p in preview.to_add] == [(246, "מחסן אקסל")]


def test_missing_required_columns_are_refused(db: Database, actors: dict[str, Actor]) -> None:
    with pytest.raises(ValidationError) as err:
        survey_import.preview(db, actors["manager"], b"company,foo\nx,y\n", "bad.csv", 1031)
    assert "survey_date" in err.value.fields


@pytest.mark.parametrize("kind", KINDS)
def test_preview_reads_every_kind_of_upload_through_the_shared_reader(
    db: Database, actors: dict[str, Actor], kind: str
) -> None:
    header = ("חברה", "תאריך", "ענף", "תכנית גיוס", "עבודה מרחוק", "קשר עם שירות התעסוקה")
    rows = [
        ("מוקד בדיקה", date(2026, 6, 1), "logistics", "1_2", "no", "regular"),
        ("מחסן בדיקה", date(2026, 6, 2), "logistics", "6_plus", "no", "none"),
        ("", date(2026, 6, 3), "magic", "1_2", "no", "regular"),
    ]
    filename, data = upload(kind, header, rows)
    preview = survey_import.preview(db, actors["manager"], data, filename, 1031)
    assert preview.rows_read == 3 and len(preview.to_add) == 2
    assert [r.line for r in preview.rejected] == [first_line(kind) + 2]


SURVEY_HEADER = "company,survey_date,branch,hiring_horizon,remote_work,service_contact,"
SURVEY_HEADER += "satisfaction,contact_name,contact_phone"


def _survey_file(*rows: str) -> bytes:
    return "\n".join([SURVEY_HEADER, *rows]).encode()


def test_a_survey_revision_keeps_the_overwritten_contact_details(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A revision's audit row keeps the answers it overwrote (and says which file and line);
    the new employer, its response and the file's counts are audited in the locality too."""
    manager = actors["manager"]
    first = _survey_file("Imported Co,2026-08-01,logistics,1_2,no,regular,4,Avi,050-1")
    survey_import.commit(db, manager, survey_import.preview(db, manager, first, "a.csv", 1031))
    again = _survey_file(
        "Imported Co,2026-08-01,logistics,1_2,no,regular,2,Dana,050-2",
        "Brand New Co,2026-08-01,logistics,1_2,no,regular,3,,",
    )
    preview = survey_import.preview(db, manager, again, "b.csv", 1031)
    with db.transaction() as s:
        mark = s.scalar(select(func.max(AuditEntry.id)))
    result = survey_import.commit(db, manager, preview)
    assert (result.added, result.revised) == (1, 1)
    with db.transaction() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.id > mark)).all()
    assert sorted((r.entity, r.action) for r in rows) == [
        ("employer_survey_response", "create"),
        ("employer_survey_response", "import"),
        ("employer_survey_response", "import_revise"),
        ("organisation", "create"),
    ]
    assert {r.locality_code for r in rows} == {1031} and {r.username for r in rows} == {"manager"}
    (revision,) = [r for r in rows if r.action == "import_revise"]
    assert revision.before is not None and revision.after is not None
    old = {"satisfaction": 4, "contact_name": "Avi", "contact_phone": "050-1"}
    new = {"satisfaction": 2, "contact_name": "Dana", "contact_phone": "050-2"}
    assert {k: revision.before[k] for k in old} == old
    assert {k: revision.after[k] for k in new} == new
    assert (revision.after["file"], revision.after["line"]) == ("b.csv", 2)
    (summary,) = [r for r in rows if r.action == "import"]
    assert summary.after == {"file": "b.csv", "added": 1, "revised": 1, "rejected": 0}


def test_a_response_revised_since_the_preview_refuses_the_whole_import(
    db: Database, actors: dict[str, Actor]
) -> None:
    """Nobody's correction is overwritten by an older file: the commit is refused as stale and
    writes nothing (the manager previews again)."""
    manager = actors["manager"]
    first = _survey_file("Stale Co,2026-08-01,logistics,1_2,no,regular,4,Avi,050-1")
    survey_import.commit(db, manager, survey_import.preview(db, manager, first, "a.csv", 1031))
    again = _survey_file(
        "Stale Co,2026-08-01,logistics,1_2,no,regular,2,Dana,050-2",
        "Fresh Co,2026-08-01,logistics,1_2,no,regular,3,,",
    )
    preview = survey_import.preview(db, manager, again, "b.csv", 1031)
    (revised,) = preview.to_revise
    assert revised.revises is not None
    data, version = surveys.get_response(db, manager, revised.revises)
    surveys.update_response(db, manager, revised.revises, version, replace(data, satisfaction=5))
    before = _count(db, EmployerSurveyResponse)
    with pytest.raises(StaleVersion):
        survey_import.commit(db, manager, preview)
    assert _count(db, EmployerSurveyResponse) == before
    assert surveys.get_response(db, manager, revised.revises)[0].satisfaction == 5


def test_a_file_spanning_two_localities_is_imported_in_each(
    db: Database, actors: dict[str, Actor]
) -> None:
    """Rows may name any locality the manager writes; each is audited in its own locality."""
    manager = actors["manager"]
    rows = (
        b"company,locality,survey_date,branch,hiring_horizon\n"
        b"Two Co,1031,2026-08-01,logistics,1_2\n"
        b"Two Co,246,2026-08-01,logistics,1_2\n"
    )
    preview = survey_import.preview(db, manager, rows, "two.csv", 1031)
    assert [p.locality_code for p in preview.to_add] == [1031, 246]
    assert survey_import.commit(db, manager, preview).added == 2
    with db.transaction() as s:
        imports = s.scalars(
            select(AuditEntry.locality_code).where(AuditEntry.action == "import")
        ).all()
        created = s.scalars(
            select(EmployerSurveyResponse.locality_code)
            .join(Organisation, Organisation.id == EmployerSurveyResponse.organisation_id)
            .where(Organisation.name == "Two Co")
        ).all()
    assert Counter(imports) == Counter([246, 1031]) and Counter(created) == Counter([246, 1031])
