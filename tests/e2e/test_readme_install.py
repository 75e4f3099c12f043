"""The README's production install, word for word, on an empty SQLite file and on an empty
PostgreSQL database: its commands are read from README.md (tests/support/install.py), run in
order (the admin's password typed twice), the app is started with its start command, and the
administrator logs in with Chromium and finds the enabled locality in the picker and on the Users
page. Screenshots of the localities page in Hebrew and English (names start "install_")."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import app_server, login, open_page, screenshot, set_language, wait_idle
from tests.support.install import (
    Install,
    empty_database,
    environment,
    readme_install,
    run_setup,
)

PASSWORD = "Strong-pass-2026"
PORT = "8501"  # the README's port; the test serves on a free one


@pytest.fixture(params=["sqlite", "pg"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from empty_database(request, tmp_path)


def _start_command(install: Install) -> list[str]:
    argv = shlex.split(install.start)
    assert argv[:3] == [".venv/bin/streamlit", "run", "serve.py"], install.start
    assert argv.count(PORT) == 1, install.start
    return [arg if arg != PORT else "{port}" for arg in argv]


def test_the_readme_commands_are_the_whole_install() -> None:
    install = readme_install()
    assert set(install.settings) == {"DATABASE_URL", "DEMO_MODE", "COOKIE_KEY"}
    assert install.settings["DEMO_MODE"] == "false"
    assert install.commands[0] == "make migrate"
    assert install.commands[1].endswith(f"create-admin {install.admin()}")
    assert any(" localities enable " in c for c in install.commands)
    _start_command(install)


def _sees_the_locality(page: Page, name: str) -> None:
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    expect(picker.get_by_role("combobox")).to_have_value(name, timeout=30_000)


def test_the_readme_install_leads_to_an_admin_who_sees_the_locality(
    browser: Browser, empty_url: str
) -> None:
    install = readme_install()
    env = environment(install, empty_url)
    printed = "".join(run_setup(install, env, PASSWORD))
    assert "schema up to date; reference data: 1228 localities added" in printed
    assert f"administrator {install.admin()} created" in printed
    assert "1031: enabled" in printed

    served = {"DEMO_MODE": env["DEMO_MODE"], "COOKIE_KEY": env["COOKIE_KEY"]}
    with app_server(empty_url, served, command=_start_command(install)) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
        page = context.new_page()
        login(page, base, install.admin(), PASSWORD)
        _sees_the_locality(page, "שדרות")
        set_language(page, "en")
        _sees_the_locality(page, "Sederot")

        open_page(page, base, "admin_users")
        scope = page.locator('[data-testid="stMultiSelect"]').filter(visible=True).first
        scope.click()
        page.get_by_role("option", name="Sederot").wait_for(timeout=15_000)
        page.keyboard.press("Escape")

        open_page(page, base, "admin_localities")
        page.get_by_text("Enabled localities (1)").wait_for()
        page.get_by_label("Search by name (Hebrew or English) or CBS code").fill("Netivot")
        page.keyboard.press("Enter")
        wait_idle(page)
        page.get_by_role("button", name="Enable Netivot").wait_for()
        if empty_url.startswith("sqlite"):
            screenshot(page, "install_localities_en")
            set_language(page, "he")
            page.get_by_text("יישובים פעילים (1)").wait_for()
            screenshot(page, "install_localities_he")
        context.close()
