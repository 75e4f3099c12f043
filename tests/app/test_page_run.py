"""A page run draws what is on screen: a tabbed page runs only its open tab's content."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from employdash.db import Database
from employdash.forum import tasks as task_service
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as, open_tab

SEDEROT = 1031
ALL_TASKS = open_tab("tasks_tabs", "task.tab.all", "en")  # the tab with the table and its forms


def _has_edit_form(at: AppTest) -> bool:
    return any(s.key == "task_edit_pick" for s in at.selectbox)


def test_the_tasks_page_runs_only_its_open_tab(app_db: str) -> None:
    at = app_as("manager", page="pages/tasks.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    board = [e.label for e in at.expander]
    assert board and not _has_edit_form(at)  # the board (the first tab), not the table's forms
    at.session_state["tasks_tabs_en"] = "All tasks"  # what a click on the tab sends
    at.run()
    assert not at.exception, at.exception
    assert _has_edit_form(at)
    assert [e.label for e in at.expander] != board


def test_a_tab_chosen_before_the_page_opens_is_the_one_drawn(app_db: str) -> None:
    at = app_as("manager", page="pages/tasks.py", lang="en", locality=SEDEROT, state=ALL_TASKS)
    assert not at.exception, at.exception
    assert _has_edit_form(at)


def test_each_card_shows_its_own_notes_and_one_added_on_it(app_db: str) -> None:
    """The member's cards read their notes in one query; a card's own rerun reads them again."""
    db = Database(app_db)
    member = demo_actor(db, "member")
    first, second = [r["id"] for r in task_service.my_tasks(db, member) if r["editable"]][:2]
    task_service.add_note(db, member, first, "Called the employer")
    at = app_as("member", lang="en")
    assert not at.exception, at.exception
    assert [t.value for t in at.text].count("Called the employer") == 1
    at.text_input(key=f"task_note_{second}").set_value("Meeting set for Sunday")
    at.button(key=f"task_note_add_{second}").click().run()
    assert not at.exception, at.exception
    shown = [t.value for t in at.text]
    assert shown.count("Called the employer") == 1 and shown.count("Meeting set for Sunday") == 1


def test_the_forum_page_runs_only_its_open_tab(app_db: str) -> None:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    keys = {w.key for w in at.selectbox}
    assert "forum_meeting_pick" not in keys  # the meetings tab is hidden: its picker never ran
    assert len(at.tabs) == 10  # every section is still a tab to open
    at.session_state["forum_tabs_en"] = "Meetings and minutes"  # what a click on the tab sends
    at.run()
    assert not at.exception, at.exception
    assert "forum_meeting_pick" in {w.key for w in at.selectbox}


def test_a_forum_tab_chosen_before_the_page_opens_is_the_one_drawn(app_db: str) -> None:
    meetings_tab = open_tab("forum_tabs", "forum.tab.meetings", "en")
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=meetings_tab)
    assert not at.exception, at.exception
    assert "forum_meeting_pick" in {w.key for w in at.selectbox}


def test_the_mentoring_page_runs_only_its_open_tab(app_db: str) -> None:
    at = app_as("manager", page="pages/mentoring.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    assert len(at.tabs) == 10  # every section is still a tab to open
    assert at.get("vega_lite_chart")  # the funnel (the first tab) with its charts
    assert "ment_ses_match" not in {w.key for w in at.selectbox}  # the matches tab never ran
    at.session_state["ment_tabs_en"] = "Matches and sessions"  # what a click on the tab sends
    at.run()
    assert not at.exception, at.exception
    assert "ment_ses_match" in {w.key for w in at.selectbox}
    assert not at.get("vega_lite_chart")  # the funnel tab is hidden now: its charts never ran
