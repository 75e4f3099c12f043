"""The forms where an e-mail address is typed say, under the field and in the user's language,
that an address is not one, and keep what was typed."""

from __future__ import annotations

from tests.support.apptest import app_as, rendered


def test_the_user_form_says_what_is_wrong_with_an_address(app_db: str) -> None:
    at = app_as("admin", page="pages/admin_users.py", lang="en")
    chosen = at.selectbox(key="edit_pick").value
    at.text_input(key=f"edit_{chosen}_email").set_value("dana@@example.org")
    next(b for b in at.button if b.form_id == "edit_user").click().run()
    assert not at.exception, at.exception
    errors = [rendered(str(e.value)) for e in at.error]
    expected = "Email: This is not a valid e-mail address. Type one like name@example.org."
    assert errors[1:] == [expected], errors  # under the field, after the form's summary
    assert at.text_input(key=f"edit_{chosen}_email").value == "dana@@example.org"


def test_the_person_form_says_it_in_hebrew(app_db: str) -> None:
    at = app_as("manager", page="pages/people.py", lang="he", locality=1031)
    at.text_input(key="person_new_name").input("דנה לוי")
    at.text_input(key="person_new_email").input("dana@example")
    next(b for b in at.button if b.form_id and "person_new" in b.form_id).click().run()
    assert not at.exception, at.exception
    assert any("כתובת הדואר אינה תקינה" in str(e.value) for e in at.error)
