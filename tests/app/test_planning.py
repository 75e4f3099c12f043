"""The forum's upcoming meetings on screen: scheduling one (and a refused form with the message
under its field), editing and cancelling it, answering an invitation on the RSVP page, and the
outcome form opened from a planned meeting, filled in and marking it held."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from employdash.commands import execute
from employdash.db import Database
from employdash.forum import planning
from employdash.i18n import local_today
from employdash.models.forum import Invitee, Membership, PlannedMeeting
from employdash.users import load_actor
from tests.forum.helpers import team_of_kind
from tests.support.apptest import app_as, open_tab, rendered, texts

SEDEROT = 1031


def _schedule(db: Database, **changes: Any) -> int:
    manager, member = load_actor(db, "manager"), load_actor(db, "member")
    assert manager is not None and member is not None
    values = {
        "team_id": team_of_kind(db),
        "on_date": local_today() + timedelta(days=5),
        "starts": time(17, 0),
        "ends": time(19, 0),
        "place": "City hall",
        "agenda": [{"topic": "Job fair", "presenter": "Dana", "minutes": 20}],
        "invitee_ids": [manager.person_id, member.person_id],
        "guests": [],
        **changes,
    }
    return planning.schedule_meeting(db, manager, SEDEROT, values)


def _row(db: Database, planned_id: int) -> PlannedMeeting:
    with db.transaction() as s:
        row = s.get_one(PlannedMeeting, planned_id)
        s.expunge(row)
    return row


def _token(db: Database, planned_id: int, username: str) -> str:
    actor = load_actor(db, username)
    assert actor is not None
    with db.transaction() as s:
        token = s.scalar(
            select(Invitee.token).where(
                Invitee.planned_meeting_id == planned_id, Invitee.person_id == actor.person_id
            )
        )
    assert token is not None
    return token


PLANNED = open_tab("forum_tabs", "forum.tab.planned", "en")  # the tab with the planned meetings


def _forum(app_db: str) -> tuple[AppTest, Database]:
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=PLANNED)
    assert not at.exception, at.exception
    return at, Database(app_db)


def _submit(at: AppTest, form: str, label: str) -> None:
    button = next(b for b in at.button if b.label == label and b.form_id.startswith(form))
    button.click().run()
    assert not at.exception, at.exception


def test_a_manager_schedules_a_meeting_inviting_the_teams_members(app_db: str) -> None:
    at, db = _forum(app_db)
    place = next(w for w in at.text_input if w.form_id.startswith("planned_new"))
    assert place.label == "Place"
    place.input("City hall, room 2")
    _submit(at, "planned_new", "Schedule a meeting")
    assert "The meeting is scheduled; the invitations will be sent" in texts(at)
    with db.transaction() as s:
        planned = s.scalars(select(PlannedMeeting)).one()
        invited = set(
            s.scalars(select(Invitee.person_id).where(Invitee.planned_meeting_id == planned.id))
        )
        members = set(
            s.scalars(select(Membership.person_id).where(Membership.team_id == team_of_kind(db)))
        )
    assert (planned.place, planned.team_id) == ("City hall, room 2", team_of_kind(db))
    assert invited == members
    assert "City hall, room 2" in texts(at)


def test_a_bad_link_is_refused_under_its_field_and_nothing_is_written(app_db: str) -> None:
    at, db = _forum(app_db)
    form = [w for w in at.text_input if w.form_id.startswith("planned_new")]
    next(w for w in form if w.label == "Online meeting link").input("ftp://files.example.org")
    _submit(at, "planned_new", "Schedule a meeting")
    errors = [rendered(str(e.value)) for e in at.error]
    message = "Online meeting link: The link must start with https:// or http://"
    assert any(e.startswith(message) for e in errors), errors
    with db.transaction() as s:
        assert s.scalar(select(PlannedMeeting.id)) is None
    typed = [w for w in at.text_input if w.form_id.startswith("planned_new")]
    assert any(w.value == "ftp://files.example.org" for w in typed)  # nothing typed is lost


def test_a_guest_with_a_bad_address_is_refused_naming_the_line(app_db: str) -> None:
    at, db = _forum(app_db)
    areas = [w for w in at.text_area if w.form_id.startswith("planned_new")]
    next(w for w in areas if w.label == "Guests").input("Ruth, ruth@example.org\nDan, dan@")
    next(w for w in at.text_input if w.label == "Place").input("Hall")
    _submit(at, "planned_new", "Schedule a meeting")
    errors = [rendered(str(e.value)) for e in at.error]
    assert any(e.startswith("Guests: Line 2: Not a valid e-mail address") for e in errors), errors
    with db.transaction() as s:
        assert s.scalar(select(PlannedMeeting.id)) is None


def test_the_manager_edits_and_then_cancels_a_planned_meeting(app_db: str) -> None:
    db = Database(app_db)
    planned_id = _schedule(db)
    at, _ = _forum(app_db)
    assert "City hall" in texts(at) and "Job fair – Dana (20′)" in texts(at)
    edit = f"planned_edit_{planned_id}_"
    next(w for w in at.text_input if w.form_id.startswith(edit) and w.label == "Place").input(
        "Community centre"
    )
    _submit(at, edit, "Save")
    assert "The meeting is updated; the invitees will be told" in texts(at)
    edited = _row(db, planned_id)
    assert (edited.place, edited.sequence) == ("Community centre", 1)
    cancel = f"planned_cancel_{planned_id}_{edited.version}"
    reason = next(w for w in at.text_area if w.form_id.startswith(cancel))
    reason.input("The hall is closed")
    _submit(at, cancel, "Cancel the meeting")
    assert _row(db, planned_id).status == "cancelled"
    assert "No meetings are planned." in texts(at)


def test_the_two_thirds_warning_shows_for_a_meeting_within_two_days(app_db: str) -> None:
    db = Database(app_db)
    planned_id = _schedule(db, on_date=local_today() + timedelta(days=1))
    member = load_actor(db, "member")
    assert member is not None
    planning.answer_invitation(db, member, _token(db, planned_id, "member"), "not_coming")
    at, _ = _forum(app_db)
    warnings = [str(w.value) for w in at.warning]
    assert any(w.startswith("1 of 2 invitees expected") for w in warnings), warnings


def test_a_member_answers_on_the_rsvp_page(app_db: str) -> None:
    db = Database(app_db)
    planned_id = _schedule(db)
    token = _token(db, planned_id, "member")
    at = app_as("member", lang="en", locality=SEDEROT)
    at.query_params["token"] = token
    at.switch_page("pages/rsvp.py").run()
    assert not at.exception, at.exception
    assert "City hall" in texts(at) and "Your answer: No answer" in texts(at)
    next(b for b in at.button if b.label == "Coming").click().run()
    assert "Thank you, your answer is saved" in texts(at)
    assert "Your answer: Coming" in texts(at)
    with db.transaction() as s:
        answer = s.scalar(select(Invitee.answer).where(Invitee.token == token))
    assert answer == "coming"


def test_the_rsvp_page_says_why_a_link_cannot_be_answered(app_db: str) -> None:
    db = Database(app_db)
    planned_id = _schedule(db)
    at = app_as("manager", lang="en", locality=SEDEROT)
    for token, message in (
        (_token(db, planned_id, "member"), "This invitation is not yours"),
        ("no-such-token", "This invitation was not found"),
    ):
        at.query_params["token"] = token
        at.switch_page("pages/rsvp.py").run()
        assert any(str(e.value).startswith(message) for e in at.error), [e.value for e in at.error]
        assert not [b for b in at.button if b.label == "Coming"]
    manager = load_actor(db, "manager")
    assert manager is not None
    execute(
        db, manager, planning.CancelPlannedMeeting.of(planned_id, _row(db, planned_id).version, "x")
    )
    at.query_params["token"] = _token(db, planned_id, "manager")
    at.switch_page("pages/rsvp.py").run()
    assert "This meeting was cancelled." in texts(at)
    assert not [b for b in at.button if b.label == "Coming"]


def test_the_member_sees_their_invitation_on_the_tasks_page(app_db: str) -> None:
    db = Database(app_db)
    _schedule(db)
    at = app_as("member", page="pages/tasks.py", lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    assert "My invitations" in texts(at) and "Your answer: No answer" in texts(at)


def test_the_outcome_form_opens_filled_from_the_planned_meeting(app_db: str) -> None:
    db = Database(app_db)
    # Israel's date, as the scheduling rule reads it: from 22:00 UTC the server's is a day behind.
    planned_id = _schedule(db, on_date=local_today())
    manager = load_actor(db, "manager")
    assert manager is not None
    planning.answer_invitation(db, manager, _token(db, planned_id, "manager"), "coming")
    at = app_as("manager", lang="en", locality=SEDEROT)
    at.query_params["planned"] = str(planned_id)
    at.switch_page("pages/meeting.py").run()
    assert not at.exception, at.exception
    assert at.session_state["meet_team"] == team_of_kind(db)
    assert at.session_state["meet_date"] == local_today()
    assert at.session_state["meet_agenda"] == "Job fair – Dana"
    assert at.session_state[f"meet_att_{manager.person_id}"] is True
    next(b for b in at.button if b.label == "Save the meeting record").click().run()
    assert not at.exception, at.exception
    held = _row(db, planned_id)
    assert held.status == "held" and held.meeting_id is not None
