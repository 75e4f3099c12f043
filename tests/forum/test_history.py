"""History for the people who use the record: who changed what and when, in words (field names
and values from the catalogue, people by name, dates day first), for everyone who reads the forum;
the administrator's audit page shows the same words."""

from __future__ import annotations

from datetime import date

import pytest

from employdash.access import Actor
from employdash.audit import AuditFilter
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.forum import focuses, tasks
from employdash.forum import structure as forum_service
from employdash.forum.history import record_history
from employdash.history import Change, audit_in_words
from tests.forum.helpers import SEDEROT

pytestmark = pytest.mark.rolled_back

NETIVOT = 246


def test_a_tasks_history_reads_in_words_for_everyone_who_reads_the_forum(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    task_id = tasks.create_task(db, manager, SEDEROT, {"title": "Book the hall"})
    tasks.update_task(
        db,
        manager,
        task_id,
        1,
        {
            "status": "in_progress",
            "owner_person_id": member.person_id,
            "due_date": date(2027, 1, 7),
        },
    )
    tasks.add_note(db, manager, task_id, "Asked the college")
    for reader in (member, actors["mayor"], manager):
        latest, *_ = record_history(db, reader, SEDEROT, "task", task_id, "en")
    changed = record_history(db, member, SEDEROT, "task", task_id, "en")[1]
    assert changed.who == "מנהל לשכת התעסוקה" and changed.action == "Updated"
    assert changed.entity == "Task"
    assert Change("Status", "Not started", "In progress") in changed.changes
    assert Change("Due date", "—", "07/01/2027") in changed.changes
    owner = next(c for c in changed.changes if c.field == "Owner")
    assert owner.before == "—" and owner.after and not owner.after.isdigit()
    assert latest.entity == "Note on a task"
    assert Change("Text", "—", "Asked the college") in latest.changes
    hebrew = record_history(db, member, SEDEROT, "task", task_id, "he")[1]
    assert Change("סטטוס", "טרם התחילה", "בביצוע") in hebrew.changes
    text = " ".join(
        f"{c.field} {c.before} {c.after}" for line in (changed, hebrew) for c in line.changes
    )
    assert "in_progress" not in text and "{" not in text and "owner_person_id" not in text
    with pytest.raises(PermissionDenied):
        record_history(db, member, NETIVOT, "task", task_id, "en")


def test_a_metrics_values_are_in_its_history_and_the_audit_page_says_the_same(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    fid = forum_service.create_focus(db, manager, SEDEROT, "Youth employment")
    metric = focuses.add_manual_metric(
        db, manager, SEDEROT, fid, "Placed", "#", "up", 1.0, date(2026, 1, 1), 9.0, date(2027, 1, 1)
    )
    focuses.enter_value(db, manager, SEDEROT, metric, date(2026, 3, 1), 4.0, None)
    value, created = record_history(db, actors["member"], SEDEROT, "metric", metric, "en")[:2]
    assert value.entity == "Metric value" and Change("Value", "—", "4") in value.changes
    assert Change("Period", "—", "01/03/2026") in value.changes
    assert created.action == "Created" and Change("Desired direction", "—", "Up") in created.changes
    focus = record_history(db, actors["mayor"], SEDEROT, "focus", fid, "en")
    assert [line.action for line in focus] == ["Created"]
    on_the_page = audit_in_words(db, actors["admin"], AuditFilter(entity="success_metric"), "en")
    assert created in on_the_page
