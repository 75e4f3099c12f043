"""The empty briefing and forum pages say what to do next, in order, with a link to each step the
reader may do and who does the others; on the demo's Sederot, where everything is done, nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from components.briefing.next_steps import STEP_PAGES
from components.shell.navigation import PAGES
from employdash import users
from employdash.access import ADMIN, MANAGER, Action, allows
from employdash.briefing.next_steps import STEPS
from employdash.db import get_database
from employdash.i18n import t
from employdash.models import Locality
from tests.app.accounts import demo_actor
from tests.app.widgets import widgets
from tests.support.apptest import app_as, production_install, reset_caches, texts

SEDEROT = 1031
BRIEFING, FORUM = "pages/briefing.py", "pages/forum.py"
PASSWORD = "Strong-pass-2026"


@pytest.fixture
def new_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A production database on its first day: the catalogue, Sederot enabled, the administrator
    `boss` and the mayor `rina`; nothing else."""
    db = production_install(tmp_path, monkeypatch, "boss", PASSWORD)
    with db.transaction() as s:
        s.execute(update(Locality).values(is_program=Locality.code == SEDEROT))
    boss = demo_actor(db, "boss")
    assert boss is not None
    users.create_user(
        db, boss, users.UserForm("rina", "Rina", "leadership", (SEDEROT,), None, PASSWORD)
    )
    yield db.url
    reset_caches()


def step_links(at: AppTest) -> list[tuple[str, str]]:
    """The checklist's links (the menu's are page titles; the steps are numbered)."""
    return [
        (el.proto.label, el.proto.page)
        for el in at.get("page_link")
        if el.proto.label[:1].isdigit()
    ]


def checklist_title(at: AppTest) -> list[str]:
    return [e.label for e in at.expander if e.label.startswith(("Getting started", "צעדים"))]


def label(n: int, step: str, lang: str) -> str:
    return f"{n}. {t('next.step.' + step, lang)}"


def url(step: str) -> str:
    """Where a step's link goes: its page's URL path (the script's name)."""
    return Path(STEP_PAGES[step]).stem


def _spec_allows(role: str, step: str) -> bool:
    spec = next(p for p in PAGES if p.path == STEP_PAGES[step])
    return allows(role, spec.area, Action.WRITE)


@pytest.mark.parametrize("page", [BRIEFING, FORUM])
@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_administrator_gets_a_link_to_every_step_left(
    new_install: str, page: str, lang: str
) -> None:
    at = app_as("boss", page, lang=lang, locality=SEDEROT)
    assert not at.exception, at.exception
    assert checklist_title(at) == [t("next.title", lang, done=1, total=len(STEPS))]
    shown = texts(at)
    assert t("next.done", lang, step=label(1, "locality", lang)) in shown
    assert step_links(at) == [
        (label(n, step, lang), url(step))
        for n, step in enumerate(STEPS, start=1)
        if step != "locality"
    ]


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_mayor_is_told_who_does_each_step(new_install: str, lang: str) -> None:
    at = app_as("rina", BRIEFING, lang=lang, locality=SEDEROT)
    assert not at.exception, at.exception
    assert step_links(at) == []  # no page a mayor cannot open
    shown = texts(at)
    for n, step in enumerate(STEPS[1:], start=2):
        doer = MANAGER if _spec_allows(MANAGER, step) else ADMIN
        who = t(f"next.who.{doer}", lang)
        assert t("next.by", lang, step=label(n, step, lang), who=who) in shown
    assert t("next.who.manager", lang) in shown and t("next.who.admin", lang) in shown
    assert [b.label for b in widgets(at, "download_button")] == [t("brief.download_pdf", lang)]


def test_the_forum_page_keeps_its_set_up_form_below_the_list(new_install: str) -> None:
    at = app_as("boss", FORUM, lang="en", locality=SEDEROT)
    assert checklist_title(at) and at.expander[0].proto.expanded
    assert "This locality has no employment forum yet. Set it up here" in texts(at)


def test_with_no_locality_enabled_the_first_step_is_to_enable_one(new_install: str) -> None:
    db = get_database(new_install)
    with db.transaction() as s:
        s.execute(update(Locality).values(is_program=False))
    for page in (BRIEFING, FORUM):
        at = app_as("boss", page, lang="en")
        assert not at.exception, at.exception
        assert checklist_title(at) == [t("next.title", "en", done=0, total=len(STEPS))]
        assert step_links(at)[0] == (label(1, "locality", "en"), url("locality"))


@pytest.mark.parametrize(("user", "page"), [("mayor", BRIEFING), ("manager", FORUM)])
def test_nothing_to_do_on_the_demo_locality(app_db: str, user: str, page: str) -> None:
    at = app_as(user, page, lang="en", locality=SEDEROT)
    assert not at.exception, at.exception
    assert checklist_title(at) == [] and step_links(at) == []
    assert "Getting started" not in texts(at)


@pytest.mark.parametrize("page", sorted(str(p) for p in Path("pages").glob("*.py")))
def test_with_no_locality_enabled_every_page_says_so_or_works(new_install: str, page: str) -> None:
    """Before the first locality is enabled, a page that needs one says there is none."""
    db = get_database(new_install)
    with db.transaction() as s:
        s.execute(update(Locality).values(is_program=False))
    at = app_as("boss", page, lang="en")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
