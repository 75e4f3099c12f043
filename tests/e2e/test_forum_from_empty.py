"""From an empty production database to a working forum, in the real app and real Chromium.

The README's install (migrate, `create-admin` with the password typed twice, Sederot enabled); the
admin adds people and accounts linked to them; the manager sets the forum up (teams, members, a
focus with a manual metric), records a meeting with a decision and two tasks and corrects its
attendance and downloads the minutes, which say they were corrected; a member at phone width marks
a task done with a note; the mayor approves the plan, sees target progress and the open decision on
the briefing and downloads its PDF, which says no indicators have been imported yet.
Screenshots in Hebrew and English land in tests/artifacts/screenshots/ (names start "empty_").
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pypdf import PdfReader
from sqlalchemy import select

from employdash.db import Database
from employdash.i18n import fmt_date, t
from employdash.models import Person, User
from employdash.models.forum import Attendance, Decision, Meeting, PlanApproval, Task, TaskNote
from tests.support.browser import (
    app_server,
    login,
    open_page,
    screenshot,
    set_language,
    wait_idle,
)
from tests.support.install import environment, readme_install, run_setup

PASSWORD = "Strong-pass-2026"
ADMIN = "admin"  # the username the README's create-admin makes
SECRET = secrets.token_urlsafe(32)  # outside demo mode a weak key is refused
LOCALITY_EN, LOCALITY_HE = "Sederot", "שדרות"
TASKS = ("Book the hall for the job fair", "Draft the employer survey")


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty production database set up as the README says (tests/support/install.py): the
    schema and reference data, the admin made by the CLI, Sederot enabled."""
    url = f"sqlite:///{tmp_path_factory.mktemp('empty') / 'prod.db'}"
    install = readme_install()
    assert install.admin() == ADMIN
    env = {**environment(install, url), "COOKIE_KEY": SECRET}
    printed = "".join(run_setup(install, env, PASSWORD))
    assert f"administrator {ADMIN} created" in printed and "1031: enabled" in printed
    return url


@pytest.fixture(scope="module")
def empty_server(empty_url: str) -> Iterator[str]:
    with app_server(empty_url, {"DEMO_MODE": "false", "COOKIE_KEY": SECRET}) as base:
        yield base


def _login(page: Page, base: str, username: str) -> None:
    """Log in, trying again when a loaded machine lets the first page time out."""
    for attempt in range(3):
        try:
            login(page, base, username, PASSWORD)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.wait_for_timeout(3000)


def _nav(page: Page, base: str, path: str, pick: bool = False) -> None:
    """Open a page by its URL (a new session: an admin picks the locality again)."""
    open_page(page, base, path)
    if pick:
        _pick_locality(page)


def _label(page: Page, label: str) -> Locator:
    """A widget's label containing `label` (a regular expression here matched nothing)."""
    return page.locator('[data-testid="stWidgetLabel"]', has_text=label)


def _choose(page: Page, label: str, option: str) -> None:
    """Pick `option` in the visible selectbox labelled `label` (typing filters the list)."""
    box = (
        page.locator('[data-testid="stSelectbox"]')
        .filter(visible=True)
        .filter(has=_label(page, label))
        .first
    )
    try:
        box.click(timeout=15_000)
    except PlaywrightTimeout:
        screenshot(page, "debug_choose")
        raise
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    wait_idle(page)


def _field_of(page: Page, label: str) -> Locator:
    return (
        page.locator(
            '[data-testid="stTextInput"], [data-testid="stTextArea"], [data-testid="stNumberInput"]'
        )
        .filter(visible=True)
        .filter(has=_label(page, label))
        .locator("input, textarea")
        .first
    )


def _field(page: Page, label: str) -> Locator:
    return (
        page.locator('[data-testid="stTextInput"], [data-testid="stTextArea"]')
        .filter(visible=True)
        .filter(has=_label(page, label))
        .locator("input, textarea")
        .first
    )


def _same(shown: str, typed: str) -> bool:
    """The field shows what was typed (a number field shows 40 as "40.00")."""
    try:
        return shown == typed or float(shown) == float(typed)
    except ValueError:
        return False


def _fill(page: Page, label: str, value: str) -> None:
    field = (
        page.locator(
            '[data-testid="stTextInput"], [data-testid="stTextArea"], [data-testid="stNumberInput"]'
        )
        .filter(visible=True)
        .filter(has=_label(page, label))
        .locator("input, textarea")
        .first
    )
    for _ in range(3):
        try:
            field.fill(value, timeout=15_000)
        except PlaywrightTimeout:
            screenshot(page, "debug_fill")
            raise
        field.press("Tab")
        wait_idle(page)
        if _same(_field_of(page, label).input_value(), value):
            return  # still there after any rerun under way
    raise AssertionError(f"{label!r} did not keep {value!r}")


