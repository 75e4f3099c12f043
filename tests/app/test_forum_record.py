"""Keeping the forum's record right through the pages: a meeting corrected and deleted, a decision
closed, a membership ended, a task cancelled (real app, real SQLite)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from employdash.db import Database
from employdash.forum import decisions
from employdash.forum import structure as forum_service
from employdash.forum import tasks as task_service
from employdash.models import AuditEntry
from employdash.models.forum import Attendance, Meeting
from employdash.users import load_actor
from tests.support.apptest import app_as, texts

SEDEROT = 1031


def _submit(at: AppTest, form: str, label: str) -> None:
    button = next(b for b in at.button if b.label == label and b.form_id.startswith(form))
    button.click().run()
    assert not at.exception, at.exception


def _picked_meeting(at: AppTest) -> int:
    return int(at.selectbox(key="forum_meeting_pick").value)


def test_manager_corrects_a_meetings_attendance(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    mid = _picked_meeting(at)
    db = Database(app_db)
    with db.transaction() as s:
        version = s.scalar(select(Meeting.version).where(Meeting.id == mid))
        rows = s.execute(
            select(Attendance.person_id, Attendance.present).where(Attendance.meeting_id == mid)
        ).all()
    absent = next(p for p, present in rows if not present)
    present = next(m for m in at.multiselect if m.label == "Present")
    present.select(absent)  # form values travel with the submit
    _submit(at, f"meeting_fix_{mid}_{version}", "Save")
    assert "The meeting was corrected" in texts(at)
    with db.transaction() as s:
        assert s.get(Attendance, (mid, absent)).present is True
        assert s.scalar(select(Meeting.version).where(Meeting.id == mid)) == version + 1


def test_manager_deletes_a_meeting_with_a_reason(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="he", locality=SEDEROT)
    mid = _picked_meeting(at)
    db = Database(app_db)
    with db.transaction() as s:
        version = s.scalar(select(Meeting.version).where(Meeting.id == mid))
    form = f"meeting_delete_{mid}_{version}"
    next(t for t in at.text_input if t.label == "סיבת המחיקה").set_value("נרשם פעמיים")
    _submit(at, form, "מחיקת המפגש")
    with db.transaction() as s:
        assert s.get(Meeting, mid) is None
        assert (
            s.scalar(
                select(func.count()).where(
                    AuditEntry.entity == "meeting", AuditEntry.action == "delete"
                )
            )
            == 1
        )


def test_readers_see_the_minutes_on_screen_but_no_correction(app_db: str) -> None:
    at = app_as("mayor", page="pages/forum.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    labels = [e.label for e in at.expander]
    assert "Read the minutes" in labels
    assert "Correct the meeting" not in labels and "Delete the meeting" not in labels


def test_manager_closes_a_decision_with_an_outcome(app_db: str) -> None:
    db = Database(app_db)
    manager = load_actor(db, "manager")
    before = decisions.list_decisions(db, manager, SEDEROT, open_only=True)
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    assert f"Open decisions ({len(before)})" in texts(at)
    picked = int(next(s for s in at.selectbox if s.label == "Decision").value)
    next(t for t in at.text_area if t.label == "Outcome").set_value("The youth team met")
    _submit(at, "decision_close", "Close the decision")
    after = decisions.list_decisions(db, manager, SEDEROT, open_only=True)
    assert picked not in {d.id for d in after} and len(after) == len(before) - 1


def test_manager_ends_a_membership(app_db: str) -> None:
    db = Database(app_db)
    manager = load_actor(db, "manager")
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    picked = int(next(s for s in at.selectbox if s.label == "Team member").value)
    _submit(at, "member_end", "End a team membership")
    assert "Membership ended" in texts(at)
    ids = {r["membership_id"] for r in forum_service.members(db, manager, SEDEROT, date.today())}
    assert picked not in ids


def test_manager_cancels_a_task_with_a_reason(app_db: str) -> None:
    at = app_as("manager", page="pages/tasks.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    task_id = int(at.selectbox(key="task_edit_pick").value)
    db = Database(app_db)
    version = task_service.get_task(db, load_actor(db, "manager"), task_id)["version"]
    next(t for t in at.text_input if t.label == "Reason").set_value("No longer needed")
    _submit(at, f"task_manage_{task_id}_{version}", "Cancel the task (kept in history)")
    row = task_service.get_task(db, load_actor(db, "manager"), task_id)
    assert row["status"] == "cancelled", texts(at)
