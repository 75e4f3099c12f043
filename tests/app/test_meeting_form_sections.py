"""The meeting form's sections: a change in one section (a tick, a task row, the number's outline,
the team) redraws that section and writes the draft, and every other section keeps what was typed
in it. AppTest runs the whole page for every change; that a tick reruns its fragment alone is
checked in the browser (tests/e2e/test_meeting_form_sections.py)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from employdash.db import Database
from employdash.forum import meetings
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as

SEDEROT = 1031
DECISION = "Open a second employer round table"
GUEST = "Dana Levi, Sapir College"


def _form() -> AppTest:
    """The meeting form with a note typed in the notes section and a next date chosen."""
    at = app_as("manager", page="pages/meeting.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    at.text_area(key="meet_decisions").input(DECISION)
    at.text_area(key="meet_guests").input(GUEST).run()
    assert not at.exception, at.exception
    return at


def _count(at: AppTest) -> str:
    return next(str(c.value) for c in at.caption if " present · " in str(c.value))


def _ticks(at: AppTest) -> dict[str, bool]:
    return {str(c.key): c.value for c in at.checkbox if str(c.key).startswith("meet_att_")}


def _typed(at: AppTest) -> dict[str, str | None]:
    return {k: at.text_area(key=f"meet_{k}").value for k in ("guests", "decisions", "agenda")}


def test_a_tick_changes_the_count_and_keeps_the_other_sections(app_db: str) -> None:
    at = _form()
    typed, count = _typed(at), _count(at)
    tick = next(c for c in at.checkbox if str(c.key).startswith("meet_att_") and not c.value)
    tick.check().run()
    assert not at.exception, at.exception
    assert _count(at) != count and _count(at).startswith("1 of ")
    assert _typed(at) == typed
    db = Database(app_db)
    draft = meetings.load_draft(db, demo_actor(db, "manager"), SEDEROT)
    assert draft is not None
    assert draft["attendance"] == {str(tick.key).removeprefix("meet_att_"): True}
    assert draft["decisions"] == DECISION


def test_a_task_row_added_keeps_the_ticks_and_the_notes(app_db: str) -> None:
    at = _form()
    next(c for c in at.checkbox if str(c.key).startswith("meet_att_")).check().run()
    typed, ticks = _typed(at), _ticks(at)
    at.text_input(key="meet_quick_title_0").input("Call the college")
    next(b for b in at.button if b.label == "Add").click().run()
    assert not at.exception, at.exception
    assert list(at.dataframe(key="meet_tasks_editor").value["title"]) == ["Call the college"]
    assert at.text_input(key="meet_quick_title_1").value == ""
    assert (_typed(at), _ticks(at)) == (typed, ticks)
    db = Database(app_db)
    draft = meetings.load_draft(db, demo_actor(db, "manager"), SEDEROT)
    assert draft is not None and [t["title"] for t in draft["tasks"]] == ["Call the college"]


def test_a_refused_quick_row_keeps_its_title_field_and_the_table(app_db: str) -> None:
    at = _form()
    next(b for b in at.button if b.label == "Add").click().run()
    assert any(str(e.value) == "Task: Required" for e in at.error)
    assert at.text_input(key="meet_quick_title_0").value == ""  # the same row, not a new one
    assert len(at.dataframe(key="meet_tasks_editor").value) == 0
    assert _typed(at)["decisions"] == DECISION


def test_the_number_offers_its_outline_and_keeps_the_notes(app_db: str) -> None:
    at = _form()
    at.selectbox(key="meet_number").set_value(4).run()
    assert "Choosing strategic focuses" in str(at.text_area(key="meet_agenda").value)
    assert at.text_area(key="meet_decisions").value == DECISION
    assert at.text_area(key="meet_guests").value == GUEST


def test_another_team_asks_its_own_members_and_keeps_the_notes(app_db: str) -> None:
    at = _form()
    before = set(_ticks(at))
    team = at.selectbox(key="meet_team")
    other = next(o for o in team.options if o != team.format_func(team.value))
    team.select(other).run()
    assert not at.exception, at.exception
    assert set(_ticks(at)) != before
    assert at.text_area(key="meet_decisions").value == DECISION