def _submit(page: Page, label: str, form_of: str | None = None) -> None:
    """Click the submit button `label`; with `form_of`, the one of the form holding the field
    labelled `form_of` (forms stay open after a save, so several "Save" buttons show)."""
    scope = page.locator('[data-testid="stForm"]').filter(visible=True)
    if form_of:
        scope = scope.filter(has=_label(page, form_of))
    button = scope.locator('[data-testid="stFormSubmitButton"] button', has_text=label)
    button.filter(visible=True).first.click()
    wait_idle(page)
    # A save reruns the page (st.rerun) and draws the form anew for the next entry: let that
    # second run finish too, or the next field typed in may be the old form's.
    page.wait_for_timeout(700)
    wait_idle(page)


def _expand(page: Page, label: str) -> None:
    """Open the expander `label` (left as it is when a save kept it open)."""
    expander = page.locator('[data-testid="stExpander"] details').filter(visible=True)
    expander = expander.filter(has=page.locator("summary", has_text=label)).last
    try:
        expander.wait_for(timeout=15_000)
    except PlaywrightTimeout:
        screenshot(page, "debug_expand")
        raise
    if expander.get_attribute("open") is None:
        expander.locator("summary").first.click()
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


def _both_languages(page: Page, name: str, tab_he: str = "", expand_he: str = "") -> None:
    """A screenshot in English, then in Hebrew, then back to English. A switch of language
    opens the first tab again: `tab_he` and `expand_he` bring the Hebrew view back to the same
    place."""
    screenshot(page, f"empty_{name}_en")
    set_language(page, "he")
    if tab_he:
        _tab(page, tab_he)
    if expand_he:
        _expand(page, expand_he)
    screenshot(page, f"empty_{name}_he")
    set_language(page, "en")


def _add_person(page: Page, name: str, organisation: str, job: str) -> None:
    # The form starts open on an empty register and stays open while people are being added.
    _expand(page, "Add a person")
    _fill(page, "Full name", name)
    # (the job title is left out: the search box's label also contains "job title")
    _choose(page, "Organisation", "A new organisation")
    _fill(page, "New organisation's name", organisation)
    _submit(page, "Add a person")
    page.get_by_text(f"Saved: {name}").wait_for()


def _add_account(page: Page, username: str, full_name: str, role: str) -> None:
    """An account for a person already in the register, picked in the same form."""
    _tab(page, "Add a user")
    _fill(page, "Username", username)
    _fill(page, "Full name", full_name)
    _choose(page, "Role", role)
    box = page.locator('[data-testid="stMultiSelect"]').filter(visible=True)
    box = box.filter(has=_label(page, "Localities")).first
    box.click()
    page.keyboard.type(LOCALITY_EN)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _fill(page, "Initial password", PASSWORD)
    _choose(page, "The person this account is", full_name)
    _submit(page, "Save")
    page.get_by_text(f"User {username} added.").first.wait_for()


