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
from employdash.models.forum import Attendance, Meeting, Task
from tests.app.accounts import demo_actor
from tests.app.widgets import chosen_id
from tests.support.apptest import app_as, open_tab, texts

SEDEROT = 1031
DECISIONS = open_tab("forum_tabs", "forum.tab.decisions", "en")  # the decisions
DECISIONS_HE = open_tab("forum_tabs", "forum.tab.decisions", "he")  # the decisions
MEETINGS = open_tab("forum_tabs", "forum.tab.meetings", "en")  # the meetings and their minutes
MEETINGS_HE = open_tab("forum_tabs", "forum.tab.meetings", "he")  # the meetings and their minutes
SET_UP = open_tab("forum_tabs", "forum.tab.setup", "en")  # the forum's set-up
STRUCTURE = open_tab("forum_tabs", "forum.tab.structure", "en")  # the teams and members
ALL_TASKS = open_tab("tasks_tabs", "task.tab.all", "en")  # the tab with the table and its forms


def _submit(at: AppTest, form: str, label: str) -> None:
    button = next(b for b in at.button if b.label == label and b.form_id.startswith(form))
    button.click().run()
    assert not at.exception, at.exception


def _picked_meeting(at: AppTest) -> int:
    return chosen_id(at.selectbox(key="forum_meeting_pick"))


def test_manager_corrects_a_meetings_attendance(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=MEETINGS)
    assert not at.exception, at.exception
    mid = _picked_meeting(at)
    db = Database(app_db)
    with db.transaction() as s:
        version = s.scalars(select(Meeting.version).where(Meeting.id == mid)).one()
        rows = s.execute(
            select(Attendance.person_id, Attendance.present).where(Attendance.meeting_id == mid)
        ).all()
    absent = next(p for p, present in rows if not present)
    present = next(m for m in at.multiselect if m.label == "Present")
    present.select(absent)  # form values travel with the submit
    _submit(at, f"meeting_fix_{mid}_{version}", "Save")
    assert "The meeting was corrected" in texts(at)
    with db.transaction() as s:
        assert s.get_one(Attendance, (mid, absent)).present is True
        assert s.scalar(select(Meeting.version).where(Meeting.id == mid)) == version + 1


def test_manager_deletes_a_meeting_with_a_reason(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="he", locality=SEDEROT, state=MEETINGS_HE)
    mid = _picked_meeting(at)
    db = Database(app_db)
    with db.transaction() as s:
        version = s.scalars(select(Meeting.version).where(Meeting.id == mid)).one()
    form = f"meeting_delete_{mid}_{version}"
    next(t for t in at.text_input if t.label == "סיבת המחיקה *").set_value("נרשם פעמיים")
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
    at = app_as("mayor", page="pages/forum.py", lang="en", locality=SEDEROT, state=MEETINGS)
    assert not at.exception, at.exception
    labels = [e.label for e in at.expander]
    assert "Read the minutes" in labels
    assert "Correct the meeting" not in labels and "Delete the meeting" not in labels


def test_manager_closes_a_decision_with_an_outcome(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    before = decisions.list_decisions(db, manager, SEDEROT, open_only=True)
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=DECISIONS)
    assert f"Open decisions ({len(before)})" in texts(at)
    # A picker draws its label as plain text: the required mark comes escaped.
    picked = chosen_id(next(s for s in at.selectbox if s.label == "Decision \\*"))
    next(t for t in at.text_area if t.label == "Outcome *").set_value("The youth team met")
    _submit(at, "decision_close", "Close the decision")
    assert "Saved" in texts(at)
    after = decisions.list_decisions(db, manager, SEDEROT, open_only=True)
    assert picked not in {d.id for d in after} and len(after) == len(before) - 1


def test_manager_ends_a_membership(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=STRUCTURE)
    picked = chosen_id(next(s for s in at.selectbox if s.label == "Team member \\*"))
    _submit(at, "member_end", "End a team membership")
    assert "Membership ended" in texts(at)
    ids = {r["membership_id"] for r in forum_service.members(db, manager, SEDEROT, date.today())}
    assert picked not in ids


