"""The forum tracker, tasks and meeting pages per role, in the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import ButtonGroup

from employdash import localities, users
from employdash.db import Database
from employdash.forum import meetings
from employdash.forum import tasks as task_service
from employdash.models.forum import Meeting, Task
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as, open_tab, production_install, reset_caches, texts

SEDEROT = 1031
ALL_TASKS = open_tab("tasks_tabs", "task.tab.all", "he")  # the tab with the table and its forms
SNAPSHOT = ("צילום מצב לרבעון", "Take the quarter's snapshot")


@pytest.mark.parametrize("user", ["admin", "mayor", "manager", "member", "programme"])
@pytest.mark.parametrize("lang", ["he", "en"])
def test_tracker_opens_for_every_role(app_db: str, user: str, lang: str) -> None:
    stages = open_tab("forum_tabs", "forum.tab.stages", lang)
    at = app_as(user, page="pages/forum.py", lang=lang, locality=SEDEROT, state=stages)
    assert not at.exception, at.exception
    shown = texts(at)
    assert ("שלב 3" if lang == "he" else "Stage 3") in shown
    # a health warning with its reason (the seeded employers' task team has gone quiet)
    assert ("לא נפגש" in shown) if lang == "he" else ("has not met for" in shown)
    editable = [c for c in at.checkbox if c.key and c.key.startswith("ms_")]
    assert bool(editable) == (user in ("admin", "manager"))
    for key, value in open_tab("forum_tabs", "forum.tab.quarterly", lang).items():
        at.session_state[key] = value  # what a click on the tab sends
    at.run()
    assert not at.exception, at.exception
    snapshot = [b for b in at.button if b.label in SNAPSHOT]
    assert bool(snapshot) == (user in ("admin", "manager"))


def _status_controls(at: AppTest) -> list[ButtonGroup[Any]]:
    return [c for c in at.button_group if c.key and c.key.startswith("task_status_")]


def test_member_lands_on_my_tasks_and_marks_one_done(app_db: str) -> None:
    at = app_as("member", lang="en")  # no page: the member's landing page
    assert not at.exception, at.exception
    assert at.expander[0].label.startswith("My tasks")
    control = _status_controls(at)[0]
    task_id = int(str(control.key).split("_")[2])
    control.set_value("done").run()  # the one click
    assert not at.exception, at.exception
    db = Database(app_db)
    row = task_service.get_task(db, demo_actor(db, "member"), task_id)
    assert (row["status"], row["progress"]) == ("done", 100)


def test_a_stale_save_is_refused_and_the_input_kept(app_db: str) -> None:
    at = app_as("member", lang="en")
    control = _status_controls(at)[0]
    task_id, version = int(str(control.key).split("_")[2]), int(str(control.key).split("_")[3])
    db = Database(app_db)
    task_service.update_task(db, demo_actor(db, "manager"), task_id, version, {"progress": 50})
    at.text_input(key=f"task_note_{task_id}").set_value("No hall yet")  # the reason blocked
    control.set_value("blocked").run()  # drawn from the old version
    assert not at.exception, at.exception
    assert "Someone else saved this record" in texts(at)
    reapply = next(b for b in at.button if b.label == "Apply my change again")
    reapply.click().run()
    row = task_service.get_task(db, demo_actor(db, "member"), task_id)
    assert (row["status"], row["progress"], row["version"]) == ("blocked", 50, version + 2)
    assert [n.body for n in task_service.notes(db, demo_actor(db, "member"), task_id)] == [
        "No hall yet"
    ]


def test_marking_blocked_without_a_reason_is_refused_on_the_card(app_db: str) -> None:
    at = app_as("member", lang="en")
    control = _status_controls(at)[0]
    task_id = int(str(control.key).split("_")[2])
    control.set_value("blocked").run()
    assert not at.exception, at.exception
    assert "Give a reason when marking a task blocked" in texts(at)
    db = Database(app_db)
    assert task_service.get_task(db, demo_actor(db, "member"), task_id)["status"] != "blocked"


def test_a_member_adds_a_note_to_a_task_and_an_empty_one_is_refused(app_db: str) -> None:
    at = app_as("member", lang="en")
    task_id = int(str(_status_controls(at)[0].key).split("_")[2])
    at.button(key=f"task_note_add_{task_id}").click().run()  # nothing typed
    assert not at.exception, at.exception
    db = Database(app_db)
    assert task_service.notes(db, demo_actor(db, "member"), task_id) == []
    assert at.error, "the refusal is shown on the card"
    at.text_input(key=f"task_note_{task_id}").set_value("Hall booked")
    at.button(key=f"task_note_add_{task_id}").click().run()
    assert not at.exception, at.exception
    assert [n.body for n in task_service.notes(db, demo_actor(db, "member"), task_id)] == [
        "Hall booked"
    ]
    assert at.text_input(key=f"task_note_{task_id}").value == ""
    assert not at.error


def test_member_cannot_edit_other_teams_tasks_nor_leadership_any(app_db: str) -> None:
    member = app_as("member", page="pages/tasks.py", lang="he", locality=SEDEROT, state=ALL_TASKS)
    db = Database(app_db)
    editable = {
        r["id"]
        for r in task_service.list_tasks(db, demo_actor(db, "member"), SEDEROT)
        if r["editable"]
    }
    shown = {int(str(c.key).split("_")[2]) for c in _status_controls(member)}
    assert shown and shown <= editable
    assert not [s for s in member.selectbox if s.key == "task_edit_pick"]
    mayor = app_as("mayor", page="pages/tasks.py", lang="he", locality=SEDEROT, state=ALL_TASKS)
    assert not mayor.exception, mayor.exception
    assert not _status_controls(mayor)
    assert not [s for s in mayor.selectbox if s.key == "task_edit_pick"]


@pytest.mark.parametrize("user", ["manager", "admin"])
def test_editor_records_a_meeting_with_the_outline_as_agenda(app_db: str, user: str) -> None:
    at = app_as(user, page="pages/meeting.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    at.selectbox(key="meet_number").set_value(4).run()
    agenda = at.text_area(key="meet_agenda").value
    assert agenda is not None and "Choosing strategic focuses" in agenda
    ticks = [c for c in at.checkbox if c.key is not None and c.key.startswith("meet_att_")]
    for c in ticks[:3]:
        c.check()
    at.text_area(key="meet_decisions").input("Open a second employer round table").run()
    # a task row without a title is refused on the spot (summary and field), the rest kept
    next(b for b in at.button if b.label == "Add").click().run()
    assert any(str(e.value).startswith("**The form was not saved") for e in at.error)
    assert any(str(e.value) == "Task: Required" for e in at.error)
    assert at.text_area(key="meet_decisions").value == "Open a second employer round table"
    at.text_input(key="meet_quick_title_0").input("Call the college")  # a form: sent on submit
    next(b for b in at.button if b.label == "Add").click().run()
    assert at.text_input(key="meet_quick_title_1").value == ""  # emptied for the next task
    db = Database(app_db)
    editor = demo_actor(db, user)
    draft = meetings.load_draft(db, editor, SEDEROT)  # kept on the server as it is typed
    assert draft is not None
    assert draft["tasks"][0]["title"] == "Call the college" and draft["number"] == 4
    with db.transaction() as s:
        before = s.scalars(select(func.count()).select_from(Meeting)).one()
    next(b for b in at.button if b.label == "Save the meeting record").click().run()
    assert not at.exception, at.exception
    assert "The meeting is saved" in texts(at)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Meeting)) == before + 1
        mid = s.scalar(select(func.max(Meeting.id)))
        assert s.scalars(select(Task.title).where(Task.meeting_id == mid)).all() == [
            "Call the college"
        ]
    assert meetings.load_draft(db, editor, SEDEROT) is None


def test_a_draft_comes_back_in_a_new_session(app_db: str) -> None:
    """A dropped connection means a new session: the server-side draft refills the form."""
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    meetings.save_draft(
        db,
        manager,
        SEDEROT,
        {
            "held_on": "2026-11-20",
            "number": 2,
            "issues": "half-way through the meeting",
            "decisions": "",
            "agenda": "",
            "guests": "",
            "attachments": "",
            "attendance": {},
            "tasks": [{"title": "Typed before the drop", "owner": "", "due": None}],
            "next": [],
        },
    )
    at = app_as("manager", page="pages/meeting.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    assert "An unsaved draft was restored" in texts(at)
    assert at.text_area(key="meet_issues").value == "half-way through the meeting"
    assert at.selectbox(key="meet_number").value == 2


def test_meeting_page_is_not_reachable_for_members_and_leadership(app_db: str) -> None:
    for user in ("member", "mayor"):
        at = app_as(user)
        with pytest.raises(Exception):  # noqa: B017 - not in this role's navigation
            at.switch_page("pages/meeting.py").run()


def test_opening_the_form_without_typing_leaves_no_draft(app_db: str) -> None:
    at = app_as("manager", page="pages/meeting.py", lang="he", locality=SEDEROT)
    assert not at.exception, at.exception
    assert "סוג המפגש" in texts(at)
    db = Database(app_db)
    assert meetings.load_draft(db, demo_actor(db, "manager"), SEDEROT) is None
    at.text_area(key="meet_issues").input("נפתח הדיון").run()
    draft = meetings.load_draft(db, demo_actor(db, "manager"), SEDEROT)
    assert draft is not None and draft["issues"] == "נפתח הדיון"


# --- an empty production database: every page says what to do next ----------------------------


@pytest.fixture
def empty_prod(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DEMO_MODE=false: reference data, an administrator, a mayor and a member (not linked)."""
    db = production_install(tmp_path, monkeypatch, "boss", "Strong-pass-2026")
    localities.enable(db, localities.COMMAND_LINE, [SEDEROT])
    boss = demo_actor(db, "boss")
    assert boss is not None
    for name, role in (("rina", "leadership"), ("avi", "member")):
        users.create_user(
            db, boss, users.UserForm(name, name.title(), role, (SEDEROT,), None, "Strong-pass-2026")
        )
    yield db.url
    reset_caches()


