"""Planned meetings: scheduling, editing and cancelling them, the events the invitation mail
reads, answering one's own invitation, the link to the meeting once held, and the expected
attendance against the two-thirds line."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from employdash.access import Actor
from employdash.briefing import text as say
from employdash.commands import Ref, execute
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from employdash.forum import meetings, planning
from employdash.forum.briefing import briefing_status
from employdash.models import Event, Person
from employdash.models.forum import Invitee, PlannedMeeting
from tests.forum.helpers import SEDEROT, team_of_kind

# Every write here goes through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

TODAY = date(2031, 3, 2)  # a Sunday; every test judges dates against it


def _form(db: Database, actors: dict[str, Actor], **changes: Any) -> dict[str, Any]:
    people = [actors["manager"].person_id, actors["member"].person_id]
    return {
        "team_id": team_of_kind(db),
        "on_date": TODAY + timedelta(days=7),
        "starts": time(17, 0),
        "ends": time(19, 0),
        "place": "City hall",
        "online_url": "",
        "agenda": [{"topic": "Job fair", "presenter": "Dana", "minutes": 20}],
        "invitee_ids": [p for p in people if p is not None],
        "guests": [{"name": "Ruth Guest", "email": "Ruth@Example.ORG"}],
        "today": TODAY,
        **changes,
    }


def _schedule(db: Database, actors: dict[str, Actor], **changes: Any) -> int:
    return planning.schedule_meeting(db, actors["manager"], SEDEROT, _form(db, actors, **changes))


def _events(db: Database, name: str) -> list[dict[str, Any]]:
    with db.transaction() as s:
        rows = s.scalars(select(Event).where(Event.name == name).order_by(Event.id))
        return [{"entity": e.entity, "id": e.entity_id, **e.payload} for e in rows]


def _row(db: Database, planned_id: int) -> tuple[PlannedMeeting, list[Invitee]]:
    with db.transaction() as s:
        row = s.get_one(PlannedMeeting, planned_id)
        invitees = list(s.scalars(select(Invitee).where(Invitee.planned_meeting_id == planned_id)))
        s.expunge_all()
    return row, invitees


def _token(invitees: list[Invitee], person_id: int | None) -> str:
    return next(i.token for i in invitees if i.person_id == person_id)


def test_scheduling_makes_the_meeting_its_invitations_and_the_event(
    db: Database, actors: dict[str, Actor]
) -> None:
    planned_id = _schedule(db, actors)
    row, invitees = _row(db, planned_id)
    assert (row.status, row.sequence, row.on_date, row.starts) == (
        "planned", 0, TODAY + timedelta(days=7), time(17, 0)
    )  # fmt: skip
    assert row.uid.endswith("@employdash") and len(row.uid) > 30
    assert row.agenda == [{"topic": "Job fair", "presenter": "Dana", "minutes": 20}]
    assert {i.person_id for i in invitees} == {
        actors["manager"].person_id, actors["member"].person_id, None
    }  # fmt: skip
    guest = next(i for i in invitees if i.person_id is None)
    assert (guest.guest_name, guest.guest_email) == ("Ruth Guest", "Ruth@example.org")
    assert len({i.token for i in invitees}) == 3 and all(len(i.token) >= 40 for i in invitees)
    assert _events(db, "meeting.scheduled")[-1] == {
        "entity": "planned_meeting",
        "id": str(planned_id),
        "planned_meeting_id": planned_id,
        "sequence": 0,
        "change": "created",
        "removed": [],
    }


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"ends": time(16, 0)}, "ends", "planning.ends_before_starts"),
        ({"on_date": TODAY - timedelta(days=1)}, "on_date", "planning.date_past"),
        ({"place": "", "online_url": ""}, "place", "planning.place_or_link"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "planning.invalid_url"),
        ({"guests": [{"name": "X", "email": "not an address"}]}, "guests[0].email",
         "planning.invalid_email"),
        ({"invitee_ids": [], "guests": []}, "invitees", "planning.no_invitees"),
        ({"agenda": [{"topic": "", "minutes": 5}]}, "agenda[0].topic", "validation.required"),
        ({"starts": None}, "starts", "validation.required"),
    ],
)  # fmt: skip
def test_a_form_against_the_rules_is_refused_naming_the_field(
    db: Database, actors: dict[str, Actor], changes: dict[str, Any], field: str, key: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        _schedule(db, actors, **changes)
    assert refused.value.fields[field] == key
    with db.transaction() as s:
        assert s.scalar(select(PlannedMeeting.id)) is None


def test_a_meeting_today_is_accepted_and_an_online_link_may_stand_for_the_place(
    db: Database, actors: dict[str, Actor]
) -> None:
    planned_id = _schedule(
        db, actors, on_date=TODAY, place="", online_url="https://meet.example.org/x"
    )
    assert _row(db, planned_id)[0].online_url == "https://meet.example.org/x"


def test_editing_raises_the_sequence_keeps_answers_and_names_who_was_dropped(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    planned_id = _schedule(db, actors)
    row, invitees = _row(db, planned_id)
    planning.answer_invitation(db, manager, _token(invitees, manager.person_id), "maybe", TODAY)
    form = _form(db, actors, place="Community centre", invitee_ids=[manager.person_id], guests=[])
    version = execute(
        db, manager, planning.EditPlannedMeeting.of(planned_id, row.version, form)
    ).value
    edited, now = _row(db, planned_id)
    assert (edited.place, edited.sequence, edited.version) == ("Community centre", 1, version)
    kept = next(i for i in now if i.person_id == manager.person_id)
    assert [i.person_id for i in now] == [manager.person_id]
    assert (kept.token, kept.answer) == (_token(invitees, manager.person_id), "maybe")
    event = _events(db, "meeting.scheduled")[-1]
    assert event["change"] == "changed" and event["sequence"] == 1
    assert sorted(event["removed"], key=str) == sorted(
        [
            {"person_id": member.person_id, "guest_name": None, "guest_email": None},
            {"person_id": None, "guest_name": "Ruth Guest", "guest_email": "Ruth@example.org"},
        ],
        key=str,
    )
    with pytest.raises(StaleVersion):  # saved from the screen read before the edit
        execute(db, manager, planning.EditPlannedMeeting.of(planned_id, row.version, form))


def test_an_edit_that_changes_nothing_keeps_the_sequence(
    db: Database, actors: dict[str, Actor]
) -> None:
    planned_id = _schedule(db, actors)
    row, _ = _row(db, planned_id)
    form = _form(db, actors)
    form["guests"] = [{"name": "Ruth Guest", "email": "Ruth@example.org"}]
    command = planning.EditPlannedMeeting.of(planned_id, row.version, form)
    assert execute(db, actors["manager"], command).value == row.version
    assert _row(db, planned_id)[0].sequence == 0
    assert [e["change"] for e in _events(db, "meeting.scheduled")] == ["created"]


def test_cancelling_needs_a_reason_and_then_nothing_more_changes(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    planned_id = _schedule(db, actors)
    row, invitees = _row(db, planned_id)
    cancel = planning.CancelPlannedMeeting.of(planned_id, row.version, "  ")
    with pytest.raises(ValidationError) as refused:
        execute(db, manager, cancel)
    assert refused.value.fields == {"reason": "validation.required"}
    cancel = planning.CancelPlannedMeeting.of(planned_id, row.version, "The hall is closed")
    version = execute(db, manager, cancel).value
    cancelled, _ = _row(db, planned_id)
    assert (cancelled.status, cancelled.sequence) == ("cancelled", 1)
    assert _events(db, "meeting.cancelled") == [
        {
            "entity": "planned_meeting",
            "id": str(planned_id),
            "planned_meeting_id": planned_id,
            "sequence": 1,
            "reason": "The hall is closed",
        }
    ]
    with pytest.raises(ValidationError) as again:
        execute(db, manager, planning.EditPlannedMeeting.of(planned_id, version, _form(db, actors)))
    assert again.value.fields == {"status": "planning.already_cancelled"}
    with pytest.raises(ValidationError) as answer:
        planning.answer_invitation(
            db, manager, _token(invitees, manager.person_id), "coming", TODAY
        )
    assert answer.value.fields == {"answer": "planning.already_cancelled"}
    assert planning.upcoming(db, manager, SEDEROT, TODAY) == []


def test_an_invitee_answers_their_own_invitation_and_may_change_it(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    planned_id = _schedule(db, actors)
    _, invitees = _row(db, planned_id)
    token = _token(invitees, member.person_id)
    assert planning.answer_invitation(db, member, token, "coming", TODAY) == "coming"
    assert planning.answer_invitation(db, member, token, "not_coming", TODAY) == "not_coming"
    answered = next(i for i in _row(db, planned_id)[1] if i.person_id == member.person_id)
    assert answered.answer == "not_coming" and answered.answered_at is not None
    assert [e["answer"] for e in _events(db, "invitation.answered")] == ["coming", "not_coming"]
    assert _events(db, "invitation.answered")[-1] == {
        "entity": "invitee",
        "id": str(answered.id),
        "planned_meeting_id": planned_id,
        "invitee_id": answered.id,
        "answer": "not_coming",
    }
    with pytest.raises(PermissionDenied):  # the manager holds the member's link
        planning.answer_invitation(db, manager, token, "coming", TODAY)
    with pytest.raises(PermissionDenied):
        execute(
            db,
            manager,
            planning.AnswerInvitation(Ref(Invitee, answered.id), token, "coming", TODAY),
        )
    with pytest.raises(NotFound):
        planning.answer_invitation(db, member, "no-such-token", "coming", TODAY)
    with pytest.raises(ValidationError):
        planning.answer_invitation(db, member, token, "perhaps", TODAY)
    with pytest.raises(ValidationError) as late:
        planning.answer_invitation(db, member, token, "coming", TODAY + timedelta(days=8))
    assert late.value.fields == {"answer": "planning.meeting_past"}


def test_the_invitee_reads_their_invitation_and_no_one_elses(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    planned_id = _schedule(db, actors)
    _, invitees = _row(db, planned_id)
    token = _token(invitees, member.person_id)
    found = planning.invitation(db, member, token)
    assert (found.meeting.id, found.answer, found.open) == (planned_id, None, True)
    with pytest.raises(PermissionDenied):
        planning.invitation(db, manager, token)
    with pytest.raises(NotFound):
        planning.invitation(db, member, "unknown")
    mine = planning.my_invitations(db, member, TODAY)
    assert [i.meeting.id for i in mine] == [planned_id]
    assert planning.my_invitations(db, member, TODAY + timedelta(days=8)) == []
    assert planning.my_invitations(db, actors["admin"], TODAY) == []  # no person: no invitation


def test_the_forum_lists_answers_and_who_cannot_be_reached(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    with db.transaction() as s:
        s.execute(update(Person).where(Person.id == member.person_id).values(email=None))
    planned_id = _schedule(db, actors)
    _, invitees = _row(db, planned_id)
    planning.answer_invitation(db, manager, _token(invitees, manager.person_id), "coming", TODAY)
    [view] = planning.upcoming(db, manager, SEDEROT, TODAY)
    assert view.id == planned_id and view.team and view.locality_code == SEDEROT
    assert [i.person_id for i in view.answered("coming")] == [manager.person_id]
    assert {i.person_id for i in view.answered(None)} == {member.person_id, None}
    assert [i.person_id for i in view.unreachable] == [member.person_id]
    assert planning.planned_meeting(db, member, planned_id).id == planned_id
    with pytest.raises(NotFound):
        planning.planned_meeting(db, actors["manager"], planned_id + 1000)


def test_expected_attendance_counts_coming_and_unanswered_against_two_thirds() -> None:
    assert planning.expected_attendance(["coming", None, "not_coming"]).below is False  # 2 of 3
    assert planning.expected_attendance(["coming", "maybe", "not_coming"]).below is True
    assert planning.expected_attendance([None] * 5 + ["not_coming"] * 2).below is False  # 5 of 7
    assert planning.expected_attendance([None] * 4 + ["not_coming"] * 3).below is True
    assert planning.expected_attendance([]).below is False
    assert planning.expected_attendance(["coming"] * 6 + [None] * 3).needed == 6


def test_meetings_within_two_days_below_two_thirds_are_listed(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    soon = _schedule(db, actors, on_date=TODAY + timedelta(days=2))
    later = _schedule(db, actors, on_date=TODAY + timedelta(days=3))
    assert planning.below_two_thirds(db, TODAY) == []
    for planned_id in (soon, later):
        token = _token(_row(db, planned_id)[1], member.person_id)
        planning.answer_invitation(db, member, token, "not_coming", TODAY)
    [short] = planning.below_two_thirds(db, TODAY)
    assert (short.planned_meeting_id, short.locality_code, short.on_date) == (
        soon, SEDEROT, TODAY + timedelta(days=2)
    )  # fmt: skip
    assert (short.attendance.invited, short.attendance.expected) == (2, 1)
    [view] = [v for v in planning.upcoming(db, manager, SEDEROT, TODAY) if v.id == soon]
    assert planning.soon_and_below(view, TODAY)
    assert not planning.soon_and_below(view, TODAY - timedelta(days=1))


def test_holding_a_planned_meeting_marks_it_held_with_its_record(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    planned_id = _schedule(db, actors, on_date=date.today() + timedelta(days=1), today=None)
    data = meetings.MeetingInput(
        locality_code=SEDEROT, team_id=team_of_kind(db), held_on=date.today(), planned_id=planned_id
    )
    meeting_id = meetings.save_meeting(db, manager, data)
    held, _ = _row(db, planned_id)
    assert (held.status, held.meeting_id) == ("held", meeting_id)
    again = meetings.MeetingInput(
        locality_code=SEDEROT, team_id=team_of_kind(db), held_on=date.today(), planned_id=planned_id
    )
    with pytest.raises(ValidationError) as refused:
        meetings.save_meeting(db, manager, again)
    assert refused.value.fields == {"planned": "validation.invalid"}


def test_a_planned_meeting_of_another_forum_is_not_held_by_this_one(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    team = team_of_kind(db, "steering", 246)  # Netivot: the manager's other locality
    form = {**_form(db, actors), "team_id": team, "invitee_ids": [], "today": None}
    form["on_date"] = date.today() + timedelta(days=1)
    planned_id = planning.schedule_meeting(db, admin, 246, form)
    data = meetings.MeetingInput(
        locality_code=SEDEROT, team_id=team_of_kind(db), held_on=date.today(), planned_id=planned_id
    )
    with pytest.raises(NotFound):
        meetings.save_meeting(db, actors["manager"], data)


def test_the_briefing_names_the_next_planned_meeting_with_its_time_and_place(
    db: Database, actors: dict[str, Actor]
) -> None:
    mayor = actors["mayor"]
    before = briefing_status(db, mayor, SEDEROT, as_of=TODAY)
    assert before is not None and before.next_planned is None  # the dates the meetings set
    _schedule(db, actors, on_date=TODAY + timedelta(days=3), place="", online_url="https://x.org")
    _schedule(db, actors, on_date=TODAY + timedelta(days=1), starts=time(9, 30))
    forum = briefing_status(db, mayor, SEDEROT, as_of=TODAY)
    assert forum is not None and forum.next_meeting == TODAY + timedelta(days=1)
    assert say.next_meeting_text(forum, "en") == "03/03/2031, 09:30, City hall"
