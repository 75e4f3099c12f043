"""The chain and the stages through the pages: a meeting's correction fixes a closed decision's
wording without reopening it and moves a task to another team and focus, a decision becomes a
task with its team and focus, a task gets a focus, an optional milestone is marked not applicable
with a reason, and a manual metric's value is corrected (real app, real SQLite)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from streamlit.testing.v1 import AppTest

from employdash.db import Database
from employdash.forum import decisions
from employdash.forum import structure as forum_service
from employdash.models.forum import Decision, Meeting, MilestoneCheck, StrategicFocus, Task, Team
from tests.app.accounts import demo_actor
from tests.app.widgets import chosen_id
from tests.support.apptest import app_as, open_tab, texts

SEDEROT = 1031
DECISIONS = open_tab("forum_tabs", "forum.tab.decisions", "en")  # the decisions
MEETINGS = open_tab("forum_tabs", "forum.tab.meetings", "en")  # the meetings and their minutes
STAGES = open_tab("forum_tabs", "forum.tab.stages", "en")  # the stages and milestones


def _submit(at: AppTest, form: str, label: str) -> None:
    button = next(b for b in at.button if b.label == label and b.form_id.startswith(form))
    button.click().run()
    assert not at.exception, at.exception


def _of_forum(db: Database, model: type[Team] | type[StrategicFocus]) -> list[int]:
    forum_id = forum_service.forum_id_of(db, demo_actor(db, "admin"), SEDEROT)
    with db.transaction() as s:
        return list(
            s.scalars(select(model.id).where(model.forum_id == forum_id).order_by(model.id))
        )


def test_a_correction_keeps_a_closed_decision_closed_and_moves_a_task(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=MEETINGS)
    mid = chosen_id(at.selectbox(key="forum_meeting_pick"))
    with db.transaction() as s:
        decision = s.scalars(
            select(Decision).where(Decision.meeting_id == mid).order_by(Decision.id)
        ).first()
        task = s.scalars(select(Task).where(Task.meeting_id == mid).order_by(Task.id)).first()
    assert decision is not None and task is not None, "the latest meeting decided nothing"
    if decision.is_open:
        decisions.close_decision(
            db, manager, SEDEROT, decision.id, decision.version, date.today(), "Done"
        )
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=MEETINGS)
    with db.transaction() as s:
        version = s.scalars(select(Meeting.version).where(Meeting.id == mid)).one()
    form = f"meeting_fix_{mid}_{version}"
    at.text_input(key=f"{form}_decision_{decision.id}").set_value(decision.text + " (fixed)")
    key = f"meeting_fix_task_{mid}_{task.id}_{task.version}"
    team = next(t for t in _of_forum(db, Team) if t != task.team_id)
    focus = next(f for f in _of_forum(db, StrategicFocus) if f != task.focus_id)
    at.selectbox(key=f"{key}_team").set_value(team)
    at.selectbox(key=f"{key}_focus").set_value(focus)
    _submit(at, form, "Save")
    assert "The meeting was corrected" in texts(at)
    with db.transaction() as s:
        fixed = s.get_one(Decision, decision.id)
        assert (fixed.text, fixed.is_open) == (decision.text + " (fixed)", False)
        moved = s.get_one(Task, task.id)
        assert (moved.team_id, moved.focus_id) == (team, focus)


def test_a_decision_becomes_a_task_with_a_team_and_a_focus(app_db: str) -> None:
    db = Database(app_db)
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=DECISIONS)
    picked = chosen_id(at.selectbox(key="decision_task_pick"))
    team, focus = _of_forum(db, Team)[0], _of_forum(db, StrategicFocus)[0]
    form = next(b.form_id for b in at.button if b.label == "Turn into a task")
    boxes = [b for b in at.selectbox if b.form_id == form]
    next(b for b in boxes if b.label == "Team").set_value(team)
    next(b for b in boxes if b.label == "Focus").set_value(focus)
    _submit(at, form, "Turn into a task")
    with db.transaction() as s:
        task_id = s.get_one(Decision, picked).task_id
        assert task_id is not None
        made = s.get_one(Task, task_id)
        assert (made.team_id, made.focus_id) == (team, focus)


def test_an_optional_milestone_is_marked_not_applicable_with_a_reason(app_db: str) -> None:
    db = Database(app_db)
    forum_id = forum_service.forum_id_of(db, demo_actor(db, "admin"), SEDEROT)
    with db.transaction() as s:
        s.execute(
            delete(MilestoneCheck).where(
                MilestoneCheck.forum_id == forum_id,
                MilestoneCheck.milestone_key == "public_participation",
            )
        )
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=STAGES)
    form = "ms_na_public_participation"
    _submit(at, form, "Mark not applicable")
    errors = [str(e.value) for e in at.error]
    assert any(e.startswith("**The form was not saved") and "- Reason: " in e for e in errors)
    field = next(t for t in at.text_input if t.form_id == form)
    field.set_value("Residents were surveyed instead")
    _submit(at, form, "Mark not applicable")
    view = forum_service.overview(db, demo_actor(db, "manager"), SEDEROT)
    assert view is not None
    assert view.not_applicable == {"public_participation": "Residents were surveyed instead"}
    assert any("not applicable: Residents were surveyed instead" in c.label for c in at.checkbox)


def test_a_manual_metrics_value_is_listed_and_corrected(app_db: str) -> None:
    from employdash.forum import focuses

    db = Database(app_db)
    manager = demo_actor(db, "manager")
    focus = _of_forum(db, StrategicFocus)[0]
    metric = focuses.add_manual_metric(
        db, manager, SEDEROT, focus, "Employers met", "#", "up", 2.0, date(2026, 1, 1), 20.0,
        date(2027, 12, 31),
    )  # fmt: skip
    month = date(2026, 3, 1)
    focuses.enter_value(db, manager, SEDEROT, metric, month, 7.0, None)
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    at.selectbox(key="metric_values_pick").set_value(metric).run()
    assert not at.exception, at.exception
    form = f"metric_value_fix_{metric}"
    next(n for n in at.number_input if n.form_id == form).set_value(8.0)
    _submit(at, form, "Save")
    [row] = focuses.metric_values(db, manager, SEDEROT, metric)
    assert (row.period, row.value, row.version) == (month, 8.0, 2)


def test_a_logged_session_is_corrected_then_removed(app_db: str) -> None:
    from employdash.mentoring import matches

    db = Database(app_db)
    manager = demo_actor(db, "manager")
    running = next(m for m in matches.matches(db, manager, SEDEROT) if m.status == "active")
    session = matches.log_session(db, manager, running.id, date.today(), 30, "First talk")
    matches_tab = open_tab("ment_tabs", "ment.tab.matches", "en")
    at = app_as("manager", "pages/mentoring.py", lang="en", locality=SEDEROT, state=matches_tab)
    at.selectbox(key="ment_ses_show").set_value(running.id).run()
    at.selectbox(key="ment_ses_fix_pick").set_value(session).run()
    form = f"ment_ses_fix_{session}_1"
    next(n for n in at.number_input if n.form_id == form).set_value(90)
    _submit(at, form, "Save")
    assert "The session was updated" in texts(at)
    fixed = next(s for s in matches.sessions(db, manager, running.id) if s.id == session)
    assert (fixed.minutes, fixed.note, fixed.version) == (90, "First talk", 2)
    at.selectbox(key="ment_ses_show").set_value(running.id).run()
    at.selectbox(key="ment_ses_fix_pick").set_value(session).run()
    form = f"ment_ses_fix_{session}_2"
    next(c for c in at.checkbox if c.form_id == form).check()
    next(
        t for t in at.text_input if t.form_id == form and t.label == "Reason for removing it"
    ).input("Logged for the wrong match")
    _submit(at, form, "Save")
    assert session not in [s.id for s in matches.sessions(db, manager, running.id)]
