"""In real Chromium: a manager adds a stakeholder, moves it to another quadrant through the grid
table, and the grid, the database and the audit log show it; screenshots in Hebrew and English."""

from __future__ import annotations

from playwright.sync_api import Error, FloatRect, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from employdash.db import Database
from employdash.models import AuditEntry, Organisation
from employdash.models.stakeholders import Stakeholder
from tests.support.browser import login, open_page, screenshot, set_language, submit, wait_idle

NAME = "Alpha Youth Hub"  # Latin letters sort before Hebrew: the first row of the grid table
NETIVOT = 246  # the manager's first locality in Hebrew order, chosen by default
HEADER_H, ROW_H = 36, 35


def _login(page: Page, server: str, username: str) -> None:
    """The shared login, retried once: under load the login form is sometimes drawn twice for
    a moment, and the helper's strict locator then refuses to type."""
    try:
        login(page, server, username)
    except Error:
        page.wait_for_timeout(1000)
        login(page, server, username)


def _stakeholder(db: Database) -> Stakeholder | None:
    with db.transaction() as s:
        return s.scalar(
            select(Stakeholder)
            .join(Organisation, Organisation.id == Stakeholder.organisation_id)
            .where(Organisation.name == NAME)
        )


def _set_first_power(page: Page, canvas: FloatRect, power: str) -> None:
    """Type into the first row's power cell (the narrow first column: the grid stays left to
    right) and commit with Tab. The grid ignores a click without a hover first, and the commit
    reruns the script, so wait for it."""
    x, y = canvas["x"] + 45, canvas["y"] + HEADER_H + ROW_H / 2
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.keyboard.type(power)
    page.wait_for_timeout(200)
    page.keyboard.press("Tab")
    page.wait_for_timeout(1500)


def test_manager_adds_and_moves_a_stakeholder(page: Page, server: str, e2e_db: Database) -> None:
    _login(page, server, "manager")
    open_page(page, server, "stakeholders")
    expect(page.get_by_text("נתיבות").first).to_be_visible()
    page.get_by_role("tab", name="מרשם בעלי עניין").click()
    page.get_by_text("הוספת בעל עניין").click()
    page.get_by_label("שם הארגון החדש").fill(NAME)
    page.keyboard.press("Tab")
    submit(page, "הוספה", "בעל העניין נוסף.")
    added = _stakeholder(e2e_db)
    assert added is not None and added.locality_code == NETIVOT
    assert (added.power, added.interest) == (3, 3)  # quadrant A

    page.get_by_role("tab", name="מפת כוח–עניין").click()
    wait_idle(page)
    editor = page.locator('[data-testid="stDataFrame"]').filter(visible=True).first
    canvas = editor.locator("canvas").first.bounding_box()
    assert canvas is not None
    # Enabled only once the grid holds a change; a rerun under way can briefly show the tab's
    # previous (disabled) copy next to the new one.
    save = page.get_by_role("button", name="שמירת השינויים במפה", disabled=False)
    for _ in range(3):  # under load the grid sometimes drops the first click: try again
        _set_first_power(page, canvas, "1")
        wait_idle(page)
        try:
            # Only an edit that did not take is typed again: typed into the changed cell's
            # editor, "1" would follow the "1" already there ("11", kept as the top, 5).
            save.first.wait_for(timeout=15_000)
            break
        except PlaywrightTimeout:
            continue
    save.first.click()
    page.get_by_text("נשמר: 1 בעלי עניין הוזזו.").wait_for(timeout=30_000)
    wait_idle(page)
    moved = _stakeholder(e2e_db)
    assert moved is not None
    assert (moved.power, moved.interest, moved.version) == (1, 3, 2)  # quadrant C
    with e2e_db.transaction() as s:
        entry = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "stakeholder",
                AuditEntry.entity_id == str(moved.id),
                AuditEntry.action == "move",
            )
        ).one()
    assert entry.username == "manager" and entry.locality_code == NETIVOT
    assert (entry.before, entry.after) == ({"power": 3}, {"power": 1})  # what changed
    # the grid is redrawn from the saved data: every stakeholder, this one now in quadrant C
    with e2e_db.transaction() as s:
        count = len(
            s.scalars(select(Stakeholder.id).where(Stakeholder.locality_code == NETIVOT)).all()
        )
    assert page.locator('[data-testid="stVegaLiteChart"]').filter(visible=True).count() >= 1
    expect(page.get_by_text(f"מוצגים {count} בעלי עניין")).to_be_visible()
    screenshot(page, "stakeholders_grid_he")

    set_language(page, "en")
    page.get_by_role("tab", name="Power × interest").click()
    wait_idle(page)
    screenshot(page, "stakeholders_grid_en")
    page.get_by_role("tab", name="Network").click()
    wait_idle(page)
    screenshot(page, "stakeholders_network_en")
    page.get_by_role("tab", name="Coverage and follow-up").click()
    wait_idle(page)
    screenshot(page, "stakeholders_coverage_en")


def test_survey_and_network_pages_in_both_languages(page: Page, server: str) -> None:
    _login(page, server, "manager")
    set_language(page, "he")  # the language is remembered per user: the other test left English
    open_page(page, server, "surveys")
    expect(page.get_by_text("מעסיקים שהשיבו").first).to_be_visible()
    screenshot(page, "surveys_summary_he")
    page.get_by_role("tab", name="מיפוי ארגונים").click()
    wait_idle(page)
    screenshot(page, "surveys_organisations_he")
    open_page(page, server, "stakeholders")
    page.get_by_role("tab", name="רשת קשרים").click()
    wait_idle(page)
    screenshot(page, "stakeholders_network_he")
    set_language(page, "en")
    open_page(page, server, "surveys")
    expect(page.get_by_text("Employers responding").first).to_be_visible()
    screenshot(page, "surveys_summary_en")
