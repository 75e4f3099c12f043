"""From an empty production database to a working forum, in the real app and real Chromium.

`create-admin` by the CLI; the admin adds people and accounts linked to them; the manager sets the
forum up (teams, members, a focus with a manual metric), records a meeting with a decision and two
tasks and corrects its attendance; a member at phone width marks a task done with a note; the mayor
approves the plan and sees target progress and the open decision on the briefing.
Screenshots in Hebrew and English land in tests/artifacts/screenshots/ (names start "empty_").
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from employdash.db import Database
from employdash.models import Person, User
from tests.support.browser import (
    ROOT,
    app_server,
    login,
    open_page,
    screenshot,
    set_language,
    wait_idle,
)

PASSWORD = "Strong-pass-2026"
SECRET = "a-long-cookie-signing-key-for-the-e2e-run"
LOCALITY_EN, LOCALITY_HE = "Sederot", "שדרות"
TASKS = ("Book the hall for the job fair", "Draft the employer survey")


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty production database: reference data only, one admin made by the CLI."""
    path = tmp_path_factory.mktemp("empty") / "prod.db"
    url = f"sqlite:///{path}"
    env = {**os.environ, "DATABASE_URL": url, "DEMO_MODE": "false", "COOKIE_KEY": SECRET}
    run = lambda *args, stdin=None: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "employdash", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    run("prepare")
    made = run("create-admin", "boss", stdin=PASSWORD + "\n")
    assert "administrator boss created" in made.stdout
    return url


@pytest.fixture(scope="module")
def empty_server(empty_url: str) -> Iterator[str]:
    with app_server(empty_url, {"DEMO_MODE": "false", "COOKIE_KEY": SECRET}) as base:
        yield base


def _nav(page: Page, base: str, path: str, pick: bool = False) -> None:
    """Open a page by its URL (a new session: an admin picks the locality again)."""
    open_page(page, base, path)
    if pick:
        _pick_locality(page)


def _choose(page: Page, label: str, option: str) -> None:
    """Pick `option` in the visible selectbox labelled `label` (typing filters the list)."""
    box = (
        page.locator('[data-testid="stSelectbox"]:visible')
        .filter(has=page.locator("label", has_text=label))
        .first
    )
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    wait_idle(page)


def _fill(page: Page, label: str, value: str) -> None:
    field = page.get_by_role("textbox", name=label, exact=True).filter(visible=True).first
    field.fill(value)
    field.press("Tab")


def _submit(page: Page, label: str) -> None:
    page.locator('[data-testid="stFormSubmitButton"] button:visible', has_text=label).first.click()
    wait_idle(page)


def _expand(page: Page, label: str) -> None:
    page.locator('[data-testid="stExpander"] summary', has_text=label).last.click()
    wait_idle(page)


def _tab(page: Page, label: str) -> None:
    page.get_by_role("tab", name=label).click()
    wait_idle(page)


def _pick_locality(page: Page) -> None:
    rtl = page.locator(".stMain").evaluate("el => getComputedStyle(el).direction") == "rtl"
    sidebar = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    sidebar.click()
    page.keyboard.type(LOCALITY_HE if rtl else LOCALITY_EN)
    page.keyboard.press("Enter")
    wait_idle(page)


def _both_languages(page: Page, name: str) -> None:
    """A screenshot in English, then in Hebrew, then back to English."""
    screenshot(page, f"empty_{name}_en")
    set_language(page, "he")
    screenshot(page, f"empty_{name}_he")
    set_language(page, "en")


def _add_person(page: Page, name: str, organisation: str, job: str) -> None:
    _fill(page, "Full name", name)
    _fill(page, "Job title", job)
    _choose(page, "Organisation", "A new organisation")
    _fill(page, "New organisation's name", organisation)
    _submit(page, "Add a person")
    page.get_by_text(f"Saved: {name}").wait_for()


def _add_account(page: Page, username: str, full_name: str, role: str) -> None:
    _tab(page, "Add a user")
    _fill(page, "Username", username)
    _fill(page, "Full name", full_name)
    _choose(page, "Role", role)
    box = page.locator('[data-testid="stMultiSelect"]:visible').filter(has_text="Localities").first
    box.click()
    page.keyboard.type(LOCALITY_EN)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _fill(page, "Initial password", PASSWORD)
    _submit(page, "Save")
    page.get_by_text(username).first.wait_for()


def _link(page: Page, username: str, person: str) -> None:
    _tab(page, "Link to a person")
    _choose(page, "User", username)
    _choose(page, "The person this account is", person)
    _submit(page, "Link")


def test_from_an_empty_database_to_a_working_forum(
    browser: Browser, empty_server: str, empty_url: str
) -> None:
    db = Database(empty_url)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
    page = context.new_page()

    # --- the administrator: people and accounts ----------------------------------------------
    login(page, empty_server, "boss", PASSWORD)
    screenshot(page, "empty_admin_landing_he")
    set_language(page, "en")  # kept on the account from now on
    _nav(page, empty_server, "forum", pick=True)
    page.get_by_text("This locality has no employment forum yet").first.wait_for()
    _both_languages(page, "forum_admin")
    _nav(page, empty_server, "people", pick=True)
    page.get_by_text("No people in this locality yet").first.wait_for()
    screenshot(page, "empty_people_none_en")
    _add_person(page, "Noa Manager", "Employment office", "Office manager")
    _add_person(page, "Avi Member", "Sapir College", "Coordinator")
    _add_person(page, "Rina Mayor", "Municipality", "Mayor")
    _both_languages(page, "people")
    _nav(page, empty_server, "admin_users")
    _add_account(page, "noa", "Noa Manager", "Office manager")
    _add_account(page, "avi", "Avi Member", "Forum member")
    _add_account(page, "rina", "Rina Mayor", "Leadership")
    _link(page, "noa", "Noa Manager")
    _link(page, "avi", "Avi Member")
    _both_languages(page, "users_link")
    with db.transaction() as s:
        linked = dict(
            s.execute(
                select(User.username, Person.full_name).join(Person, Person.id == User.person_id)
            ).all()
        )
    assert linked == {"noa": "Noa Manager", "avi": "Avi Member"}
    context.close()
