"""Every page needs a login; each role sees exactly its pages."""

from __future__ import annotations

import pytest

from components.shell.navigation import PAGES, PageSpec, pages_for
from tests.support.apptest import app_as

EXPECTED = {
    "admin": {p.path for p in PAGES},
    "leadership": {
        "pages/briefing.py",
        "pages/explorer.py",
        "pages/forum.py",
        "pages/tasks.py",
        "pages/stakeholders.py",
        "pages/surveys.py",
        "pages/mentoring.py",
        "pages/rsvp.py",
    },
    "manager": {p.path for p in PAGES}
    - {
        "pages/admin_localities.py",
        "pages/admin_users.py",
        "pages/audit.py",
        "pages/outbox.py",
        "pages/portfolio.py",
    },
    "member": {"pages/forum.py", "pages/tasks.py", "pages/rsvp.py"},
    "programme": {
        "pages/portfolio.py",
        "pages/explorer.py",
        "pages/forum.py",
        "pages/tasks.py",
        "pages/mentoring.py",
    },
}
USER_OF_ROLE = {
    "admin": "admin",
    "leadership": "mayor",
    "manager": "manager",
    "member": "member",
    "programme": "programme",
}


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.path)
def test_visitor_sees_only_the_login_form_on_every_page(app_db: str, spec: PageSpec) -> None:
    at = app_as(None)
    with pytest.raises(Exception):  # noqa: B017 - the page is not registered for a visitor
        at.switch_page(spec.path).run()
    at = app_as(None)
    assert not at.exception
    assert [b.label for b in at.button] == ["כניסה"]
    assert len(at.text_input) == 2
    assert at.session_state["authentication_status"] is not True


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_exactly_its_pages(role: str) -> None:
    assert {p.path for p in pages_for(role)} == EXPECTED[role]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_can_open_its_pages_and_not_others(app_db: str, role: str) -> None:
    user = USER_OF_ROLE[role]
    for spec in PAGES:
        at = app_as(user)
        assert not at.exception, at.exception
        if spec.path in EXPECTED[role]:
            at.switch_page(spec.path).run()
            assert not at.exception, (spec.path, at.exception)
        else:
            with pytest.raises(Exception):  # noqa: B017 - not in this role's navigation
                at.switch_page(spec.path).run()
