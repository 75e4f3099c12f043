"""The year summary's figures against the records, its two versions, and both documents."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.briefing import year_report
from employdash.briefing.year_summary import year_summary
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.forum.target_status import metric_statuses
from employdash.models import Person
from employdash.models.forum import Attendance, Decision, Forum, Meeting, MilestoneCheck, Task
from employdash.models.mentoring import Match, Outcome, Participant, Program
from employdash.seed.context import DEMO_AS_OF

SEDEROT, NETIVOT, YEAR = 1031, 246, DEMO_AS_OF.year
START = date(YEAR, 1, 1)


def _forum_id(db: Database) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(Forum.id).where(Forum.locality_code == SEDEROT)) or 0)


def test_the_figures_are_the_records_of_the_year(db: Database, actors: dict[str, Actor]) -> None:
    forum = _forum_id(db)
    summary = year_summary(db, actors["manager"], SEDEROT, YEAR, DEMO_AS_OF)
    in_year = Meeting.held_on.between(START, DEMO_AS_OF)
    with db.transaction() as s:
        meetings = s.scalar(
            select(func.count()).select_from(Meeting).where(Meeting.forum_id == forum, in_year)
        )
        marks = s.scalars(
            select(Attendance.present)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Meeting.forum_id == forum, in_year)
        ).all()
        present, expected = sum(marks), len(marks)
        decisions = (
            s.execute(
                select(Decision.is_open)
                .join(Meeting, Meeting.id == Decision.meeting_id)
                .where(Meeting.forum_id == forum, in_year)
            )
            .scalars()
            .all()
        )
        tasks = s.execute(select(Task).where(Task.forum_id == forum)).scalars().all()
        checks = s.scalar(
            select(func.count())
            .select_from(MilestoneCheck)
            .where(MilestoneCheck.forum_id == forum, MilestoneCheck.checked_on >= START)
        )
        owners = set(s.scalars(select(Person.full_name)))
        jobs = s.scalar(
            select(func.count())
            .select_from(Outcome)
            .join(Participant, Participant.id == Outcome.participant_id)
            .join(Program, Program.id == Participant.program_id)
            .where(
                Program.locality_code == SEDEROT,
                Outcome.kind == "job",
                Outcome.reached_on.between(START, DEMO_AS_OF),
            )
        )
        started = s.scalar(
            select(func.count())
            .select_from(Match)
            .join(Participant, Participant.id == Match.mentee_id)
            .join(Program, Program.id == Participant.program_id)
            .where(Program.locality_code == SEDEROT, Match.started_on >= START)
        )
    assert meetings and len(summary.meetings) == meetings
    assert sum(m.present or 0 for m in summary.meetings) == present
    assert summary.attendance_rate == pytest.approx(present / expected)
    assert (summary.decisions_made, summary.decisions_closed) == (
        len(decisions),
        sum(not x for x in decisions),
    )
    assert len(summary.open_decisions) == sum(decisions)
    done = [x for x in tasks if x.completed_on and x.completed_on >= START]
    still_open = [x for x in tasks if x.status != "done"]
    late = [x for x in still_open if x.due_date and x.due_date < DEMO_AS_OF]
    assert (summary.tasks_done, summary.tasks_open, summary.tasks_overdue) == (
        len(done),
        len(still_open),
        len(late),
    )
    assert late and {x.title for x in summary.overdue} == {x.title for x in late}
    assert {x.owner for x in summary.overdue} <= owners
    assert len(summary.milestones) == checks
    assert [f.title for f in summary.focuses] and all(f.metrics for f in summary.focuses)
    metric = summary.focuses[0].metrics[0]
    assert metric.latest is not None and metric.target != metric.baseline
    statuses = {m["name_en"]: m["status"] for m in metric_statuses(db, actors["manager"], SEDEROT)}
    assert {m.name_en: m.status for f in summary.focuses for m in f.metrics} == statuses
    assert summary.mentoring is not None
    assert summary.mentoring.outcomes["job"] == (jobs if jobs and jobs >= 5 else None)
    assert summary.mentoring.matches_started == started


def test_the_publication_version_names_nobody_and_hides_small_counts(
    db: Database, actors: dict[str, Actor]
) -> None:
    internal = year_summary(db, actors["manager"], SEDEROT, YEAR, DEMO_AS_OF)
    public = year_summary(db, actors["manager"], SEDEROT, YEAR, DEMO_AS_OF, publication=True)
    with db.transaction() as s:
        names = set(s.scalars(select(Person.full_name)))
    assert internal.overdue and public.overdue == () and public.open_decisions == ()
    for lang in ("he", "en"):
        _, parts = year_report.sections(public, lang)
        text = "\n".join(line for _, lines in parts for line in lines)
        assert not [n for n in names if n in text]
        _, parts = year_report.sections(internal, lang)
        text = "\n".join(line for _, lines in parts for line in lines)
        assert [n for n in names if n in text]  # the internal one does name the owners
    shown = [c for m in public.meetings for c in (m.present, m.absent) if c is not None]
    assert all(c == 0 or c >= public.threshold for c in shown)
    assert any(m.present is None for m in public.meetings)  # the task teams' small meetings
    assert public.attendance_rate == internal.attendance_rate  # a rate over the year is kept
    assert (public.tasks_overdue, public.decisions_made) == (
        internal.tasks_overdue,
        internal.decisions_made,
    )


def test_a_member_gets_no_mentoring_section_and_nobody_reads_another_locality(
    db: Database, actors: dict[str, Actor]
) -> None:
    assert year_summary(db, actors["member"], SEDEROT, YEAR, DEMO_AS_OF).mentoring is None
    with pytest.raises(PermissionDenied):
        year_summary(db, actors["member"], NETIVOT, YEAR, DEMO_AS_OF)


@pytest.mark.parametrize("lang", ["he", "en"])
def test_both_documents_carry_the_summary(sqlite_db: Database, lang: str) -> None:
    from employdash.users import load_actor

    manager = load_actor(sqlite_db, "manager")
    assert manager is not None
    summary = year_summary(sqlite_db, manager, SEDEROT, YEAR, DEMO_AS_OF)
    title, parts = year_report.sections(summary, lang)
    pdf_text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(year_report.pdf(summary, lang))).pages
    )
    word = year_report.docx(summary, lang)
    from docx import Document

    paragraphs = Document(io.BytesIO(word)).paragraphs
    assert paragraphs[0].text == title
    assert [h for h, _ in parts][-1] in [p.text for p in paragraphs]
    assert str(summary.tasks_overdue) in pdf_text and str(YEAR) in pdf_text
    bidi = [
        p._p.pPr is not None
        and p._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi")
        is not None
        for p in paragraphs
    ]
    assert all(bidi) if lang == "he" else not any(bidi)
