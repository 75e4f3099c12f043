"""The forum's cached read models: a write through the command pipeline shows on the next read
(no stale page), and an entry serves only its own actor and locality."""

from __future__ import annotations

import pytest

from components.briefing.data import cached_setup
from components.common.commands import perform
from components.forum import data
from employdash import users
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.forum import planning
from employdash.forum import tasks as task_service
from employdash.forum.structure import AddMember
from employdash.forum.tasks import AddNote, UpdateTask
from employdash.i18n import t
from employdash.localities import in_scope
from tests.app.accounts import demo_actor
from tests.foundation.command_samples import planning as planning_samples
from tests.support.apptest import app_as

SEDEROT = 1031
OFAQIM = 31  # the demo has no manager account there yet
PASSWORD = "a-long-enough-password"


def test_a_task_saved_through_the_pipeline_shows_on_the_next_read(app_db: str) -> None:
    db = Database(app_db)
    member = demo_actor(db, "member")
    task = next(r for r in data.my_tasks(db, member) if r["editable"] and r["progress"] != 75)
    assert data.task_notes(db, member, (task["id"],)).get(task["id"], []) == []
    # A write outside the pipeline is not seen: the read is cached (for CACHE_TTL_SECONDS).
    task_service.add_note(db, member, task["id"], "Outside the pipeline")
    assert data.task_notes(db, member, (task["id"],)).get(task["id"], []) == []
    values = {"progress": 75}
    perform(db, member, UpdateTask.of(task["id"], task["version"], values, {"progress": 0}))
    again = next(r for r in data.my_tasks(db, member) if r["id"] == task["id"])
    assert (again["progress"], again["version"]) == (75, task["version"] + 1)
    listed = next(r for r in data.list_tasks(db, member, SEDEROT) if r["id"] == task["id"])
    assert listed["progress"] == 75
    perform(db, member, AddNote.of(task["id"], "Through the pipeline"))
    bodies = [n.body for n in data.task_notes(db, member, (task["id"],))[task["id"]]]
    assert bodies == ["Outside the pipeline", "Through the pipeline"]


def test_an_entry_serves_only_its_own_actor_and_locality(app_db: str) -> None:
    db = Database(app_db)
    member, manager, admin = (demo_actor(db, u) for u in ("member", "manager", "admin"))
    # The member's editable flags are their own, not the manager's cached answer.
    by_manager = {r["id"]: r["editable"] for r in data.list_tasks(db, manager, SEDEROT)}
    by_member = {r["id"]: r["editable"] for r in data.list_tasks(db, member, SEDEROT)}
    assert all(by_manager.values()) and not all(by_member.values())
    other = next(loc.code for loc in in_scope(db, admin) if loc.code != SEDEROT)
    assert data.overview(db, admin, other) is not None  # cached for the admin
    with pytest.raises(PermissionDenied):
        data.overview(db, member, other)  # a miss for the member: the service refuses it
    with pytest.raises(PermissionDenied):
        data.metric_statuses(db, member, other)


def test_an_invitation_and_its_answer_show_on_the_tasks_page(app_db: str) -> None:
    db = Database(app_db)
    member, manager = demo_actor(db, "member"), demo_actor(db, "manager")
    assert member.person_id is not None
    assert data.my_invitations(db, member) == []  # the demo plans no meeting: cached empty
    planned = planning_samples.values(db, planning_samples._team(db, SEDEROT), [member.person_id])
    perform(db, manager, planning.ScheduleMeeting.of(SEDEROT, planned))
    [found] = data.my_invitations(db, member)
    perform(db, member, planning.AnswerInvitation.of(found.invitee_id, found.token, "maybe"))
    assert [i.answer for i in data.my_invitations(db, member)] == ["maybe"]
    at = app_as("member", lang="en")
    assert not at.exception, at.exception
    said = t("planning.rsvp.your_answer", "en", answer=t("planning.answer.maybe", "en"))
    assert said in {c.value for c in at.caption}


def test_the_set_up_checklist_follows_a_write_of_another_area(app_db: str) -> None:
    """An account is the users' area, the checklist the briefing's: the account's command still
    clears it (the checklist is cached under every area whose records tick a step off)."""
    db = Database(app_db)
    admin = demo_actor(db, "admin")
    before = {s.key: s.done for s in cached_setup(db, admin, OFAQIM).steps}
    assert not before["accounts"] and before["people"]
    assert cached_setup(db, admin, SEDEROT).complete  # another locality: another entry
    form = users.UserForm(
        "dana.manager", "Dana Manager", "manager", (OFAQIM,), "dana@example.org", PASSWORD
    )
    perform(db, admin, users.CreateUser.of(form))
    after = {s.key: s.done for s in cached_setup(db, admin, OFAQIM).steps}
    assert after == {**before, "accounts": True}


def test_the_meeting_forms_members_and_a_records_history_follow_writes(app_db: str) -> None:
    """The meeting form's members and a record's history (read through the cache) show a write
    made through the pipeline on the next read."""
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    view = data.overview(db, manager, SEDEROT)
    assert view is not None
    team = view.teams[0]["id"]
    seated = {r["person_id"] for r in data.members(db, manager, SEDEROT) if r["team_id"] == team}
    stranger = next(p["id"] for p in data.people_of(db, manager, SEDEROT) if p["id"] not in seated)
    perform(db, manager, AddMember.of(team, stranger, "member"))
    members = data.members(db, manager, SEDEROT)
    assert stranger in {r["person_id"] for r in members if r["team_id"] == team}

    task = next(r for r in data.list_tasks(db, manager, SEDEROT) if r["progress"] != 75)
    before = data.record_history(db, manager, SEDEROT, "task", task["id"], "en")
    change = UpdateTask.of(task["id"], task["version"], {"progress": 75}, {"progress": 0})
    perform(db, manager, change)
    assert (
        len(data.record_history(db, manager, SEDEROT, "task", task["id"], "en")) == len(before) + 1
    )
