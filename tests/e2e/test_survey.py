"""In real Chromium: a manager enters an employer's response to the survey answering every
question of annex 2 (in Hebrew), corrects it (in English) and sees it in the summary; the
database holds what was typed; screenshots of the form and the summary in both languages."""

from __future__ import annotations

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from employdash.db import Database
from employdash.i18n import fmt_number, t
from employdash.stakeholders import surveys
from employdash.users import load_actor
from tests.e2e.test_mentoring import patient_login
from tests.support.browser import screenshot, wait_idle

COMPANY = "Annex Two Metalworks"
NETIVOT = 246  # the manager's first locality in Hebrew order, chosen by default


def idle(page: Page) -> None:
    """wait_idle with room for a machine shared by several test runs."""
    wait_idle(page, timeout=120_000)


def _radio(scope: Locator, label: str, option: str) -> None:
    group = scope.locator('[data-testid="stRadio"]').filter(has_text=label).first
    group.get_by_text(option, exact=True).click()


def _select(page: Page, scope: Locator, label: str, option: str) -> None:
    """Open the select box labelled `label` and pick the option that holds `option`."""
    box = scope.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    choice = page.get_by_role("option", name=option).first
    for _ in range(3):  # a click landing during a rerun does not open the list: again
        box.locator("input").first.click()
        try:
            choice.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            idle(page)
    choice.click()


