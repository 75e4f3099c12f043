"""The meeting save is atomic (a failure midway leaves nothing), drafts survive, minutes render,
quarterly snapshots are kept and comparable."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.forum import meetings, minutes, tasks
from employdash.forum import quarterly as forum_quarterly
from employdash.forum import structure as forum_service
from employdash.models import AuditEntry
from employdash.models.forum import Attendance, Decision, Meeting, MeetingDraft, Task
from tests.forum.helpers import SEDEROT
from tests.foundation.commands.harness import insert_fails
from tests.support.present import present

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

HELD = date(2026, 11, 20)


def _input(db: Database, actor: Actor, member_person: int | None) -> meetings.MeetingInput:
    assert member_person is not None  # the member's account has a person
    view = present(forum_service.overview(db, actor, SEDEROT))
    team = next(t for t in view.teams if t["kind"] == "forum")
    people = [
        r["person_id"]
        for r in forum_service.members(db, actor, SEDEROT)
        if r["team_id"] == team["id"]
    ]
    return meetings.MeetingInput(
        locality_code=SEDEROT,
        team_id=team["id"],
        held_on=HELD,
        number=5,
        agenda=["Work plan", "Task teams"],
        attendance={p: i % 3 != 0 for i, p in enumerate(people)},
        guests=[{"name": "Dana Guest", "organisation": "Ministry"}],
        issues="Employers' round table\nYouth data",
        decisions=["Start the youth team", "Survey employers by March"],
        tasks=[
            {
                "title": "Book the hall",
                "owner_person_id": member_person,
                "due_date": HELD + timedelta(days=14),
            },
            {
                "title": "Draft the survey",
                "owner_person_id": next(p for p in people if p != member_person),
                "due_date": HELD + timedelta(days=30),
            },
        ],
        attachments=[{"title": "Slides", "url": "https://example.org/slides.pdf"}],
        next_dates=[HELD + timedelta(days=30)],
    )


def _counts(db: Database) -> tuple[int, ...]:
    with db.transaction() as s:
        return tuple(
            present(s.scalar(select(func.count()).select_from(t)))
            for t in (Meeting, Attendance, Decision, Task, AuditEntry)
        )


def test_meeting_saves_everything_together(db: Database, actors: dict[str, Actor]) -> None:
    manager, member = actors["manager"], actors["member"]
    data = _input(db, manager, member.person_id)
    meetings.save_draft(db, manager, SEDEROT, {"issues": "half typed"})
    before = _counts(db)
    mid = meetings.save_meeting(db, manager, data)
    after = _counts(db)
    assert after[0] - before[0] == 1
    assert after[1] - before[1] == len(data.attendance)
    assert after[2] - before[2] == 2 and after[3] - before[3] == 2
    assert meetings.load_draft(db, manager, SEDEROT) is None  # the save removes the draft
    record = meetings.meeting_record(db, member, mid)
    assert len(record["present"]) == sum(data.attendance.values())
    assert len(record["absent"]) == len(data.attendance) - len(record["present"])
    assert [t["title"] for t in record["tasks"]] == ["Book the hall", "Draft the survey"]
    mine = [r for r in tasks.my_tasks(db, member) if r["meeting_id"] == mid]
    assert [r["title"] for r in mine] == ["Book the hall"] and mine[0]["editable"]


def test_a_failure_midway_leaves_nothing(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    data = _input(db, manager, actors["member"].person_id)
    before = _counts(db)

    with insert_fails("task"), pytest.raises(RuntimeError, match="injected"):
        meetings.save_meeting(db, manager, data)
    assert _counts(db) == before  # no meeting, attendance, decision, task or audit row


def test_invalid_input_and_roles_are_refused(db: Database, actors: dict[str, Actor]) -> None:
    data = _input(db, actors["manager"], actors["member"].person_id)
    data.tasks.append({"title": "  ", "owner_person_id": None})
    data.attachments.append({"title": "x", "url": "javascript:alert(1)"})
    with pytest.raises(ValidationError) as bad:
        meetings.save_meeting(db, actors["manager"], data)
    assert set(bad.value.fields) == {"tasks[2].title", "attachments[1].url"}
    for user in ("member", "mayor"):
        with pytest.raises(PermissionDenied):
            meetings.save_meeting(db, actors[user], _input(db, actors["manager"], 1))


def test_draft_is_kept_per_user_and_replaced(db: Database, actors: dict[str, Actor]) -> None:
    manager, admin = actors["manager"], actors["admin"]
    meetings.save_draft(db, manager, SEDEROT, {"issues": "first"})
    meetings.save_draft(db, manager, SEDEROT, {"issues": "second", "tasks": [{"title": "a"}]})
    assert meetings.load_draft(db, manager, SEDEROT) == {
        "issues": "second",
        "tasks": [{"title": "a"}],
    }
    assert meetings.load_draft(db, admin, SEDEROT) is None
    meetings.discard_draft(db, manager, SEDEROT)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(MeetingDraft)) == 0


@pytest.mark.parametrize("lang", ["he", "en"])
def test_minutes_in_the_source_layout(db: Database, actors: dict[str, Actor], lang: str) -> None:
    manager = actors["manager"]
    mid = meetings.save_meeting(db, manager, _input(db, manager, actors["member"].person_id))
    record = meetings.meeting_record(db, manager, mid)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes.pdf(record, lang))).pages)
    word = "\n".join(
        p.text for p in WordDocument(io.BytesIO(minutes.docx(record, lang))).paragraphs
    )
    present = record["present"][0]["name"]
    for expected in ("Book the hall", "Dana Guest", "Start the youth team", present):
        assert expected in word
    assert "Book the hall" in text and "Start the youth team" in text
    headings = (
        ("השתתפו", "נעדרו", "החלטות") if lang == "he" else ("Participants", "Absent", "Decisions")
    )
    assert all(h in word for h in headings)
    first = WordDocument(io.BytesIO(minutes.docx(record, lang))).paragraphs[0]
    assert bool(first._p.pPr is not None and first._p.pPr.xpath("./w:bidi")) == (lang == "he")


def test_quarterly_snapshots_are_kept_and_comparable(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    forum_quarterly.take_snapshot(db, manager, SEDEROT, "2026Q4")
    kept = forum_quarterly.reviews(db, manager, SEDEROT)
    assert [r["quarter"] for r in kept] == ["2026Q2", "2026Q3", "2026Q4"]
    q4 = kept[-1]
    rows = tasks.list_tasks(db, manager, SEDEROT)
    start, end = forum_quarterly.quarter_bounds("2026Q4")
    assert q4["plan"]["planned"] == sum(
        1 for r in rows if r["due_date"] and start <= r["due_date"] <= end
    )
    flat = forum_quarterly.comparison_rows(kept)
    assert {r["quarter"] for r in flat} == {"2026Q2", "2026Q3", "2026Q4"}
    with pytest.raises(PermissionDenied):
        forum_quarterly.take_snapshot(db, actors["mayor"], SEDEROT, "2026Q4")
    with pytest.raises(ValidationError):
        forum_quarterly.quarter_bounds("2026Q5")