def test_manager_cancels_a_task_with_a_reason(app_db: str) -> None:
    at = app_as("manager", page="pages/tasks.py", lang="en", locality=SEDEROT, state=ALL_TASKS)
    assert not at.exception, at.exception
    task_id = chosen_id(at.selectbox(key="task_edit_pick"))
    db = Database(app_db)
    version = task_service.get_task(db, demo_actor(db, "manager"), task_id)["version"]
    next(t for t in at.text_input if t.label == "Reason *").set_value("No longer needed")
    _submit(at, f"task_manage_{task_id}_{version}", "Cancel the task (kept in history)")
    row = task_service.get_task(db, demo_actor(db, "manager"), task_id)
    assert row["status"] == "cancelled", texts(at)


# --- correcting the tasks a meeting created ---------------------------------------------------


def test_manager_corrects_a_task_the_meeting_created(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=MEETINGS)
    mid = _picked_meeting(at)
    db = Database(app_db)
    with db.transaction() as s:
        version = s.scalars(select(Meeting.version).where(Meeting.id == mid)).one()
        task = s.scalars(select(Task).where(Task.meeting_id == mid).order_by(Task.id)).first()
    assert task is not None, "the seeded meeting created tasks"
    key = f"meeting_fix_task_{mid}_{task.id}_{task.version}"
    at.text_input(key=f"{key}_title").set_value("Book the big hall")
    _submit(at, f"meeting_fix_{mid}_{version}", "Save")
    assert "The meeting was corrected" in texts(at)
    with db.transaction() as s:
        fixed = s.get_one(Task, task.id)
        assert (fixed.title, fixed.version) == ("Book the big hall", task.version + 1)


# --- form feedback: a refused save is summarised on top, shown at the field, nothing lost ---------


def _refused(at: AppTest, field: str) -> None:
    errors = [str(e.value) for e in at.error]
    summaries = [i for i, e in enumerate(errors) if e.startswith("**The form was not saved")]
    assert len(summaries) == 1, errors  # (other errors on the page are the health warnings)
    first = summaries[0]
    assert f"- {field}: " in errors[first]
    assert any(e.startswith(f"{field}: ") for e in errors[first + 1 :]), errors


def test_a_team_without_a_name_is_refused_at_the_field(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=SET_UP)
    # the name is left empty
    _submit(at, "team_new", "Add the team")
    _refused(at, "Team name")