def _metric(page: Page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


# The grid's header and row heights, its row-marker column and its two narrow columns' width.
HEADER_H, ROW_H, MARKER_W, COLUMN_W = 36, 35, 32, 236


def _type_cell(page: Page, x: float, y: float, text: str) -> None:
    """Type into the grid cell at (x, y) and commit. The grid ignores a click without a hover
    first; a second click on the selected cell opens its editor."""
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    page.keyboard.type(text)
    page.wait_for_timeout(200)
    page.keyboard.press("Enter")
    page.wait_for_timeout(800)


def _add_position(page: Page, form: Locator, profession: str, count: str) -> None:
    """One row in the open-positions grid (left to right, as every grid): its toolbar's "add
    row", then the profession and count cells of that first row."""
    grid = form.locator('[data-testid="stDataFrame"]').first
    grid.hover()
    # The grid's scroller lies over its toolbar: click the button itself.
    form.get_by_role("button", name="Add row").first.dispatch_event("click")
    page.wait_for_timeout(800)
    page.keyboard.press("Escape")
    box = grid.locator("canvas").first.bounding_box()
    assert box is not None
    y = box["y"] + HEADER_H + ROW_H / 2
    _type_cell(page, box["x"] + MARKER_W + COLUMN_W / 2, y, profession)
    _type_cell(page, box["x"] + MARKER_W + COLUMN_W * 1.5, y, count)


def test_manager_enters_corrects_and_sees_a_survey_response(
    page: Page, server: str, e2e_db: Database
) -> None:
    manager = load_actor(e2e_db, "manager")
    assert manager is not None
    he = "he"
    patient_login(page, server, "manager")
    page.locator(".st-key-nav").get_by_text(t("page.surveys", he)).click()
    page.wait_for_url("**/surveys")
    idle(page)
    page.get_by_role("tab", name=t("survey.tab.responses", he)).click()
    page.get_by_text(t("survey.form.title", he)).click()
    form = page.locator('[data-testid="stForm"]').filter(
        has=page.get_by_role("button", name=t("survey.form.submit", he))
    )
    form.get_by_role("textbox", name=t("survey.form.new_company_name", he), exact=True).fill(
        COMPANY
    )
    form.get_by_role("textbox", name=t("survey.field.location", he), exact=True).fill(
        "אזור התעשייה"
    )
    _select(page, form, t("survey.field.branch", he), t("survey.branch.logistics", he))
    form.get_by_role("spinbutton", name=t("survey.field.employee_count", he), exact=True).fill("40")
    yes = t("survey.answer.yes", he)
    _radio(form, t("survey.field.has_vacancies", he), yes)  # Q6
    form.get_by_role("spinbutton", name=t("survey.field.vacancies", he), exact=True).fill("7")  # Q7
    _add_position(page, form, "רתך", "7")
    screenshot(page, "survey-entry-positions-he")
    _radio(form, t("survey.field.hiring_horizon", he), t("survey.horizon.3_6", he))
    _radio(form, t("survey.field.recruiting_help", he), yes)  # Q8
    _radio(form, t("survey.field.remote_work", he), t("survey.remote.not_relevant", he))  # Q9
    _radio(  # Q10, four levels
        form, t("survey.field.training_offered", he), t("survey.training_offered.regular", he)
    )
    _radio(  # Q11, three levels
        form, t("survey.field.training_need", he), t("survey.training_need.training", he)
    )
    form.get_by_role("textbox", name=t("survey.field.training_needs", he), exact=True).fill(
        "ריתוך; מלגזה"
    )
    _radio(form, t("survey.field.has_service_contact", he), yes)  # Q12 (yes: Q13 asked)
    # The slider's thumb carries the question as its name; the arrows move it.
    scale = t("survey.field.satisfaction_scale", he)
    slider = form.locator(f'[aria-label="{scale}"]').first
    slider.click()
    page.keyboard.press("Home")  # "—" (the click may have moved it)
    for _ in range(4):  # then up to 4 (up, whatever the reading direction)
        page.keyboard.press("ArrowUp")
    _radio(form, t("survey.field.contact_consent", he), yes)  # Q14
    form.get_by_text(t("survey.field.community_interest", he)).click()
    form.get_by_role("textbox", name=t("survey.field.contact_name", he), exact=True).fill("דנה לוי")
    form.get_by_role("textbox", name=t("survey.field.contact_phone", he), exact=True).fill(
        "050-1234567"
    )
    form.get_by_role("textbox", name=t("survey.field.contact_email", he), exact=True).fill(
        "dana@example.org"
    )
    page.keyboard.press("Tab")
    screenshot(page, "survey-entry-he")
    form.get_by_role("button", name=t("survey.form.submit", he)).click()
    page.get_by_text(t("survey.form.created", he)).wait_for(timeout=90_000)
    idle(page)

    frame = surveys.responses(e2e_db, manager, NETIVOT)
    row = frame[frame.company == COMPANY].iloc[0]
    assert row.branch == "logistics" and row.employee_count == 40
    assert (row.has_vacancies, row.vacancies, row.hiring_horizon) == (True, 7, "3_6")
    assert "רתך" in row.professions
    assert (row.recruiting_help, row.remote_work) == (True, "not_relevant")
    assert (row.training_offered, row.training_need) == ("regular", "training")
    assert (row.has_service_contact, row.satisfaction) == (True, 4)
    assert (row.contact_consent, row.community_interest) == (True, True)
    assert row.contact_phone == "050-1234567"

    page.get_by_role("tab", name=t("survey.tab.summary", he)).click()
    idle(page)
    summary = surveys.summary(e2e_db, manager, [NETIVOT])
    assert _metric(page, t("survey.metric.respondents", he)) == fmt_number(summary.respondents, he)
    assert _metric(page, t("survey.metric.open_positions", he)) == fmt_number(
        summary.open_positions, he
    )
    screenshot(page, "survey-summary-he")

    # The correction, in English: the stored answers prefilled, one answer changed.
    en = "en"
    page.locator('[data-testid="stSidebar"] button', has_text="English").first.click()
    idle(page)
    page.get_by_role("tab", name=t("survey.tab.responses", en)).click()
    page.get_by_text(t("survey.edit.title", en)).click()
    _select(page, page.locator("body"), t("survey.edit.pick", en), COMPANY)
    edit = page.locator('[data-testid="stForm"]').filter(
        has=page.get_by_role("button", name=t("survey.edit.submit", en))
    )
    assert (
        edit.get_by_role(
            "textbox", name=t("survey.field.contact_phone", en), exact=True
        ).input_value()
        == "050-1234567"
    )
    edit.get_by_role("spinbutton", name=t("survey.field.employee_count", en), exact=True).fill("45")
    _radio(edit, t("survey.field.contact_consent", en), t("survey.answer.no", en))
    page.keyboard.press("Tab")
    screenshot(page, "survey-correct-en")
    edit.get_by_role("button", name=t("survey.edit.submit", en)).click()
    page.get_by_text(t("survey.edit.saved", en)).wait_for(timeout=90_000)
    idle(page)
    frame = surveys.responses(e2e_db, manager, NETIVOT)
    corrected = frame[frame.company == COMPANY]
    assert len(corrected) == 1  # corrected in place, not a second response
    assert corrected.iloc[0].employee_count == 45 and corrected.iloc[0].contact_consent in (False,)
    assert corrected.iloc[0].vacancies == 7  # what was not changed stays

    page.get_by_role("tab", name=t("survey.tab.summary", en)).click()
    idle(page)
    summary = surveys.summary(e2e_db, manager, [NETIVOT])
    assert _metric(page, t("survey.metric.respondents", en)) == fmt_number(summary.respondents, en)
    screenshot(page, "survey-summary-en")
