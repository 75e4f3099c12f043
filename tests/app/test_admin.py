"""The admin pages: user administration and the audit log."""

from __future__ import annotations

from tests.support.apptest import app_as, texts


def test_admin_adds_a_user_through_the_form(app_db: str) -> None:
    at = app_as("admin", page="pages/admin_users.py", lang="en")
    assert not at.exception
    at.text_input(key="new_username").input("coordinator")
    at.text_input(key="new_name").input("Regional coordinator")
    at.selectbox(key="new_role").select("manager")
    at.session_state["new_scope"] = [1031]
    at.text_input(key="new_pw").input("a-long-password")
    at.button[0].click().run()
    assert not at.exception
    assert "User coordinator added." in texts(at)
    at = app_as("admin", page="pages/audit.py", lang="en")
    frame = at.dataframe[0].value
    assert "coordinator" in " ".join(frame["After"].astype(str))


def test_bad_user_input_shows_the_field(app_db: str) -> None:
    at = app_as("admin", page="pages/admin_users.py", lang="en")
    at.text_input(key="new_username").input("x")
    at.button[0].click().run()
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
