"""The forum's record kept right: meetings corrected or deleted, a form saved twice lands once,
decisions closed or turned into tasks, tasks cancelled, deleted and annotated, memberships ended.

Every write: the role and the locality first, foreign IDs refused, the version checked, audited.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.commands import execute
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from employdash.forum import briefing as forum_briefing
from employdash.forum import decisions, meeting_edits, meetings, membership, minutes, tasks
from employdash.forum import structure as forum_service
from employdash.models import AuditEntry, Person
from employdash.models.forum import (
    Attendance,
    Decision,
    Forum,
    Meeting,
    StrategicFocus,
    Task,
    TaskNote,
    Team,
)
from tests.forum.helpers import SEDEROT
from tests.forum.test_meetings import HELD, _input
from tests.support.present import present

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

NETIVOT = 246


def _audits(db: Database, entity: str, entity_id: object) -> list[AuditEntry]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
                .order_by(AuditEntry.id)
            )
        )


def _person_of(db: Database, code: int) -> int:
    with db.transaction() as s:
        person = s.scalar(select(Person.id).where(Person.locality_code == code).order_by(Person.id))
    assert person is not None
    return person


def _saved(db: Database, actors: dict[str, Actor]) -> tuple[int, meetings.MeetingInput]:
    data = _input(db, actors["manager"], actors["member"].person_id)
    return meetings.save_meeting(db, actors["manager"], data), data


def test_a_second_save_of_the_same_form_returns_the_first_meeting(
    db: Database, actors: dict[str, Actor]
) -> None:
    data = _input(db, actors["manager"], actors["member"].person_id)
    data.form_token = "form-123"
    first = meetings.save_meeting(db, actors["manager"], data)
    second = meetings.save_meeting(db, actors["manager"], data)
    assert first == second
    with db.transaction() as s:
        assert s.scalar(select(func.count()).where(Meeting.form_token == "form-123")) == 1
        assert s.scalar(select(func.count()).where(Task.meeting_id == first)) == 2


def test_more_than_three_next_dates_are_refused(db: Database, actors: dict[str, Actor]) -> None:
    data = _input(db, actors["manager"], actors["member"].person_id)
    data.next_dates = [HELD + timedelta(days=d) for d in (7, 14, 21, 28)]
    with pytest.raises(ValidationError) as refused:
        meetings.save_meeting(db, actors["manager"], data)
    assert "next_dates" in refused.value.fields


def test_a_person_of_another_locality_is_refused_in_attendance(
    db: Database, actors: dict[str, Actor]
) -> None:
    data = _input(db, actors["manager"], actors["member"].person_id)
    data.attendance[_person_of(db, NETIVOT)] = True  # in the manager's scope, not this forum's
    with pytest.raises(NotFound):  # refused like a missing one
        meetings.save_meeting(db, actors["manager"], data)


def test_correcting_attendance_and_date_follows_into_the_minutes_and_the_audit(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid, _ = _saved(db, actors)
    data, version = meeting_edits.meeting_input(db, manager, mid)
    absent = next(p for p, present in data.attendance.items() if not present)
    data.attendance[absent] = True
    data.held_on = HELD - timedelta(days=1)
    data.decisions = [data.decisions[0], "Open a youth desk"]
    new_version = meeting_edits.correct_meeting(db, manager, mid, version, data)
    assert new_version == version + 1

    record = meetings.meeting_record(db, manager, mid)
    assert record["held_on"] == HELD - timedelta(days=1)
    assert record["decisions"] == [data.decisions[0], "Open a youth desk"]
    assert len(record["absent"]) == sum(1 for v in data.attendance.values() if not v)
    assert b"%PDF" in minutes.pdf(record, "en")[:8]

    entry = _audits(db, "meeting", mid)[-1]
    assert entry.action == "update"
    assert present(entry.before)["attendance"][str(absent)] is False
    assert present(entry.after)["attendance"][str(absent)] is True

    with pytest.raises(StaleVersion):  # a second tab still holding the old version
        meeting_edits.correct_meeting(db, manager, mid, version, data)


def test_a_stale_correction_names_what_the_other_person_changed(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid, _ = _saved(db, actors)
    opened, version = meeting_edits.meeting_input(db, manager, mid)
    theirs = replace(opened, issues="Their issues")
    meeting_edits.correct_meeting(db, manager, mid, version, theirs, opened=opened)
    mine = replace(opened, held_on=HELD - timedelta(days=2))
    with pytest.raises(StaleVersion) as refused:
        meeting_edits.correct_meeting(db, manager, mid, version, mine, opened=opened)
    assert refused.value.changes == {"issues": ("Their issues", opened.issues)}
    assert refused.value.current_version == version + 1

    opened, version = meeting_edits.meeting_input(db, manager, mid)
    read = meeting_edits.meeting_tasks(db, manager, mid)
    task = read[0]
    tasks.update_task(db, manager, task.task_id, task.version, {"title": "Renamed on the board"})
    edit = replace(task, due_date=HELD + timedelta(days=60))
    with pytest.raises(StaleVersion) as refused:
        execute(
            db, manager, meeting_edits.CorrectMeeting.of(mid, version, opened, [edit], opened, read)
        )
    assert refused.value.changes == {"title": ("Renamed on the board", task.title)}


def test_correction_keeps_a_closed_decision_closed(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    mid, _ = _saved(db, actors)
    row = next(d for d in decisions.list_decisions(db, manager, SEDEROT) if d.meeting_id == mid)
    decisions.close_decision(db, manager, SEDEROT, row.id, row.version, date.today(), "Done")
    data, version = meeting_edits.meeting_input(db, manager, mid)
    data.issues = "Corrected issues"
    meeting_edits.correct_meeting(db, manager, mid, version, data)
    with db.transaction() as s:
        kept = s.get(Decision, row.id)
        assert kept is not None and kept.is_open is False and kept.outcome == "Done"


def test_correcting_the_tasks_a_meeting_created(db: Database, actors: dict[str, Actor]) -> None:
    """The correction edits the meeting's own tasks (title, owner, due date) or cancels
    one; each task's version is checked and each change audited as a task update."""
    manager = actors["manager"]
    mid, _ = _saved(db, actors)
    data, version = meeting_edits.meeting_input(db, manager, mid)
    first, second = meeting_edits.meeting_tasks(db, manager, mid)
    owner = _person_of(db, SEDEROT)
    first.title, first.owner_person_id = "Book the big hall", owner
    first.due_date = HELD + timedelta(days=30)
    second.cancel = True
    meeting_edits.correct_meeting(db, manager, mid, version, data, task_edits=[first, second])
    with db.transaction() as s:
        fixed, cancelled = s.get_one(Task, first.task_id), s.get_one(Task, second.task_id)
        assert (fixed.title, fixed.owner_person_id) == ("Book the big hall", owner)
        assert fixed.due_date == HELD + timedelta(days=30)
        assert fixed.version == first.version + 1
        assert cancelled.status == "cancelled"
    entry = _audits(db, "task", first.task_id)[-1]
    assert entry.action == "update" and present(entry.after)["title"] == "Book the big hall"
    assert entry.locality_code == SEDEROT
    assert present(_audits(db, "meeting", mid)[-1].after)["tasks_corrected"] == [
        first.task_id,
        second.task_id,
    ]


