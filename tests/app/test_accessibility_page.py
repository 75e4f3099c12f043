"""The accessibility statement: open to visitors and every role, in Hebrew and English."""

from __future__ import annotations

import pytest

from tests.support.apptest import app_as, reset_caches, texts


def test_visitor_reads_the_statement_from_the_login_page(app_db: str) -> None:
    at = app_as(None)
    at.switch_page("pages/accessibility.py").run()
    assert not at.exception
    shown = texts(at)
    assert "הצהרת נגישות" in shown and "5568" in shown and "WCAG 2.0" in shown
    # No contact configured: the catalogue's default names whom to ask, never a made-up address.
    assert "רכז/ת הנגישות של הרשות המקומית, דרך המוקד העירוני 106" in shown


def test_login_page_links_to_the_statement(app_db: str) -> None:
    at = app_as(None)
    links = [(el.proto.label, el.proto.page) for el in at.get("page_link")]
    assert any(label == "הצהרת נגישות" and "accessibility" in page for label, page in links), links


def test_configured_contact_is_shown_as_written(
    app_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCESSIBILITY_CONTACT", "Dana Levi, 08-1234567, *a11y*@city.example")
    reset_caches()
    at = app_as("member", page="pages/accessibility.py", lang="en")
    assert not at.exception
    assert "Dana Levi, 08-1234567, *a11y*@city.example" in texts(at)


@pytest.mark.parametrize(("user", "lang"), [("member", "en"), ("mayor", "he")])
def test_every_role_reaches_the_statement(app_db: str, user: str, lang: str) -> None:
    at = app_as(user, page="pages/accessibility.py", lang=lang)
    assert not at.exception
    shown = texts(at)
    assert ("Accessibility statement" if lang == "en" else "הצהרת נגישות") in shown
    assert ("Known limitations" if lang == "en" else "מה ידוע שעדיין אינו נגיש במלואו") in shown
    assert ("Accessibility contact" if lang == "en" else "פנייה בנושא נגישות") in shown


def test_form_errors_fill_in_a_limit_in_the_users_language(app_db: str) -> None:
    """A field message with a placeholder (a length limit) is shown with the limit filled in."""
    from streamlit.testing.v1 import AppTest

    def form() -> None:
        import streamlit as st

        from components.common.form_feedback import FormFeedback
        from employdash.errors import ValidationError

        st.session_state["lang"] = "en"
        feedback = FormFeedback()
        st.text_input("Name")
        feedback.field("name", "Name")
        feedback.show(
            ValidationError({"name": "validation.too_long_max"}, field_params={"name": {"max": 80}})
        )

    at = AppTest.from_function(form).run()
    assert not at.exception, at.exception
    shown = [str(e.value) for e in at.error]
    assert "80" in shown[1] and "{" not in "".join(shown), shown
