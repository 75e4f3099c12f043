"""The accessibility statement: open to visitors and every role, in Hebrew and English."""

from __future__ import annotations

import pytest

from tests.support.apptest import app_as, texts


def test_visitor_reads_the_statement_from_the_login_page(app_db: str) -> None:
    at = app_as(None)
    at.switch_page("pages/accessibility.py").run()
    assert not at.exception
    shown = texts(at)
    assert "הצהרת נגישות" in shown and "5568" in shown and "WCAG 2.0" in shown
    assert "accessibility@municipality.example" in shown


@pytest.mark.parametrize(("user", "lang"), [("member", "en"), ("mayor", "he")])
def test_every_role_reaches_the_statement(app_db: str, user: str, lang: str) -> None:
    at = app_as(user, page="pages/accessibility.py", lang=lang)
    assert not at.exception
    shown = texts(at)
    assert ("Accessibility statement" if lang == "en" else "הצהרת נגישות") in shown
    assert ("Known limitations" if lang == "en" else "מה ידוע שעדיין אינו נגיש במלואו") in shown
