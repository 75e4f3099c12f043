"""Set-up without guessing, in the real app: the draft's delete asks first and says it was done,
a new forum's health lists what it lacks, and the set-up forms clear after a save."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button, Widget

from employdash import people, users
from employdash.access import Actor
from employdash.db import Database
from employdash.forum import focuses, meetings, setup, targets
from employdash.forum import structure as forum_service
from employdash.models import Locality
from employdash.models.forum import Forum
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as, open_tab, texts

SEDEROT = 1031
SET_UP = open_tab("forum_tabs", "forum.tab.setup", "en")  # the forum's set-up


def _button(at: AppTest, label: str) -> Button:
    return next(b for b in at.button if b.label == label)


def test_deleting_the_draft_asks_first_and_says_it_was_deleted(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    at = app_as("manager", page="pages/meeting.py", lang="en", locality=SEDEROT)
    at.text_area(key="meet_issues").input("Typed during the meeting").run()
    draft = meetings.load_draft(db, manager, SEDEROT)
    assert draft is not None and draft["issues"] == "Typed during the meeting"

    _button(at, "Discard the draft").click().run()
    assert not at.exception, at.exception
    assert "Delete the draft? Everything typed" in texts(at)
    assert meetings.load_draft(db, manager, SEDEROT) is not None  # nothing deleted yet
    _button(at, "No, keep working").click().run()
    assert "Delete the draft?" not in texts(at)
    assert at.text_area(key="meet_issues").value == "Typed during the meeting"
    assert meetings.load_draft(db, manager, SEDEROT) is not None

    _button(at, "Discard the draft").click().run()
    _button(at, "Yes, delete the draft").click().run()
    assert not at.exception, at.exception
    assert "The draft was deleted." in texts(at)
    assert at.text_area(key="meet_issues").value == ""
    assert meetings.load_draft(db, manager, SEDEROT) is None
    at.run()  # the notice is said once
    assert "The draft was deleted." not in texts(at)


def test_deleting_the_draft_is_confirmed_in_hebrew(app_db: str) -> None:
    at = app_as("manager", page="pages/meeting.py", lang="he", locality=SEDEROT)
    _button(at, "מחיקת הטיוטה").click().run()
    assert "למחוק את הטיוטה?" in texts(at)
    _button(at, "כן, למחוק את הטיוטה").click().run()
    assert "הטיוטה נמחקה." in texts(at)


# --- the Users page: an account and the person it is, in one form ------------------------------


def _submit(at: AppTest, form: str = "new_account_0") -> None:
    next(b for b in at.button if b.form_id.startswith(form)).click().run()
    assert not at.exception, at.exception


def _fill_account(at: AppTest, username: str, name: str, gen: int = 0, tries: int = 0) -> None:
    form = f"new_account_{gen}"
    at.text_input(key=f"{form}_username").input(username)
    at.text_input(key=f"{form}_name").input(name)
    at.session_state[f"{form}_scope_en"] = [SEDEROT]
    at.text_input(key=f"{form}_pw_{tries}").input("a-long-password")


def test_an_account_and_its_new_person_are_made_in_one_form_that_then_clears(
    app_db: str,
) -> None:
    at = app_as("admin", page="pages/admin_users.py", lang="en", locality=SEDEROT)
    _fill_account(at, "noa", "Noa Member")
    at.text_input(key="new_account_0_job").input("Coordinator")
    _submit(at)
    assert "User noa added, with their person record created in Sederot and linked." in texts(at)
    db = Database(app_db)
    admin = demo_actor(db, "admin")
    account = next(u for u in users.list_users(db, admin) if u["username"] == "noa")
    assert account["person_id"] is not None
    person = people.get_person(db, admin, SEDEROT, account["person_id"])
    assert (person.full_name, person.job_title, person.users) == (
        "Noa Member",
        "Coordinator",
        ["noa"],
    )
    # empty for the next user: new widgets, nothing of the last one left in the session
    assert at.text_input(key="new_account_1_username").value == ""
    assert at.text_input(key="new_account_1_name").value == ""
    assert at.text_input(key="new_account_1_pw_1").value == ""
    assert at.text_input(key="new_account_1_job").value == ""
    assert not [k for k in list(at.session_state) if k.startswith("new_account_0")]


def test_a_refused_account_keeps_what_was_typed_but_never_the_password(app_db: str) -> None:
    at = app_as("admin", page="pages/admin_users.py", lang="en", locality=SEDEROT)
    _fill_account(at, "admin", "Second Admin")  # a username that is taken
    _submit(at)
    assert "Username: This username is taken: choose another." in [e.value for e in at.error]
    assert at.text_input(key="new_account_0_username").value == "admin"
    assert at.text_input(key="new_account_0_name").value == "Second Admin"
    assert at.text_input(key="new_account_0_pw_1").value == ""  # a new, empty field
    assert "new_account_0_pw_0" not in list(at.session_state)


def _namesake_refused(app_db: str, username: str) -> tuple[AppTest, Database, Actor, int]:
    """The add form refused for a person of the locality with the same name: nothing made."""
    db = Database(app_db)
    admin = demo_actor(db, "admin")
    twin = people.create_person(db, admin, SEDEROT, people.PersonInput("Dana Twin"))
    at = app_as("admin", page="pages/admin_users.py", lang="en", locality=SEDEROT)
    _fill_account(at, username, "Dana Twin")
    _submit(at)
    said = "The person this account is: This locality already has a person of this name."
    assert any(str(e.value).startswith(said) for e in at.error), [e.value for e in at.error]
    assert not [u for u in users.list_users(db, admin) if u["username"] == username]
    return at, db, admin, twin


def test_a_namesake_is_refused_and_the_existing_person_picked(app_db: str) -> None:
    at, db, admin, twin = _namesake_refused(app_db, "dana")

    # it is her: pick the existing person (typing the password again)
    at.selectbox(key="new_account_0_person_1031_en").set_value(twin)
    at.text_input(key="new_account_0_pw_1").input("a-long-password")
    _submit(at)
    assert "User dana added." in texts(at)
    account = next(u for u in users.list_users(db, admin) if u["username"] == "dana")
    assert account["person_id"] == twin
    # she has an account now: no longer offered for the next one (options are the shown labels)
    offered = at.selectbox(key="new_account_1_person_1031_en").options
    assert not [o for o in offered if "Dana Twin" in o], offered


def test_a_namesake_confirmed_as_someone_else_is_made(app_db: str) -> None:
    at, db, admin, twin = _namesake_refused(app_db, "dana2")
    at.checkbox(key="new_account_0_dup_ok").check()
    at.text_input(key="new_account_0_pw_1").input("a-long-password")
    _submit(at)
    account = next(u for u in users.list_users(db, admin) if u["username"] == "dana2")
    assert account["person_id"] not in (None, twin)


def test_the_password_reset_form_never_keeps_the_password(app_db: str) -> None:
    at = app_as("admin", page="pages/admin_users.py", lang="en")
    at.text_input(key="reset_pw_0").set_value("short")
    _submit(at, "reset_password")
    assert "New password: At least 10 characters" in [e.value for e in at.error]
    assert at.text_input(key="reset_pw_1").value == ""  # a new, empty field
    assert "reset_pw_0" not in list(at.session_state)
    at.text_input(key="reset_pw_1").set_value("a-long-new-password")
    _submit(at, "reset_password")
    assert "Password reset and lock cleared." in texts(at)
    assert at.text_input(key="reset_pw_2").value == ""
    assert "reset_pw_1" not in list(at.session_state)


# --- the forum page: a new forum is not healthy ----------------------------------------------


def test_a_new_forum_lists_what_it_lacks(app_db: str) -> None:
    db = Database(app_db)
    admin = demo_actor(db, "admin")
    with db.transaction() as s:
        code = s.scalar(
            select(Locality.code)
            .where(Locality.code.not_in(select(Forum.locality_code)))
            .order_by(Locality.code)
        )
        assert code is not None
        s.execute(update(Locality).where(Locality.code == code).values(is_program=True))
    setup.create_forum(db, admin, code, "New forum", date.today())
    for lang, missing, healthy in (
        ("en", "The forum has no members yet", "No warning signs"),
        ("he", "עדיין אין חברים בפורום", "אין סימני אזהרה"),
    ):
        at = app_as("admin", page="pages/forum.py", lang=lang, locality=code)
        assert not at.exception, at.exception
        warnings = [w.value for w in at.warning]
        assert len([w for w in warnings if '"' in w]) == 3, warnings  # members, focus, meeting
        assert warnings[0].startswith(missing)
        assert healthy not in texts(at)


# --- the forum's set-up forms: a duplicate metric name, a team's lead --------------------------


def _in_form(widgets: Iterable[Widget], form: str, label: str) -> Widget:
    return next(w for w in widgets if w.form_id.startswith(form) and w.label.startswith(label))


def test_a_second_metric_of_one_name_on_a_focus_is_refused_at_the_field(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    focus = forum_service.create_focus(db, manager, SEDEROT, "Names focus")
    focuses.add_manual_metric(
        db,
        manager,
        SEDEROT,
        focus,
        "Placements",
        "#",
        "up",
        1,
        date(2026, 1, 1),
        5,
        date(2027, 12, 31),
    )
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT)
    _in_form(at.selectbox, "metric_manual", "Focus").set_value(focus)
    _in_form(at.text_input, "metric_manual", "Metric name").set_value(" placements ")
    _in_form(at.number_input, "metric_manual", "Target").set_value(9.0)
    _submit(at, "metric_manual")
    message = "This focus already has a metric with this name."
    errors = [str(e.value) for e in at.error]
    assert any(e.startswith(f"Metric name: {message}") for e in errors), errors
    assert _in_form(at.text_input, "metric_manual", "Metric name").value == " placements "
    metrics = targets.metric_progress(db, manager, SEDEROT)
    assert [m["name_en"] for m in metrics if m["focus_id"] == focus] == ["Placements"]


def test_a_team_made_with_its_lead_has_the_lead_as_a_member(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=SET_UP)
    assert "The lead joins the team (as team lead) if not a member yet." in texts(at)
    person = forum_service.people_of(db, manager, SEDEROT)[0]["id"]
    _in_form(at.selectbox, "team_new", "Team lead").set_value(person)
    _in_form(at.text_input, "team_new", "Team name").set_value("Led from the start")
    _submit(at, "team_new")
    team = next(t for t in setup.list_teams(db, manager, SEDEROT) if t.name == "Led from the start")
    seated = [r for r in forum_service.members(db, manager, SEDEROT) if r["team_id"] == team.id]
    assert team.lead_person_id == person
    assert [(r["person_id"], r["role"]) for r in seated] == [(person, "team_lead")]
