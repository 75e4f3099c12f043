"""The admin pages: user administration and the audit log."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from employdash import users
from employdash.access import Actor
from employdash.db import Database
from tests.support.apptest import app_as, texts


def test_admin_adds_a_user_through_the_form(app_db: str) -> None:
    at = app_as("admin", page="pages/admin_users.py", lang="en", locality=1031)
    assert not at.exception
    at.text_input(key="new_account_0_username").input("coordinator")
    at.text_input(key="new_account_0_name").input("Regional coordinator")
    at.selectbox(key="new_account_0_role_en").select("manager")
    at.session_state["new_account_0_scope_en"] = [1031]
    at.selectbox(key="new_account_0_person_1031_en").set_value(0)  # no person record
    at.text_input(key="new_account_0_pw_0").input("a-long-password")
    next(b for b in at.button if b.form_id == "new_account_0").click().run()
    assert not at.exception
    assert "User coordinator added." in texts(at)
    at = app_as("admin", page="pages/audit.py", lang="en")
    frame = at.dataframe[0].value
    assert "coordinator" in " ".join(frame["What changed"].astype(str))


def test_bad_user_input_shows_the_field(app_db: str) -> None:
    at = app_as("admin", page="pages/admin_users.py", lang="en")
    at.text_input(key="new_account_0_username").input("x")
    next(b for b in at.button if b.form_id == "new_account_0").click().run()
    errors = [e.value for e in at.error]
    # A summary at the top of the form, then each field's own message under the field.
    assert errors[0].startswith("**The form was not saved: 4 fields need fixing**")
    assert "- Username: Invalid value" in errors[0]
    assert errors[1:] == [
        "Username: Invalid value",
        "Full name: Required",
        "Localities: Required",
        "Initial password: At least 10 characters",
    ]


def test_audit_log_lists_logins_in_hebrew(app_db: str) -> None:
    at = app_as("admin", page="pages/audit.py")
    assert not at.exception
    assert "יומן ביקורת" in texts(at)


# --- the people register's form ---------------------------------------------------------------


def _refused(at: AppTest, field: str) -> None:
    errors = [str(e.value) for e in at.error]
    summaries = [i for i, e in enumerate(errors) if e.startswith("**The form was not saved")]
    assert len(summaries) == 1, errors
    assert f"- {field}: " in errors[summaries[0]]
    assert any(e.startswith(f"{field}: ") for e in errors[summaries[0] + 1 :]), errors


def test_the_people_form_starts_empty_for_the_next_person(app_db: str) -> None:
    at = app_as("manager", page="pages/people.py", lang="en", locality=1031)
    assert not at.exception, at.exception
    at.text_input(key="person_new_name").input("Dana Levi")
    at.text_input(key="person_new_job").input("Coordinator")
    at.text_input(key="person_new_phone").input("050-1234567")
    next(b for b in at.button if b.label == "Add a person").click().run()
    assert not at.exception, at.exception
    assert "Saved: Dana Levi" in texts(at)
    # the form is drawn anew (new keys): every field empty, ready for the next person
    form = [t for t in at.text_input if t.key and t.key.startswith("person_new_")]
    assert form and all(t.value == "" for t in form), [(t.key, t.value) for t in form]
    assert not any(t.key in ("person_new_name", "person_new_job") for t in form)
    assert "Dana Levi" in " ".join(at.dataframe[0].value.iloc[:, 0].astype(str))


def test_a_refused_person_keeps_what_was_typed(app_db: str) -> None:
    at = app_as("manager", page="pages/people.py", lang="en", locality=1031)
    at.text_input(key="person_new_name").input("Dana Levi")
    at.text_input(key="person_new_email").input("not-an-address")
    next(b for b in at.button if b.label == "Add a person").click().run()
    assert not at.exception, at.exception
    _refused(at, "Email")
    assert at.text_input(key="person_new_name").value == "Dana Levi"
    assert at.text_input(key="person_new_email").value == "not-an-address"
    assert "Full name *" in [t.label for t in at.text_input]  # the required mark


def test_editing_a_user_or_a_password_is_refused_at_the_field(app_db: str) -> None:
    at = app_as("admin", page="pages/admin_users.py", lang="en")
    chosen = at.selectbox(key="edit_pick").value
    at.text_input(key=f"edit_{chosen}_name").set_value("")
    next(b for b in at.button if b.form_id == "edit_user").click().run()
    assert not at.exception, at.exception
    _refused(at, "Full name")
    at = app_as("admin", page="pages/admin_users.py", lang="en")
    at.text_input(key="reset_pw_0").set_value("short")
    next(b for b in at.button if b.form_id == "reset_password").click().run()
    _refused(at, "New password")


def test_two_admins_editing_one_account_do_not_overwrite_each_other(app_db: str) -> None:
    """The edit form saves against the version it was drawn from, not the one read at submit."""
    at = app_as("admin", page="pages/admin_users.py", lang="en")
    chosen = at.selectbox(key="edit_pick").value
    assert chosen is not None
    db = Database(app_db)
    reader = Actor(user_id=0, username="", full_name="", role="admin", localities=None)
    boss = next(r for r in users.list_users(db, reader) if r["username"] == "admin")
    admin = Actor(boss["id"], "admin", boss["full_name"], "admin", localities=None)
    row = next(r for r in users.list_users(db, admin) if r["id"] == chosen)
    theirs = users.UserForm(
        row["username"], "Renamed by the other admin", row["role"], tuple(row["localities"])
    )
    users.update_user(db, admin, chosen, theirs, row["active"], version=row["version"])

    at.text_input(key=f"edit_{chosen}_name").set_value("Renamed here")
    next(b for b in at.button if b.form_id == "edit_user").click().run()
    assert not at.exception, at.exception
    assert any("Someone else saved this record meanwhile" in e.value for e in at.error)
    stored = next(r for r in users.list_users(db, admin) if r["id"] == chosen)
    assert stored["full_name"] == "Renamed by the other admin"


def test_admin_gives_an_account_the_programme_role_with_every_locality(app_db: str) -> None:
    """Programme staff need no locality on their record: with none they see every one."""
    at = app_as("admin", page="pages/admin_users.py", lang="en", locality=1031)
    at.text_input(key="new_account_0_username").input("national")
    at.text_input(key="new_account_0_name").input("National programme lead")
    at.selectbox(key="new_account_0_role_en").select("programme")
    at.selectbox(key="new_account_0_person_1031_en").set_value(0)  # no person record
    at.text_input(key="new_account_0_pw_0").input("a-long-password")
    next(b for b in at.button if b.form_id == "new_account_0").click().run()
    assert not at.exception
    assert "User national added." in texts(at)
    frame = at.dataframe[0].value
    row = frame[frame["Username"] == "national"].iloc[0]
    assert (row["Role"], row["Localities"]) == ("Programme staff", "All localities")
    db = Database(app_db)
    actor = users.load_actor(db, "national")
    db.dispose()
    assert actor is not None and actor.role == "programme" and actor.localities is None
