"""Nothing disappears: a deleted meeting or task waits in the trash with what hung on it, a
manager restores it within 90 days, every read leaves it out meanwhile, and the scheduled run
forgets it after that; the audit rows of the deletion stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from employdash import people
from employdash.access import Actor
from employdash.config import get_config
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, ValidationError
from employdash.forum import decisions, meeting_edits, meetings, tasks, trash
from employdash.forum import structure as forum_service
from employdash.mail.notify import notify
from employdash.models import AuditEntry, Person
from employdash.models.base import utcnow
from employdash.models.forum import (
    Attendance,
    Decision,
    MeetingGuest,
    Membership,
    Task,
    TaskNote,
)
from employdash.models.record import TrashItem
from tests.forum.helpers import SEDEROT, team_of_kind
from tests.forum.test_meetings import _input

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back


def _item(db: Database, entity: str, entity_id: int) -> int:
    with db.transaction() as s:
        found = s.scalar(
            select(TrashItem.id).where(TrashItem.entity == entity, TrashItem.entity_id == entity_id)
        )
    assert found is not None
    return int(found)


def _counts(db: Database, mid: int) -> tuple[int, int, int]:
    with db.transaction() as s:
        return (
            s.scalar(select(func.count()).where(Attendance.meeting_id == mid)) or 0,
            s.scalar(select(func.count()).where(Decision.meeting_id == mid)) or 0,
            s.scalar(select(func.count()).where(MeetingGuest.meeting_id == mid)) or 0,
        )


def test_a_deleted_meeting_leaves_every_read_and_comes_back_whole(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid = meetings.save_meeting(db, manager, _input(db, manager, actors["member"].person_id))
    held = _counts(db, mid)
    assert all(held)
    with db.transaction() as s:
        task_ids = sorted(s.scalars(select(Task.id).where(Task.meeting_id == mid)))
    _, version = meeting_edits.meeting_input(db, manager, mid)
    meeting_edits.delete_meeting(db, manager, SEDEROT, mid, version, "Entered twice")

    assert mid not in {m["id"] for m in meetings.list_meetings(db, manager, SEDEROT)}
    assert all(d.meeting_id != mid for d in decisions.list_decisions(db, manager, SEDEROT))
    with pytest.raises(NotFound):
        meetings.meeting_record(db, manager, mid)
    listed = trash.list_trash(db, manager, SEDEROT)
    assert next((r.entity, r.entity_id, r.reason) for r in listed) == (
        "meeting",
        mid,
        "Entered twice",
    )
    assert listed[0].restorable_until - listed[0].deleted_at == timedelta(days=90)

    assert trash.restore_from_trash(db, manager, SEDEROT, listed[0].id) == mid
    assert _counts(db, mid) == held
    assert meetings.meeting_record(db, manager, mid)["held_on"]
    with db.transaction() as s:
        assert sorted(s.scalars(select(Task.id).where(Task.meeting_id == mid))) == task_ids
        actions = list(
            s.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.entity == "meeting", AuditEntry.entity_id == str(mid))
                .order_by(AuditEntry.id)
            )
        )
    assert actions[-2:] == ["delete", "restore"]  # the deletion's audit row stays
    assert trash.list_trash(db, manager, SEDEROT) == listed[1:]


def test_a_deleted_task_comes_back_with_its_notes_and_its_decision(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid = meetings.save_meeting(db, manager, _input(db, manager, actors["member"].person_id))
    decision = next(
        d for d in decisions.list_decisions(db, manager, SEDEROT) if d.meeting_id == mid
    )
    task_id = decisions.decision_to_task(db, manager, SEDEROT, decision.id, decision.version, {})
    tasks.add_note(db, manager, task_id, "Asked the college")
    tasks.delete_task(db, manager, task_id, 1, "Wrong forum")
    with db.transaction() as s:
        assert s.get(Task, task_id) is None
        assert s.get_one(Decision, decision.id).task_id is None
    assert task_id not in {t["id"] for t in tasks.list_tasks(db, manager, SEDEROT)}

    trash.restore_from_trash(db, manager, SEDEROT, _item(db, "task", task_id))
    with db.transaction() as s:
        assert s.get_one(Task, task_id).title
        assert s.get_one(Decision, decision.id).task_id == task_id
        notes = list(s.scalars(select(TaskNote.body).where(TaskNote.task_id == task_id)))
    assert notes == ["Asked the college"]


def test_only_a_manager_of_the_locality_sees_and_restores_the_trash(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    task_id = tasks.create_task(db, manager, SEDEROT, {"title": "Entered by mistake"})
    tasks.delete_task(db, manager, task_id, 1, "typo")
    item = _item(db, "task", task_id)
    for role in ("member", "mayor"):
        with pytest.raises(PermissionDenied):
            trash.list_trash(db, actors[role], SEDEROT)
        with pytest.raises(PermissionDenied):
            trash.restore_from_trash(db, actors[role], SEDEROT, item)


def test_after_90_days_the_trash_forgets_and_the_audit_stays(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    old, recent = (
        tasks.create_task(db, manager, SEDEROT, {"title": title}) for title in ("Old", "Recent")
    )
    for task_id in (old, recent):
        tasks.delete_task(db, manager, task_id, 1, "typo")
    old_item, recent_item = _item(db, "task", old), _item(db, "task", recent)
    with db.transaction() as s:
        s.execute(
            update(TrashItem)
            .where(TrashItem.id == old_item)
            .values(deleted_at=utcnow() - timedelta(days=90, minutes=1))
        )
        s.execute(
            update(TrashItem)
            .where(TrashItem.id == recent_item)
            .values(deleted_at=utcnow() - timedelta(days=89, hours=23))
        )
    assert [r.id for r in trash.list_trash(db, manager, SEDEROT)][:1] == [recent_item]
    assert old_item not in {r.id for r in trash.list_trash(db, manager, SEDEROT)}
    with pytest.raises(NotFound):
        trash.restore_from_trash(db, manager, SEDEROT, old_item)

    report = notify(db, get_config())
    assert report.purged == 1
    with db.transaction() as s:
        assert s.get(TrashItem, old_item) is None and s.get(TrashItem, recent_item) is not None
        assert (
            s.scalar(
                select(func.count()).where(
                    AuditEntry.entity == "task",
                    AuditEntry.entity_id == str(old),
                    AuditEntry.action == "delete",
                )
            )
            == 1
        )


def test_a_task_whose_id_was_taken_meanwhile_comes_back_under_a_new_one(
    db: Database, actors: dict[str, Actor]
) -> None:
    """SQLite gives the highest ID again once its row is deleted: the restore must not fail or
    overwrite the task that took it."""
    manager = actors["manager"]
    gone = tasks.create_task(db, manager, SEDEROT, {"title": "Deleted"})
    tasks.add_note(db, manager, gone, "Its note")
    tasks.delete_task(db, manager, gone, 1, "typo")
    item = _item(db, "task", gone)
    newer = tasks.create_task(db, manager, SEDEROT, {"title": "Created after"})
    back = trash.restore_from_trash(db, manager, SEDEROT, item)
    with db.transaction() as s:
        assert s.get_one(Task, back).title == "Deleted"
        assert s.get_one(Task, newer).title == "Created after"
        assert list(s.scalars(select(TaskNote.body).where(TaskNote.task_id == back))) == [
            "Its note"
        ]


def test_a_deleted_person_leaves_the_register_and_comes_back_with_their_seats_and_tasks(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    pid = people.create_person(db, manager, SEDEROT, people.PersonInput("Dana Twice"))
    forum_service.add_member(db, manager, SEDEROT, team_of_kind(db), pid, None)
    task_id = tasks.create_task(
        db, manager, SEDEROT, {"title": "Call the college", "owner_person_id": pid}
    )
    people.delete_person(db, manager, pid, 1, "Entered twice")
    assert pid not in {p.id for p in people.search_people(db, manager, SEDEROT, "", True)}
    with db.transaction() as s:
        assert s.get_one(Task, task_id).owner_person_id is None
        assert s.scalar(select(func.count()).where(Membership.person_id == pid)) == 0

    trash.restore_from_trash(db, manager, SEDEROT, _item(db, "person", pid))
    assert pid in {p.id for p in people.search_people(db, manager, SEDEROT, "", True)}
    with db.transaction() as s:
        assert s.get_one(Task, task_id).owner_person_id == pid
        assert s.scalar(select(func.count()).where(Membership.person_id == pid)) == 1


def test_a_person_an_account_names_is_not_deleted(db: Database, actors: dict[str, Actor]) -> None:
    member = actors["member"]
    assert member.person_id is not None
    with db.transaction() as s:
        version = s.get_one(Person, member.person_id).version
    with pytest.raises(ValidationError) as refused:
        people.delete_person(db, actors["manager"], member.person_id, version, "Left")
    assert refused.value.fields == {"person": "record.people.in_use"}
