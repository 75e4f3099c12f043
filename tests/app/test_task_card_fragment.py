"""The member's task card is a fragment: a status or progress tap saves and redraws the card
from the stored task; a tap that moves the task between the open and the closed lists redraws
the page (the card is then listed under the tasks done)."""

from __future__ import annotations

from sqlalchemy import select

from employdash.db import Database
from employdash.models.forum import Task
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as


def _open_card(at, db: Database, person_id: int):  # type: ignore[no-untyped-def]
    """The button group of the member's first open task on the page, and that task."""
    with db.transaction() as s:
        open_ids = set(
            s.scalars(
                select(Task.id).where(
                    Task.owner_person_id == person_id,
                    Task.status.not_in(("done", "cancelled", "in_progress")),
                )
            )
        )
    for group in at.button_group:
        key = str(group.key)
        if key.startswith("task_status_") and int(key.split("_")[2]) in open_ids:
            with db.transaction() as s:
                return group, s.get_one(Task, int(key.split("_")[2]))
    raise AssertionError("no open task of the member on the page")


def test_a_status_tap_redraws_the_card_with_the_stored_task(app_db: str) -> None:
    db = Database(app_db)
    member = demo_actor(db, "member")
    assert member.person_id is not None
    at = app_as("member", lang="en")
    assert not at.exception, at.exception
    group, task = _open_card(at, db, member.person_id)
    others = {str(g.key): g.value for g in at.button_group if str(g.key) != str(group.key)}
    group.set_value("in_progress").run()
    assert not at.exception, at.exception
    with db.transaction() as s:
        stored = s.get_one(Task, task.id)
    assert (stored.status, stored.version) == ("in_progress", task.version + 1)
    redrawn = next(g for g in at.button_group if g.key == f"task_status_{task.id}_{stored.version}")
    assert redrawn.value == "in_progress"
    # Every other card's controls are as they were.
    assert {
        str(g.key): g.value
        for g in at.button_group
        if not str(g.key).startswith((f"task_status_{task.id}_", f"task_progress_{task.id}_"))
    } == {k: v for k, v in others.items() if not k.startswith(f"task_progress_{task.id}_")}


def test_a_done_tap_moves_the_card_to_the_tasks_done(app_db: str) -> None:
    db = Database(app_db)
    member = demo_actor(db, "member")
    assert member.person_id is not None
    at = app_as("member", lang="en")
    group, task = _open_card(at, db, member.person_id)
    done_before = [c.value for c in at.caption if str(c.value).startswith("Completed tasks")]
    group.set_value("done").run()
    assert not at.exception, at.exception
    assert "_task_card_moved" not in at.session_state  # the page was redrawn for it
    done_after = [c.value for c in at.caption if str(c.value).startswith("Completed tasks")]
    assert done_after != done_before
    redrawn = next(g for g in at.button_group if str(g.key).startswith(f"task_status_{task.id}_"))
    assert redrawn.value == "done"