def test_an_empty_database_leads_the_admin_to_each_next_step(empty_prod: str) -> None:
    at = app_as("boss", page="pages/forum.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    assert "This locality has no employment forum yet. Set it up here" in texts(at)
    assert "Set up the forum" in [b.label for b in at.button]
    at = app_as("boss", page="pages/tasks.py", lang="en", locality=SEDEROT)
    assert "Set it up on the forum tracker page" in texts(at)
    at = app_as("boss", page="pages/meeting.py", lang="en", locality=SEDEROT)
    assert "Set it up on the forum tracker page" in texts(at)
    at = app_as("boss", page="pages/people.py", lang="en", locality=SEDEROT)
    assert "No people in this locality yet. Add the first person" in texts(at)
    assert "Add a person" in [b.label for b in at.button]
    at = app_as("boss", page="pages/briefing.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception


@pytest.mark.parametrize("lang", ["he", "en"])
def test_an_empty_database_tells_a_reader_whom_to_ask(empty_prod: str, lang: str) -> None:
    ask = {"he": "מנהל/ת הפורום ביישוב או מנהל/ת המערכת", "en": "forum manager or an administrator"}
    at = app_as("rina", page="pages/forum.py", lang=lang)
    assert not at.exception, at.exception
    assert ask[lang] in texts(at)
    assert not [b for b in at.button if b.label in ("Set up the forum", "הקמת הפורום")]
    at = app_as("rina", page="pages/tasks.py", lang=lang)
    assert not at.exception, at.exception
    assert ask[lang] in texts(at)
    # a member whose account is not linked yet is told to ask for the link
    at = app_as("avi", lang=lang)
    assert not at.exception, at.exception
    assert ("Ask t" if lang == "en" else "פנו למנהל/ת המערכת") in texts(at)


def test_a_refused_meeting_shows_the_part_to_fix_and_keeps_the_form(app_db: str) -> None:
    at = app_as("manager", page="pages/meeting.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    at.text_area(key="meet_decisions").input("Open a second employer round table")
    at.text_area(key="meet_guests").input(", Sapir College").run()  # a guest with no name
    next(b for b in at.button if b.label == "Save the meeting record").click().run()
    assert not at.exception, at.exception
    errors = [str(e.value) for e in at.error]
    summary = next(e for e in errors if e.startswith("**The form was not saved"))
    assert "- Guests" in summary, summary
    assert any(e.startswith("Guests") for e in errors if e != summary), errors
    assert at.text_area(key="meet_guests").value == ", Sapir College"
    assert at.text_area(key="meet_decisions").value == "Open a second employer round table"
    db = Database(app_db)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).where(Meeting.held_on.is_(None))) == 0