def test_a_task_correction_checks_version_ownership_and_locality(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid, _ = _saved(db, actors)
    data, version = meeting_edits.meeting_input(db, manager, mid)
    task = meeting_edits.meeting_tasks(db, manager, mid)[0]
    # the task changed on the task page since the form was opened: the whole correction refused
    tasks.update_task(db, manager, task.task_id, task.version, {"progress": 50})
    task.title = "Renamed in a stale form"
    with pytest.raises(StaleVersion):
        meeting_edits.correct_meeting(db, manager, mid, version, data, task_edits=[task])
    task = meeting_edits.meeting_tasks(db, manager, mid)[0]
    # an owner of the manager's other locality is refused
    task.owner_person_id = _person_of(db, NETIVOT)
    with pytest.raises(NotFound):
        meeting_edits.correct_meeting(db, manager, mid, version, data, task_edits=[task])
    # a task this meeting did not create is not this form's to correct
    with db.transaction() as s:
        other = s.scalars(
            select(Task).where(Task.meeting_id.is_not(None), Task.meeting_id != mid)
        ).first()
    assert other is not None
    foreign = meeting_edits.TaskCorrection(other.id, other.version, "Hijacked")
    with pytest.raises(NotFound):
        meeting_edits.correct_meeting(db, manager, mid, version, data, task_edits=[foreign])
    task = meeting_edits.meeting_tasks(db, manager, mid)[0]
    task.title = "  "
    with pytest.raises(ValidationError):
        meeting_edits.correct_meeting(db, manager, mid, version, data, task_edits=[task])
    with db.transaction() as s:  # nothing of the refused corrections was kept
        assert s.scalar(select(Meeting.version).where(Meeting.id == mid)) == version
        assert s.get_one(Task, task.task_id).title != "Hijacked"


def test_deleting_a_meeting_needs_a_reason_keeps_its_tasks_and_is_audited(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid, _ = _saved(db, actors)
    with db.transaction() as s:
        task_ids = list(s.scalars(select(Task.id).where(Task.meeting_id == mid)))
        version = s.scalar(select(Meeting.version).where(Meeting.id == mid))
    assert version is not None
    with pytest.raises(ValidationError):
        meeting_edits.delete_meeting(db, manager, SEDEROT, mid, version, "  ")
    with pytest.raises(StaleVersion):
        meeting_edits.delete_meeting(db, manager, SEDEROT, mid, version + 5, "Twice entered")
    meeting_edits.delete_meeting(db, manager, SEDEROT, mid, version, "Twice entered")
    with db.transaction() as s:
        assert s.get(Meeting, mid) is None
        assert s.scalar(select(func.count()).where(Attendance.meeting_id == mid)) == 0
        assert s.scalar(select(func.count()).where(Decision.meeting_id == mid)) == 0
        kept = list(s.scalars(select(Task).where(Task.id.in_(task_ids))))
        assert len(kept) == 2 and all(t.meeting_id is None for t in kept)
    entry = _audits(db, "meeting", mid)[-1]
    assert entry.action == "delete" and entry.after == {"reason": "Twice entered"}
    assert present(entry.before)["decisions"]


def test_meeting_edits_are_refused_to_members_and_outside_the_locality(
    db: Database, actors: dict[str, Actor]
) -> None:
    mid, _ = _saved(db, actors)
    data, version = meeting_edits.meeting_input(db, actors["manager"], mid)
    with pytest.raises(PermissionDenied):
        meeting_edits.correct_meeting(db, actors["member"], mid, version, data)
    with pytest.raises(PermissionDenied):
        meeting_edits.delete_meeting(db, actors["mayor"], SEDEROT, mid, version, "no")
    with pytest.raises(NotFound):  # the manager's other locality: not this meeting's
        meeting_edits.delete_meeting(db, actors["manager"], NETIVOT, mid, version, "wrong forum")


def test_closing_a_decision_takes_it_off_the_open_lists(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid, _ = _saved(db, actors)
    mine = [d for d in decisions.list_decisions(db, manager, SEDEROT) if d.meeting_id == mid]
    first, second = mine
    with pytest.raises(ValidationError):
        decisions.close_decision(db, manager, SEDEROT, first.id, first.version, date.today(), "")
    decisions.close_decision(
        db, manager, SEDEROT, first.id, first.version, date.today(), "Team started"
    )
    with pytest.raises(ValidationError):  # already closed, which says more than "stale"
        decisions.close_decision(
            db, manager, SEDEROT, first.id, first.version, date.today(), "Again"
        )
    task_id = decisions.decision_to_task(
        db,
        manager,
        SEDEROT,
        second.id,
        second.version,
        {"owner_person_id": actors["member"].person_id, "due_date": date.today()},
    )
    open_ids = {d.id for d in decisions.list_decisions(db, manager, SEDEROT, open_only=True)}
    assert first.id not in open_ids and second.id not in open_ids
    brief = present(forum_briefing.briefing_status(db, actors["mayor"], SEDEROT, as_of=HELD))
    assert first.text not in brief.open_decisions and second.text not in brief.open_decisions
    assert tasks.get_task(db, manager, task_id)["title"] == second.text
    assert present(_audits(db, "decision", first.id)[-1].after)["outcome"] == "Team started"
    with pytest.raises(NotFound):  # another locality's person may not own the task
        third = _saved(db, actors)[0]
        row = next(
            d for d in decisions.list_decisions(db, manager, SEDEROT) if d.meeting_id == third
        )
        decisions.decision_to_task(
            db, manager, SEDEROT, row.id, row.version, {"owner_person_id": _person_of(db, NETIVOT)}
        )
    with pytest.raises(PermissionDenied):
        decisions.close_decision(db, actors["member"], SEDEROT, row.id, row.version, HELD, "x")


def test_a_closed_decision_is_neither_closed_again_nor_turned_into_a_task(
    db: Database, actors: dict[str, Actor]
) -> None:
    """Closing again would overwrite what came of it, and a task from it would erase that."""
    manager = actors["manager"]
    mid, _ = _saved(db, actors)
    first = next(d for d in decisions.list_decisions(db, manager, SEDEROT) if d.meeting_id == mid)
    version = decisions.close_decision(
        db, manager, SEDEROT, first.id, first.version, date.today(), "Team started"
    )
    with pytest.raises(ValidationError) as again:
        decisions.close_decision(db, manager, SEDEROT, first.id, version, date.today(), "Other")
    assert again.value.fields == {"decision": "validation.already_closed"}
    with pytest.raises(ValidationError):
        decisions.decision_to_task(db, manager, SEDEROT, first.id, version, {})
    with db.transaction() as s:
        closed = s.get_one(Decision, first.id)
        assert (closed.outcome, closed.task_id, closed.version) == ("Team started", None, version)


def test_a_task_from_a_decision_takes_a_team_and_a_focus_of_this_forum_only(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid, _ = _saved(db, actors)
    row = next(d for d in decisions.list_decisions(db, manager, SEDEROT) if d.meeting_id == mid)

    def first_of(model: type[Team] | type[StrategicFocus], code: int) -> int | None:
        with db.transaction() as s:
            return s.scalars(
                select(model.id)
                .join(Forum, Forum.id == model.forum_id)
                .where(Forum.locality_code == code)
                .order_by(model.id)
            ).first()

    team, focus = first_of(Team, SEDEROT), first_of(StrategicFocus, SEDEROT)
    other_team = first_of(Team, NETIVOT)
    assert team and focus
    assert other_team is not None
    with pytest.raises(NotFound):  # the manager's other locality: not this forum's team
        decisions.decision_to_task(
            db, manager, SEDEROT, row.id, row.version, {"team_id": other_team}
        )
    task_id = decisions.decision_to_task(
        db, manager, SEDEROT, row.id, row.version, {"team_id": team, "focus_id": focus}
    )
    with db.transaction() as s:
        task = s.get_one(Task, task_id)
        assert (task.team_id, task.focus_id, task.title) == (team, focus, row.text)


def test_a_meetings_tasks_take_a_team_and_a_focus_of_this_forum_only(
    db: Database, actors: dict[str, Actor]
) -> None:
    """Saving a meeting or correcting one: a task's team or focus of the manager's other
    locality is refused like a missing one, and nothing is written."""
    manager = actors["manager"]
    mid, _ = _saved(db, actors)
    with db.transaction() as s:
        elsewhere = {
            key: s.scalars(
                select(model.id)
                .join(Forum, Forum.id == model.forum_id)
                .where(Forum.locality_code == NETIVOT)
            ).first()
            for key, model in (("team_id", Team), ("focus_id", StrategicFocus))
        }
        tasks_before = s.scalar(select(func.count()).select_from(Task))
    assert all(elsewhere.values()), "the demo data has no team or focus in Netivot"
    for key, foreign in elsewhere.items():
        data = _input(db, manager, actors["member"].person_id)
        data.tasks[0][key] = foreign
        with pytest.raises(NotFound):
            meetings.save_meeting(db, manager, data)
        fixed, version = meeting_edits.meeting_input(db, manager, mid)
        fixed.tasks = [{"title": "Added in the correction", key: foreign}]
        with pytest.raises(NotFound):
            meeting_edits.correct_meeting(db, manager, mid, version, fixed)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Task)) == tasks_before


def test_a_cancelled_task_stays_in_history_and_leaves_the_counts(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    before = present(forum_briefing.briefing_status(db, manager, SEDEROT))
    task = next(r for r in tasks.my_tasks(db, member) if r["status"] != "done")
    with pytest.raises(PermissionDenied):
        tasks.cancel_task(db, member, task["id"], task["version"], "not needed")
    with pytest.raises(ValidationError):
        tasks.cancel_task(db, manager, task["id"], task["version"], "")
    tasks.cancel_task(db, manager, task["id"], task["version"], "Not needed any more")
    after = present(forum_briefing.briefing_status(db, manager, SEDEROT))
    assert after.tasks_total == before.tasks_total - 1
    row = tasks.get_task(db, manager, task["id"])
    assert row["status"] == "cancelled" and row["timing"] == ""
    assert [n.body for n in tasks.notes(db, manager, task["id"])] == ["Not needed any more"]
    with pytest.raises(ValidationError):  # a cancelled task is closed for updates
        tasks.update_task(db, member, task["id"], row["version"], {"status": "done"})
    assert _audits(db, "task", task["id"])[-1].action == "cancel"


def test_a_task_deleted_by_a_manager_is_gone_with_its_reason_audited(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    task_id = tasks.create_task(db, manager, SEDEROT, {"title": "Entered by mistake"})
    with pytest.raises(StaleVersion):
        tasks.delete_task(db, manager, task_id, 7, "typo")
    tasks.delete_task(db, manager, task_id, 1, "typo")
    with db.transaction() as s:
        assert s.get(Task, task_id) is None
    entry = _audits(db, "task", task_id)[-1]
    assert entry.action == "delete" and present(entry.before)["title"] == "Entered by mistake"


def test_members_add_notes_and_give_a_reason_when_blocked(
    db: Database, actors: dict[str, Actor]
) -> None:
    member = actors["member"]
    task = next(r for r in tasks.my_tasks(db, member) if r["status"] not in ("done", "blocked"))
    with pytest.raises(ValidationError) as refused:
        tasks.update_task(db, member, task["id"], task["version"], {"status": "blocked"})
    assert refused.value.fields == {"note": "task.blocked_reason"}
    tasks.update_task(
        db, member, task["id"], task["version"], {"status": "blocked"}, note="No hall yet"
    )
    tasks.add_note(db, member, task["id"], "Asked the college")
    assert [n.body for n in tasks.notes(db, member, task["id"])] == [
        "No hall yet",
        "Asked the college",
    ]
    with db.transaction() as s:
        foreign = s.scalar(
            select(Task.id)
            .where(Task.owner_person_id != member.person_id, Task.team_id.is_(None))
            .order_by(Task.id)
        )
        assert present(s.scalar(select(func.count()).select_from(TaskNote))) >= 2
    if foreign is not None:
        with pytest.raises((PermissionDenied, NotFound)):
            tasks.add_note(db, member, foreign, "not mine")
    with pytest.raises(PermissionDenied):
        tasks.add_note(db, actors["mayor"], task["id"], "leadership never writes")


def test_an_ended_membership_keeps_history_and_leaves_expected_attendance(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    mid, data = _saved(db, actors)
    row = next(
        r for r in forum_service.members(db, manager, SEDEROT) if r["team_id"] == data.team_id
    )
    ended = date.today() - timedelta(days=1)
    with pytest.raises(PermissionDenied):
        membership.end_membership(
            db, actors["member"], SEDEROT, row["membership_id"], row["membership_version"], ended
        )
    with pytest.raises(NotFound):
        membership.end_membership(
            db, manager, NETIVOT, row["membership_id"], row["membership_version"], ended
        )
    membership.end_membership(
        db, manager, SEDEROT, row["membership_id"], row["membership_version"], ended
    )
    with pytest.raises(StaleVersion):
        membership.end_membership(
            db, manager, SEDEROT, row["membership_id"], row["membership_version"], ended
        )
    current = forum_service.members(db, manager, SEDEROT)
    assert (row["person_id"], data.team_id) not in {(r["person_id"], r["team_id"]) for r in current}
    past = forum_service.members(db, manager, SEDEROT, as_of=ended - timedelta(days=1))
    assert (row["person_id"], data.team_id) in {(r["person_id"], r["team_id"]) for r in past}
    with db.transaction() as s:  # the saved meeting's attendance is untouched
        assert s.get(Attendance, (mid, row["person_id"])) is not None
    assert _audits(db, "membership", row["membership_id"])[-1].after == {
        "ended_on": ended.isoformat()
    }
    forum_service.add_member(db, manager, SEDEROT, data.team_id, row["person_id"], "member")
    again = forum_service.members(db, manager, SEDEROT)
    assert (row["person_id"], data.team_id) in {(r["person_id"], r["team_id"]) for r in again}


def test_a_members_role_and_team_change_in_the_fixed_vocabulary(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A member's role or team changes; the role is one of the fixed forum roles, the team one of
    this locality's; version checked and audited."""
    manager = actors["manager"]
    rows = forum_service.members(db, manager, SEDEROT)
    row = rows[0]
    mid, version = row["membership_id"], row["membership_version"]
    with pytest.raises(ValidationError):
        membership.update_membership(db, manager, SEDEROT, mid, version, {"role": "observer"})
    with db.transaction() as s:
        foreign = s.scalar(
            select(Team.id)
            .join(Forum, Forum.id == Team.forum_id)
            .where(Forum.locality_code == NETIVOT)
        )
    with pytest.raises(NotFound):
        membership.update_membership(db, manager, SEDEROT, mid, version, {"team_id": foreign})
    new_role = "chair" if row["role"] != "chair" else "member"
    membership.update_membership(db, manager, SEDEROT, mid, version, {"role": new_role})
    with pytest.raises(StaleVersion):
        membership.update_membership(db, manager, SEDEROT, mid, version, {"role": "member"})
    entry = _audits(db, "membership", mid)[-1]
    assert entry.after == {"role": new_role} and entry.locality_code == SEDEROT