def test_a_focus_without_a_title_keeps_its_description(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    description = next(t for t in at.text_area if t.form_id == "focus_new")
    description.set_value("Young people into first jobs")
    _submit(at, "focus_new", "Save")
    _refused(at, "Focus title")
    assert next(t for t in at.text_area if t.form_id == "focus_new").value == (
        "Young people into first jobs"
    )


def test_a_manual_metric_without_a_name_keeps_its_unit(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    unit = next(t for t in at.text_input if t.form_id == "metric_manual" and t.label == "Unit")
    unit.set_value("people")
    _submit(at, "metric_manual", "Save")
    _refused(at, "Metric name")
    unit = next(t for t in at.text_input if t.form_id == "metric_manual" and t.label == "Unit")
    assert unit.value == "people"


def test_closing_a_decision_without_an_outcome_is_refused_at_the_field(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="he", locality=SEDEROT, state=DECISIONS_HE)
    _submit(at, "decision_close", "סגירת החלטה")
    errors = [str(e.value) for e in at.error]
    assert any(e.startswith("**הטופס לא נשמר") for e in errors), errors


def test_deleting_a_meeting_without_a_reason_is_refused_at_the_field(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=MEETINGS)
    mid = _picked_meeting(at)
    db = Database(app_db)
    with db.transaction() as s:
        version = s.scalars(select(Meeting.version).where(Meeting.id == mid)).one()
    _submit(at, f"meeting_delete_{mid}_{version}", "Delete the meeting")
    _refused(at, "Reason for deleting")
    with db.transaction() as s:
        assert s.get(Meeting, mid) is not None


def test_a_meeting_correction_with_an_empty_task_title_keeps_the_rest(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=MEETINGS)
    mid = _picked_meeting(at)
    db = Database(app_db)
    with db.transaction() as s:
        version = s.scalars(select(Meeting.version).where(Meeting.id == mid)).one()
        task = s.scalars(select(Task).where(Task.meeting_id == mid).order_by(Task.id)).first()
    assert task is not None
    form = f"meeting_fix_{mid}_{version}"
    at.text_input(key=f"meeting_fix_task_{mid}_{task.id}_{task.version}_title").set_value(" ")
    issues = next(t for t in at.text_area if t.form_id == form and t.label == "Issues discussed")
    issues.set_value("Typed before the refusal")
    _submit(at, form, "Save")
    _refused(at, "Tasks decided in the meeting")
    issues = next(t for t in at.text_area if t.form_id == form and t.label == "Issues discussed")
    assert issues.value == "Typed before the refusal"
    with db.transaction() as s:
        assert s.scalar(select(Meeting.version).where(Meeting.id == mid)) == version


def test_a_new_task_without_a_title_is_refused_and_a_cancel_needs_a_reason(app_db: str) -> None:
    at = app_as("manager", page="pages/tasks.py", lang="en", locality=SEDEROT, state=ALL_TASKS)
    _submit(at, "task_new", "New task")
    _refused(at, "Task")
    at = app_as("manager", page="pages/tasks.py", lang="en", locality=SEDEROT, state=ALL_TASKS)
    task_id = chosen_id(at.selectbox(key="task_edit_pick"))
    db = Database(app_db)
    version = task_service.get_task(db, demo_actor(db, "manager"), task_id)["version"]
    _submit(at, f"task_manage_{task_id}_{version}", "Cancel the task (kept in history)")
    _refused(at, "Reason")


def test_a_new_task_of_a_team_takes_the_teams_focus_when_none_is_picked(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    view = forum_service.overview(db, manager, SEDEROT)
    assert view is not None
    team = next(t for t in view.teams if t["focus_id"] is not None)
    at = app_as("manager", page="pages/tasks.py", lang="en", locality=SEDEROT, state=ALL_TASKS)
    title = next(t for t in at.text_input if t.form_id.startswith("task_new"))
    title.set_value("Book the hall")
    _owner, team_pick, focus = [s for s in at.selectbox if s.form_id.startswith("task_new")]
    team_pick.set_value(team["id"])
    assert focus.value is None
    _submit(at, "task_new", "New task")
    with db.transaction() as s:
        stored = s.scalars(select(Task).where(Task.title == "Book the hall")).one()
        assert (stored.team_id, stored.focus_id) == (team["id"], team["focus_id"])


def test_the_mayors_approval_in_the_future_is_refused_at_the_date(app_db: str) -> None:
    at = app_as("mayor", page="pages/briefing.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    on = next(d for d in at.date_input if d.form_id.startswith("plan_approve"))
    on.set_value(date.today().replace(year=date.today().year + 1))
    note = next(t for t in at.text_area if t.form_id.startswith("plan_approve"))
    note.set_value("Approved at the council")
    _submit(at, "plan_approve", "Approve the plan")
    _refused(at, "Approved on")
    note = next(t for t in at.text_area if t.form_id.startswith("plan_approve"))
    assert note.value == "Approved at the council"


def test_manager_changes_a_members_role(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=STRUCTURE)
    picked = chosen_id(at.selectbox(key="member_change_pick"))
    row = next(
        r for r in forum_service.members(db, manager, SEDEROT) if r["membership_id"] == picked
    )
    form = f"member_change_{picked}_{row['membership_version']}"
    new_role = "chair" if row["role"] != "chair" else "member"
    next(
        s for s in at.selectbox if s.form_id == form and s.label == "Role in the forum \\*"
    ).set_value(new_role)
    _submit(at, form, "Save")
    assert "Saved" in texts(at)
    after = next(
        r for r in forum_service.members(db, manager, SEDEROT) if r["membership_id"] == picked
    )
    assert after["role"] == new_role