def _download(page: Page, label: str) -> str:
    """Click the download button `label` and return the text of the PDF it gives."""
    button = page.get_by_role("button", name=label).first
    expect(button).to_be_enabled(timeout=30_000)
    with page.expect_download(timeout=90_000) as download:
        button.click()
    path = download.value.path()
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_from_an_empty_database_to_a_working_forum(
    browser: Browser, empty_server: str, empty_url: str
) -> None:
    db = Database(empty_url)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
    page = context.new_page()

    # --- the administrator: people and accounts ----------------------------------------------
    _login(page, empty_server, ADMIN)
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
    _nav(page, empty_server, "admin_users", pick=True)  # the people of the forum's locality
    _add_account(page, "noa", "Noa Manager", "Office manager")
    _add_account(page, "avi", "Avi Member", "Forum member")
    _add_account(page, "rina", "Rina Mayor", "Leadership")
    _both_languages(page, "users_link")
    with db.transaction() as s:
        linked = dict(
            s.execute(
                select(User.username, Person.full_name).join(Person, Person.id == User.person_id)
            ).all()
        )
    assert linked == {"noa": "Noa Manager", "avi": "Avi Member", "rina": "Rina Mayor"}
    context.close()

    # --- the manager: forum, teams, members, a focus with a manual metric, a meeting ----------
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="he-IL", accept_downloads=True
    )
    page = context.new_page()
    _login(page, empty_server, "noa")
    set_language(page, "en")
    _nav(page, empty_server, "forum")
    _submit(page, "Set up the forum")
    page.get_by_text("The forum was set up").wait_for()
    _tab(page, "Set-up")
    _fill(page, "Team name", "Youth employment team")
    _choose(page, "Kind of team", "Task team")
    _choose(page, "Team lead", "Noa Manager")
    _submit(page, "Add the team")
    page.get_by_text("The team was added").wait_for()
    _tab(page, "Teams and members")
    for person in ("Noa Manager", "Avi Member", "Rina Mayor"):
        _expand(page, "Add a member to a team")
        _choose(page, "Name", person)
        _submit(page, "Save", form_of="Role")
        try:
            page.get_by_text("The member was added to the team").wait_for()
        except PlaywrightTimeout:
            screenshot(page, "debug_member")
            raise
    _tab(page, "Focuses and metrics")
    _expand(page, "New strategic focus")
    _fill(page, "Focus title", "Youth into work")
    _submit(page, "Save", form_of="Focus title")
    _tab(page, "Focuses and metrics")
    _expand(page, "A manual metric (values entered per period)")
    _fill(page, "Metric name", "Young people placed")
    _fill(page, "Baseline", "0")
    _fill(page, "Target", "100")
    _submit(page, "Save", form_of="Metric name")
    _tab(page, "Focuses and metrics")
    _expand(page, "Enter a manual metric's value")
    _fill(page, "Value", "40")
    _submit(page, "Save", form_of="Value")
    _tab(page, "Focuses and metrics")
    _both_languages(page, "forum_focuses")

    _nav(page, empty_server, "meeting")
    for name in ("Noa Manager", "Avi Member"):  # Rina is absent
        page.locator('[data-testid="stCheckbox"]', has_text=name).click()
        wait_idle(page)
    _fill(page, "Decisions and outputs", "Hold a youth job fair in the spring")
    for title in TASKS:
        # The add row is drawn anew after each add; a rerun still under way can replace the
        # field just typed in, so check the title is still there before adding (as `login` does).
        for _ in range(3):
            _fill(page, "Task", title)
            _choose(page, "Owner", "Avi Member")
            typed = _field(page, "Task").input_value()
            if typed == title:
                break
            wait_idle(page)
        _submit(page, "Add")
    _both_languages(page, "meeting_form")
    page.get_by_role("button", name="Save the meeting record").click()
    wait_idle(page)
    page.get_by_text("The meeting is saved").wait_for()
    with db.transaction() as s:
        meeting_id = s.scalar(select(Meeting.id))
        tasks = s.scalars(select(Task).where(Task.meeting_id == meeting_id)).all()
        absent = s.scalars(
            select(Person.full_name)
            .join(Attendance, Attendance.person_id == Person.id)
            .where(Attendance.present.is_(False))
        ).all()
    assert sorted(t.title for t in tasks) == sorted(TASKS) and absent == ["Rina Mayor"]

    # the attendance was wrong: Rina came after all
    _nav(page, empty_server, "forum")
    _tab(page, "Meetings and minutes")
    _expand(page, "Correct the meeting")
    present = page.locator('[data-testid="stMultiSelect"]').filter(visible=True)
    present = present.filter(has=_label(page, "Present")).first
    present.click()
    page.keyboard.type("Rina")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _submit(page, "Save", form_of="Present")
    page.get_by_text("The meeting was corrected").wait_for()
    _tab(page, "Meetings and minutes")
    _expand(page, "Read the minutes")
    _both_languages(page, "meeting_corrected", "מפגשים וסיכומים", "הצגת הסיכום")
    with db.transaction() as s:
        assert all(a.present for a in s.scalars(select(Attendance)))
    today = fmt_date(datetime.now(UTC).date(), "en")
    _tab(page, "Meetings and minutes")  # a switch of language opened the first tab
    minutes = _download(page, t("meet.minutes.pdf_en", "en"))
    assert f"corrected on {today}" in minutes and "Rina Mayor" in minutes
    assert "Hold a youth job fair in the spring" in minutes and TASKS[0] in minutes
    assert today in _download(page, t("meet.minutes.pdf_he", "en"))
    context.close()

    # --- the member, on a phone: marks a task done with a note --------------------------------
    phone = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
    mobile = phone.new_page()
    _login(mobile, empty_server, "avi")  # lands on "my tasks", in Hebrew
    mobile.set_viewport_size({"width": 390, "height": 844})
    wait_idle(mobile)
    card = mobile.get_by_text(TASKS[0]).first.locator(
        'xpath=ancestor::div[@data-testid="stVerticalBlock"][1]'
    )
    card.scroll_into_view_if_needed()
    screenshot(mobile, "empty_member_phone_he")
    card.locator("input").first.fill("The hall is booked for 3 March")
    card.get_by_text("הושלמה").click()
    wait_idle(mobile)
    screenshot(mobile, "empty_member_done_phone_he")
    phone.close()
    with db.transaction() as s:
        done = s.scalars(select(Task).where(Task.title == TASKS[0])).one()
        notes = s.scalars(select(TaskNote.body).where(TaskNote.task_id == done.id)).all()
    assert (done.status, done.progress) == ("done", 100)
    assert notes == ["The hall is booked for 3 March"]

    # --- the mayor: approves the plan, sees target progress and the open decision -------------
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="he-IL", accept_downloads=True
    )
    page = context.new_page()
    _login(page, empty_server, "rina")
    set_language(page, "en")
    _expand(page, "Approve the work plan")
    _fill(page, "Note (optional)", "Approved at the council meeting")
    _submit(page, "Approve the plan")
    page.get_by_text("Work plan approved on").wait_for()
    page.get_by_text("Youth into work: 40%").wait_for()
    page.get_by_text("Hold a youth job fair in the spring").wait_for()
    _both_languages(page, "briefing_mayor")
    with db.transaction() as s:
        assert s.scalar(select(PlanApproval.approved_by)) == "Rina Mayor"
        assert s.scalar(select(Decision.is_open)) is True
    briefing = _download(page, t("brief.download_pdf", "en"))
    assert t("brief.no_data", "en") in " ".join(briefing.split())
    assert "Hold a youth job fair in the spring" in briefing
    context.close()
    db.dispose()
