"""A reminder's link (`/tasks?task=<id>`) opens the tasks page with that task's card first."""

from __future__ import annotations

from sqlalchemy import select

from employdash.db import Database
from employdash.models.forum import Forum, Task
from tests.app.accounts import demo_actor
from tests.forum.helpers import SEDEROT, member_task
from tests.support.apptest import app_as, texts


def test_the_linked_task_is_the_first_card_and_can_be_updated_there(app_db: str) -> None:
    db = Database(app_db)
    member = demo_actor(db, "member")
    task = member_task(db, member.person_id)
    at = app_as("member", lang="en", query={"task": str(task.id)})
    assert not at.exception, at.exception
    assert at.subheader[0].value == "The task from your reminder"
    first = next(c for c in at.button_group if str(c.key).startswith("task_status_"))
    assert str(first.key).startswith(f"task_status_{task.id}_")  # its card comes first
    keys = [str(c.key) for c in at.button_group if str(c.key).startswith("task_status_")]
    assert len(keys) == len(set(keys))  # drawn once, not again under "my tasks"
    first.set_value("done" if task.status != "done" else "in_progress").run()
    assert not at.exception, at.exception
    with db.transaction() as s:
        assert s.scalar(select(Task.version).where(Task.id == task.id)) == task.version + 1


def test_a_task_outside_the_readers_localities_reads_as_not_found(app_db: str) -> None:
    db = Database(app_db)
    with db.transaction() as s:
        elsewhere = s.scalar(
            select(Task.id)
            .join(Forum, Forum.id == Task.forum_id)
            .where(Forum.locality_code != SEDEROT)
        )
    assert elsewhere is not None
    for task_id in (str(elsewhere), "999999"):
        at = app_as("member", lang="en", query={"task": task_id})
        assert not at.exception, at.exception
        shown = texts(at)
        assert "The linked task was not found" in shown
        assert "The task from your reminder" not in shown
    at = app_as("member", lang="en", query={"task": "x1"})  # not an id: the page as usual
    assert not at.exception and "The linked task" not in texts(at)
