"""Bounded input: text is cleaned of control characters and held to the
limits declared in `employdash.limits`, by forms and imports alike, and documents generated from
stored text stay bounded in time and valid (a 2 MB meeting text took 7 minutes as a PDF; control
characters made the Word export fail every time)."""

from __future__ import annotations

import io
import time
from datetime import date, timedelta
from typing import cast

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from sqlalchemy import String, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.forum import meetings, minutes, tasks
from employdash.forum import structure as forum_service
from employdash.forum.meetings import MeetingRecord
from employdash.i18n import t
from employdash.limits import (
    FIELDS,
    MAX_DOCUMENT_CHARS,
    MAX_MEETING_ITEMS,
    clean_text,
    strip_controls,
)
from employdash.mentoring import operations as mentoring
from employdash.mentoring.imports import commit_import, plan_import
from employdash.models import Organisation, Person, User
from employdash.models.forum import (
    Forum,
    Invitee,
    Meeting,
    MeetingGuest,
    MilestoneNote,
    PlannedMeeting,
    StrategicFocus,
    SuccessMetric,
    Task,
    Team,
)
from employdash.models.indicators import ImportBatch, IndicatorDefinition
from employdash.models.mentoring import Cohort, Participant, Program
from employdash.models.stakeholders import (
    EmployerSurveyPosition,
    EmployerSurveyResponse,
    OrganisationProgram,
    Stakeholder,
    StakeholderRelation,
)
from employdash.stakeholders import register as stakeholders
from employdash.stakeholders import survey_import
from employdash.stakeholders.register import StakeholderInput
from tests.support.present import present

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

SEDEROT = 1031
HOSTILE = "a\x00b\x0bc\x1bd\uffffe"  # the characters that broke the Word export
# Columns whose length bounds each declared limit (Text columns have none).
COLUMNS = {
    "organisation/name": Organisation.name,
    "person/full_name": Person.full_name,
    "person/job_title": Person.job_title,
    "person/email": Person.email,
    "person/phone": Person.phone,
    "user/full_name": User.full_name,
    "user/email": User.email,
    "indicator/name": IndicatorDefinition.name_en,
    "indicator/source": ImportBatch.source,
    "forum/focus_title": StrategicFocus.title,
    "forum/name": Forum.name,
    "forum/team_name": Team.name,
    "forum/metric_name": SuccessMetric.name,
    "forum/metric_unit": SuccessMetric.unit,
    "forum/milestone_link_title": MilestoneNote.link_title,
    "forum/milestone_link_url": MilestoneNote.link_url,
    "task/title": Task.title,
    "meeting/guest_name": MeetingGuest.name,
    "meeting/guest_organisation": MeetingGuest.organisation,
    "planned_meeting/place": PlannedMeeting.place,
    "planned_meeting/online_url": PlannedMeeting.online_url,
    "planned_meeting/guest_name": Invitee.guest_name,
    "planned_meeting/guest_email": Invitee.guest_email,
    "stakeholder/role": Stakeholder.role,
    "stakeholder/relation_note": StakeholderRelation.note,
    "profile/program": OrganisationProgram.name,
    "survey/location": EmployerSurveyResponse.location,
    "survey/profession": EmployerSurveyPosition.profession,
    "survey/contact_name": EmployerSurveyResponse.contact_name,
    "survey/contact_phone": EmployerSurveyResponse.contact_phone,
    "survey/contact_email": EmployerSurveyResponse.contact_email,
    "survey/company": Organisation.name,
    "mentoring/program_name": Program.name,
    "mentoring/cohort_name": Cohort.name,
    "mentoring/participant_code": Participant.code,
}


def test_control_characters_are_removed_and_line_breaks_kept_where_a_field_is_multiline() -> None:
    assert clean_text(HOSTILE, "task/title") == "abcde"
    assert clean_text(" a\r\nb\tc ", "task/title") == "a b c"
    assert clean_text("a\r\nb\tc\x00", "meeting/issues") == "a\nb\tc"
    assert strip_controls("\u200fשלום\u202a") == "\u200fשלום\u202a"  # bidi marks are text


def test_too_long_is_refused_naming_the_limit_in_the_users_language() -> None:
    with pytest.raises(ValidationError) as err:
        clean_text("x" * 301, "task/title")
    assert err.value.fields == {"title": "validation.too_long_max"}
    params = err.value.field_params["title"]
    assert t("validation.too_long_max", "en", **params) == "Too long: at most 300 characters"
    assert "300" in t("validation.too_long_max", "he", **params)
    assert clean_text("x" * 300, "task/title") == "x" * 300


