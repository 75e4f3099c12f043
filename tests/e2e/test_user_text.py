"""User text is shown as typed, in a real browser, never as HTML or Markdown.

First the helper itself: a tiny Streamlit script shows hostile text through `plain` in every
Markdown-reading call and as widget labels and options, and Chromium finds no image, no link
(bare URLs, www. addresses and e-mail addresses included: Streamlit links those after escapes
are resolved) and the text as typed. Then the app: a focus description, a task title and an
organisation name written as Markdown place no image and no link on the forum and work-plan
pages.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select, update

from employdash.db import Database
from employdash.forum import structure as forum
from employdash.forum import tasks
from employdash.models import Person
from employdash.models.forum import Forum, Membership, Team
from employdash.users import load_actor
from tests.support.browser import ROOT, login, open_page, screenshot, set_language, wait_idle
from tests.support.postgres import free_port

SEDEROT = 1031
IMAGE = "![tracker](https://evil.example/pixel.png)"
LINK = "[click me](https://evil.example/phish)"
HOSTILE = (
    f"# h {IMAGE} and {LINK} www.evil.example WWW.Evil.example a@evil.example mailto:x@y.z "
    "<b>x</b> <img src=https://evil.example/i.png> **b** `c` $x$ :red[red] :material/home: "
    "Saved: 10:30"
)
PROBE = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from components.common.text import plain
HOSTILE = {HOSTILE!r}
for show in (st.markdown, st.caption, st.info, st.success, st.warning, st.error, st.write):
    show(plain(HOSTILE))
st.toast(plain(HOSTILE))
# Widgets draw their labels, help and some options as Markdown too.
st.checkbox(plain(HOSTILE))
st.button(plain(HOSTILE))
st.text_input(plain(HOSTILE))
st.radio("radio", [0], format_func=lambda _: plain(HOSTILE))
with st.expander(plain(HOSTILE), expanded=True):
    st.text("inside")
"""
SHOWN = 12  # the seven calls that write text (the toast is outside the page) and five widgets
INVISIBLE = "\u2060"


def _no_image_no_link(page: Page) -> str:
    main = page.locator(".stMain")
    assert main.locator("img").count() == 0
    links = main.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert not [h for h in hrefs if h and not h.startswith("#")], hrefs
    assert main.locator('a[href*="evil"]').count() == 0
    return main.inner_text().replace(INVISIBLE, "")


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("probe")
    (folder / "probe.py").write_text(PROBE, encoding="utf-8")
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "probe.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    proc = subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_plain_shows_hostile_text_literally_in_every_call(probe: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        page.goto(probe)
        wait_idle(page, 60_000)
        text = _no_image_no_link(page)
        assert text.count(HOSTILE) == SHOWN, text
        screenshot(page, "user_text_plain_probe")
    finally:
        page.close()


def _hostile_records(db: Database) -> None:
    manager = load_actor(db, "manager")
    assert manager is not None
    forum.create_focus(db, manager, SEDEROT, f"# Focus **bold** {LINK}", f"{IMAGE} and {LINK}")
    tasks.create_task(db, manager, SEDEROT, {"title": f"Task {IMAGE} <b>x</b>"})


def _pick_sederot(page: Page) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    rtl = page.locator(".stMain").evaluate("el => getComputedStyle(el).direction") == "rtl"
    page.keyboard.type("שדרות" if rtl else "Sderot")
    page.keyboard.press("Enter")
    wait_idle(page)


def test_markdown_in_user_text_is_shown_literally(
    page: Page, server: str, e2e_db: Database
) -> None:
    _hostile_records(e2e_db)
    login(page, server, "manager")
    for lang in ("he", "en"):
        if lang == "en":
            set_language(page, "en")
        open_page(page, server, "forum")
        _pick_sederot(page)
        page.get_by_text("click me").first.wait_for()
        assert f"{IMAGE} and {LINK}" in _no_image_no_link(page)
        page.get_by_text("click me").first.scroll_into_view_if_needed()
        screenshot(page, f"user_text_forum_{lang}")
        open_page(page, server, "tasks")
        _pick_sederot(page)
        page.get_by_text("tracker").first.wait_for()
        assert f"Task {IMAGE} <b>x</b>" in _no_image_no_link(page)
        screenshot(page, f"user_text_tasks_{lang}")


def test_a_name_written_as_markdown_is_a_plain_checkbox_label(
    page: Page, server: str, e2e_db: Database
) -> None:
    """The meeting form's attendance draws each member's name as a checkbox label."""
    with e2e_db.transaction() as s:
        person_id = s.execute(
            select(Membership.person_id)
            .join(Team, Team.id == Membership.team_id)
            .join(Forum, Forum.id == Team.forum_id)
            .where(Forum.locality_code == SEDEROT, Membership.ended_on.is_(None))
            .order_by(Membership.id)
            .limit(1)
        ).scalar_one()
        name = s.get_one(Person, person_id).full_name
        s.execute(update(Person).where(Person.id == person_id).values(full_name=f"Dana {IMAGE}"))
    try:
        login(page, server, "manager")
        for lang in ("he", "en"):
            if lang == "en":
                set_language(page, "en")
            open_page(page, server, "meeting")
            _pick_sederot(page)
            label = page.locator('[data-testid="stCheckbox"]').filter(has_text="tracker").first
            label.wait_for()
            assert f"Dana {IMAGE}" in label.inner_text().replace(INVISIBLE, "")
            _no_image_no_link(page)
            label.scroll_into_view_if_needed()
            screenshot(page, f"user_text_attendance_{lang}")
    finally:  # the other browser tests meet the demo data as it was
        with e2e_db.transaction() as s:
            s.execute(update(Person).where(Person.id == person_id).values(full_name=name))
