"""The trash page (a manager restores what was deleted), a record's history panel in words, and
its documents list (download for readers, remove for managers) in the app."""

from __future__ import annotations

from sqlalchemy import select

from employdash import people
from employdash.db import Database
from employdash.forum import documents, tasks
from employdash.models.forum import Task
from employdash.models.record import Document
from tests.app.accounts import demo_actor
from tests.forum.helpers import SEDEROT
from tests.support.apptest import app_as, open_tab, texts

ALL_TASKS = open_tab("tasks_tabs", "task.tab.all", "en")  # the tab with the table and its forms
STAGES = open_tab("forum_tabs", "forum.tab.stages", "en")  # the stages and milestones

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def test_a_manager_restores_a_deleted_task_from_the_trash(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    task_id = tasks.create_task(db, manager, SEDEROT, {"title": "Book the hall"})
    tasks.delete_task(db, manager, task_id, 1, "Entered twice")
    at = app_as("manager", page="pages/trash.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Book the hall" in shown and "Reason: Entered twice" in shown
    assert "can be restored until" in shown
    next(b for b in at.button if b.key and str(b.key).startswith("trash_restore_")).click().run()
    assert not at.exception, at.exception
    assert "Task “Book the hall” was restored." in texts(at)
    assert "The trash is empty." in texts(at)
    with db.transaction() as s:
        assert s.scalar(select(Task.title).where(Task.id == task_id)) == "Book the hall"


def test_the_trash_page_in_hebrew_is_empty_at_first(app_db: str) -> None:
    at = app_as("manager", page="pages/trash.py", locality=SEDEROT)
    assert not at.exception, at.exception
    assert "סל המחזור ריק." in texts(at)


def test_a_member_reads_a_tasks_history_in_words_and_downloads_its_document(
    app_db: str,
) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    task_id = tasks.create_task(db, manager, SEDEROT, {"title": "Print the flyers"})
    tasks.update_task(db, manager, task_id, 1, {"status": "in_progress"})
    documents.upload_document(db, manager, SEDEROT, "task", task_id, "plan.pdf", PDF)
    at = app_as("member", page="pages/tasks.py", lang="en", locality=SEDEROT, state=ALL_TASKS)
    assert not at.exception, at.exception
    at.selectbox(key="record_task_en").set_value(task_id).run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Status: \u2068Not started\u2069 → \u2068In progress\u2069" in shown
    assert "in_progress" not in shown
    assert "plan.pdf\u2069 · PDF · 1 KB" in shown
    keys = [str(b.key) for b in at.button]
    assert not any(k.startswith(f"record_docs_task_{task_id}_del_") for k in keys)


def test_a_manager_removes_a_document(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    doc = documents.upload_document(
        db, manager, SEDEROT, "milestone", "mayor_on_board", "agreement.pdf", PDF
    )
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=STAGES)
    assert not at.exception, at.exception
    assert "agreement.pdf\u2069 · PDF · 1 KB" in texts(at)
    at.button(key=f"record_docs_milestone_mayor_on_board_del_{doc}").click().run()
    assert not at.exception, at.exception
    with db.transaction() as s:
        assert s.get(Document, doc) is None


def test_a_manager_deletes_a_person_entered_by_mistake_and_finds_them_in_the_trash(
    app_db: str,
) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    pid = people.create_person(db, manager, SEDEROT, people.PersonInput("Dana Twice"))
    at = app_as("manager", page="pages/people.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    at.selectbox(key="person_delete_pick").set_value(pid).run()
    at.text_input(key=f"person_delete_{pid}_1_reason").input("Entered twice")
    next(b for b in at.button if b.form_id == f"person_delete_{pid}_1").click().run()
    assert not at.exception, at.exception
    assert "Dana Twice was moved to the trash." in texts(at)
    at.switch_page("pages/trash.py").run()
    assert "Dana Twice" in texts(at)