@pytest.mark.parametrize("field", sorted(COLUMNS))
def test_every_limit_fits_its_database_column(field: str) -> None:
    column_type = COLUMNS[field].property.columns[0].type
    assert isinstance(column_type, String) and column_type.length is not None
    assert FIELDS[field].max_len <= column_type.length


def test_the_meeting_form_stores_clean_text_and_refuses_oversized_input(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    team = next(
        t
        for t in present(forum_service.overview(db, manager, SEDEROT)).teams
        if t["kind"] == "forum"
    )

    def meeting(**changes: object) -> meetings.MeetingInput:
        base = meetings.MeetingInput(
            locality_code=SEDEROT,
            team_id=team["id"],
            held_on=date(2026, 11, 20),
            agenda=[f"Agenda {HOSTILE}"],
            guests=[{"name": f"Guest {HOSTILE}", "organisation": ""}],
            issues=f"line one {HOSTILE}\nline two",
            decisions=[f"Decide {HOSTILE}"],
            tasks=[{"title": f"Task {HOSTILE}", "owner_person_id": None, "due_date": None}],
        )
        for key, value in changes.items():
            setattr(base, key, value)
        return base

    mid = meetings.save_meeting(db, manager, meeting())
    with db.transaction() as s:
        stored = present(s.get(Meeting, mid))
        assert stored.agenda == ["Agenda abcde"]
        assert stored.issues == "line one abcde\nline two"
        guest = s.scalar(select(MeetingGuest.name).where(MeetingGuest.meeting_id == mid))
        assert guest == "Guest abcde"
        assert s.scalar(select(Task.title).where(Task.meeting_id == mid)) == "Task abcde"
    with pytest.raises(ValidationError) as err:
        meetings.save_meeting(db, manager, meeting(decisions=["d"] * (MAX_MEETING_ITEMS + 1)))
    assert err.value.fields == {"decisions": "validation.too_many_max"}


def test_declared_texts_inside_a_commands_values_are_stored_clean(
    db: Database, actors: dict[str, Actor]
) -> None:
    """The pipeline cleans a declared text where it lies: a field, or a key of the values an
    update or a creation carries ("values.title"), keeping line breaks where the field is
    multiline. Over its bound, every declared text is refused by the generic test
    (tests/foundation/commands/)."""
    manager, admin = actors["manager"], actors["admin"]
    task_id = tasks.create_task(db, manager, SEDEROT, {"title": f"T {HOSTILE}"})
    org = stakeholders.create(
        db,
        admin,
        SEDEROT,
        StakeholderInput(
            new_organisation=f"Org {HOSTILE}", sector="employer", notes="n\x00\nb\uffff"
        ),
    )
    with db.transaction() as s:
        assert present(s.get(Task, task_id)).title == "T abcde"
        row = present(s.get(Stakeholder, org))
        assert present(s.get(Organisation, row.organisation_id)).name == "Org abcde"
        assert row.notes == "n\nb"


def test_imports_clean_text_and_refuse_oversized_values(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    header = "company,survey_date,branch,hiring_horizon,remote_work,service_contact,contact_name"
    rows = [
        f"Co {HOSTILE},2026-08-01,logistics,1_2,no,regular,Dana\x00",
        f"{'c' * 201},2026-08-01,logistics,1_2,no,regular,",
    ]
    data = "\n".join([header, *rows]).encode()
    preview = survey_import.preview(db, manager, data, "s.csv", SEDEROT)
    assert [p.company for p in preview.to_add] == ["Co abcde"]
    assert [r.line for r in preview.rejected] == [3]
    survey_import.commit(db, manager, preview)
    with db.transaction() as s:
        stored = s.scalar(
            select(EmployerSurveyResponse)
            .join(Organisation, Organisation.id == EmployerSurveyResponse.organisation_id)
            .where(Organisation.name == "Co abcde")
        )
        assert stored is not None
        assert stored.contact_name == "Dana"
    codes = (
        "code,role,program,population,stage,date\n" + f"{'X' * 21},mentee,1,haredi,x,2025-01-01\n"
    )
    plan = plan_import(db, manager, "m.csv", codes.encode())
    assert plan.rejected == [(2, "ment.import.error.code")]


def test_a_long_file_name_does_not_break_an_import(db: Database, actors: dict[str, Actor]) -> None:
    # the audit entry's id column holds 60 characters; PostgreSQL refused a longer file name
    manager = actors["manager"]
    mentoring.create_program(
        db,
        manager,
        name="Long name program",
        locality_code=246,
        operating_model="freelancer",
        target_population="haredi",
    )
    data = "code,role,program,population,stage,date\n"
    data += "LONG-1,mentee,Long name program,haredi,referred,2025-01-01\n"
    name = "participants exported from the municipal system " * 3 + ".csv"
    plan = commit_import(db, manager, name, data.encode())
    assert len(plan.events) == 1


def _record(**changes: object) -> MeetingRecord:
    record: dict[str, object] = {
        "id": 1,
        "forum": f"Forum {HOSTILE}",
        "locality_code": SEDEROT,
        "team": f"Team {HOSTILE}",
        "team_kind": "forum",
        "kind": "forum",
        "number": 2,
        "held_on": date(2026, 11, 20),
        "agenda": [f"Agenda {HOSTILE}"],
        "issues": f"Issue {HOSTILE}",
        "present": [{"name": f"Dana {HOSTILE}", "organisation": None, "role": None}],
        "absent": [],
        "guests": [{"name": f"Guest {HOSTILE}", "organisation": f"Org {HOSTILE}"}],
        "attachments": [{"title": f"Slides {HOSTILE}", "url": "https://example.org/s.pdf"}],
        "decisions": [f"Decision {HOSTILE}"],
        "tasks": [{"title": f"Task {HOSTILE}", "owner": f"Avi {HOSTILE}", "due_date": None}],
        "next_dates": [date(2026, 12, 20)],
    }
    record.update(changes)
    return cast(MeetingRecord, record)


@pytest.mark.parametrize("lang", ["he", "en"])
def test_control_characters_do_not_break_the_word_export(lang: str) -> None:
    word = WordDocument(io.BytesIO(minutes.docx(_record(), lang)))
    text = "\n".join(p.text for p in word.paragraphs)
    for expected in ("Agenda abcde", "Issue abcde", "Decision abcde", "Guest abcde"):
        assert expected in text
    pdf = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(minutes.pdf(_record(), lang))).pages
    )
    assert "Decision" in pdf


