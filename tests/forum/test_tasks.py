"""Task edits: optimistic locking between two sessions, who may edit what, and the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied, StaleVersion, ValidationError
from employdash.forum import tasks
from employdash.models import AuditEntry
from employdash.models.forum import Forum, Task
from tests.forum.helpers import SEDEROT, foreign_task, member_task

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back


def test_second_of_two_concurrent_saves_is_refused_with_what_changed(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    task = member_task(db, member.person_id)
    first = tasks.get_task(db, manager, task.id)  # two sessions read the same version
    second = tasks.get_task(db, member, task.id)
    assert first["version"] == second["version"]

    new_version = tasks.update_task(
        db,
        manager,
        task.id,
        first["version"],
        {"status": "blocked", "progress": 30},
        note="Waiting for the hall",
        read={"status": first["status"], "progress": first["progress"]},
    )
    with pytest.raises(StaleVersion) as refused:
        tasks.update_task(
            db,
            member,
            task.id,
            second["version"],
            {"status": "done"},
            read={"status": second["status"]},
        )
    assert refused.value.current_version == new_version
    assert refused.value.changes == {"status": ("blocked", "done")}
    after = tasks.get_task(db, manager, task.id)
    assert (after["status"], after["progress"], after["version"]) == ("blocked", 30, new_version)

    # re-applied over the current version it goes through
    tasks.update_task(db, member, task.id, refused.value.current_version, {"status": "done"})
    done = tasks.get_task(db, member, task.id)
    assert (done["status"], done["progress"]) == ("done", 100)
    assert done["completed_on"] is not None


def test_every_change_is_audited(db: Database, actors: dict[str, Actor]) -> None:
    member = actors["member"]
    task = member_task(db, member.person_id)
    tasks.update_task(db, member, task.id, task.version, {"progress": 40})
    with db.transaction() as s:
        entry = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "task", AuditEntry.entity_id == str(task.id)
            )
        ).one()
    assert entry.username == "member"
    assert entry.locality_code == SEDEROT
    assert entry.before == {"progress": task.progress} and entry.after == {"progress": 40}


def test_member_edits_only_their_own_or_their_teams_tasks(
    db: Database, actors: dict[str, Actor]
) -> None:
    member = actors["member"]
    other = foreign_task(db, member.person_id)
    with pytest.raises(PermissionDenied):
        tasks.update_task(db, member, other.id, other.version, {"status": "done"})
    own = member_task(db, member.person_id)
    with pytest.raises(PermissionDenied):  # status and progress only
        tasks.update_task(db, member, own.id, own.version, {"title": "renamed"})
    listed = {r["id"]: r["editable"] for r in tasks.list_tasks(db, member, SEDEROT)}
    assert listed[own.id] is True and listed[other.id] is False


def test_leadership_cannot_edit_at_all(db: Database, actors: dict[str, Actor]) -> None:
    mayor = actors["mayor"]
    task = member_task(db, actors["member"].person_id)
    with pytest.raises(PermissionDenied):
        tasks.update_task(db, mayor, task.id, task.version, {"progress": 50})
    with pytest.raises(PermissionDenied):
        tasks.create_task(db, mayor, SEDEROT, {"title": "x"})
    assert not any(r["editable"] for r in tasks.list_tasks(db, mayor, SEDEROT))


def test_manager_outside_scope_is_refused(db: Database, actors: dict[str, Actor]) -> None:
    with pytest.raises(PermissionDenied):
        tasks.list_tasks(db, actors["manager"], 2800)  # Kiryat Shmona: not the manager's


def test_invalid_values_are_refused(db: Database, actors: dict[str, Actor]) -> None:
    task = member_task(db, actors["member"].person_id)
    with pytest.raises(ValidationError) as bad:
        tasks.update_task(
            db, actors["manager"], task.id, task.version, {"progress": 140, "status": "finished"}
        )
    assert set(bad.value.fields) == {"progress", "status"}


def test_my_tasks_are_the_persons_and_their_teams(db: Database, actors: dict[str, Actor]) -> None:
    member = actors["member"]
    mine = tasks.my_tasks(db, member)
    assert mine and all(r["editable"] for r in mine)
    open_rows = [r for r in mine if r["status"] != "done"]
    own_first = [r["owner_person_id"] == member.person_id for r in open_rows]
    assert any(own_first) and own_first == sorted(own_first, reverse=True)
    assert all(r["status"] == "done" for r in mine[len(open_rows) :])


def test_the_notes_of_many_tasks_are_each_tasks_notes(
    db: Database, actors: dict[str, Actor]
) -> None:
    member = actors["member"]
    own = member_task(db, member.person_id)
    tasks.add_note(db, member, own.id, "Called the employer")
    tasks.add_note(db, member, own.id, "Meeting set for Sunday")
    mine = [r["id"] for r in tasks.my_tasks(db, member)]
    found = tasks.notes_of(db, member, mine)
    assert found == {task_id: tasks.notes(db, member, task_id) for task_id in mine}
    assert [n.body for n in found[own.id]][-2:] == ["Called the employer", "Meeting set for Sunday"]
    assert any(not listed for listed in found.values())  # a task with no notes is there, empty


def test_the_notes_of_tasks_outside_the_readers_scope_are_left_out(
    db: Database, actors: dict[str, Actor]
) -> None:
    member = actors["member"]
    assert member.localities is not None
    elsewhere = select(Forum.id).where(Forum.locality_code.not_in(sorted(member.localities)))
    with db.transaction() as s:
        outside = s.scalar(select(func.min(Task.id)).where(Task.forum_id.in_(elsewhere)))
    assert outside is not None
    tasks.add_note(db, actors["admin"], outside, "Not for Sederot's eyes")
    own = member_task(db, member.person_id)
    assert tasks.notes_of(db, member, [outside, own.id]).keys() == {own.id}