@pytest.mark.parametrize(
    "changes",
    [
        {"issues": "שורה ארוכה של דיון " * 110_000},  # 2 MB in one paragraph
        {"issues": "שורה קצרה\n" * 200_000},  # 2 MB in short lines
        {"decisions": ["החלטה " * 600] * 3_000},  # many long decisions
    ],
    ids=["one-paragraph", "short-lines", "many-decisions"],
)
def test_minutes_of_a_huge_meeting_render_in_seconds(changes: dict[str, object]) -> None:
    record = _record(**changes)
    started = time.perf_counter()
    pdf = minutes.pdf(record, "he")
    word = minutes.docx(record, "he")
    elapsed = time.perf_counter() - started
    assert elapsed < 30, elapsed  # 7 minutes before the bound; about 3 s on a quiet machine
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(word)).paragraphs)
    assert "…" in text  # a paragraph cut short, or the note where the document was cut
    assert len(text) < MAX_DOCUMENT_CHARS + 10_000
    assert PdfReader(io.BytesIO(pdf)).pages


def test_a_meeting_saved_at_the_limits_prints_whole(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    team = next(
        t
        for t in present(forum_service.overview(db, manager, SEDEROT)).teams
        if t["kind"] == "forum"
    )
    issues = "\n".join(f"נושא {i}: " + "מילה " * 30 for i in range(20))
    mid = meetings.save_meeting(
        db,
        manager,
        meetings.MeetingInput(
            locality_code=SEDEROT,
            team_id=team["id"],
            held_on=date(2026, 11, 20) - timedelta(days=1),
            issues=issues,
            decisions=["אחת", "שתיים"],
        ),
    )
    record = meetings.meeting_record(db, manager, mid)
    text = "\n".join(
        p.text for p in WordDocument(io.BytesIO(minutes.docx(record, "he"))).paragraphs
    )
    assert "נושא 19" in text and t("meet.minutes.truncated", "he") not in text
