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
from tests.support.browser import login, open_page, screenshot, set_language, wait_idle

COMPANY = "Annex Two Metalworks"
NETIVOT = 246  # the manager's first locality in Hebrew order, chosen by default


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
            choice.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            wait_idle(page)
    choice.click()


def _metric(page: Page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def _add_position(page: Page, form: Locator, profession: str, count: str) -> None:
    """One row in the open-positions grid: its toolbar's "add row", then type the cells."""
    grid = form.locator('[data-testid="stDataFrame"]').first
    grid.hover()
    # The grid's scroller lies over its toolbar: click the button itself.
    form.get_by_role("button", name="Add row").first.dispatch_event("click")
    page.wait_for_timeout(500)
    page.keyboard.type(profession)
    page.keyboard.press("Tab")
    page.wait_for_timeout(200)
    page.keyboard.type(count)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)


def test_manager_enters_corrects_and_sees_a_survey_response(
    page: Page, server: str, e2e_db: Database
) -> None:
    manager = load_actor(e2e_db, "manager")
    assert manager is not None
    he = "he"
    login(page, server, "manager")
    open_page(page, server, "surveys")
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
    _radio(form, t("survey.field.hiring_horizon", he), t("survey.horizon.3_6", he))
    _radio(form, t("survey.field.recruiting_help", he), yes)  # Q8
    _radio(form, t("survey.field.remote_work", he), t("survey.remote.not_relevant", he))  # Q9
    _radio(  # Q10, four levels
        form, t("survey.field.training_offered", he), t("survey.training_offered.regular", he)
    )
    _radio(  # Q11, three levels
        form, t("survey.field.training_need", he), t("survey/training_need.training", he)
    )
    form.get_by_role("textbox", name=t("survey.field.training_needs", he), exact=True).fill(
        "ריתוך; מלגזה"
    )
    _radio(form, t("survey.field.has_service_contact", he), yes)  # Q12 (yes: Q13 asked)
    slider = form.locator('[data-testid="stSlider"] [role="slider"]').first
    slider.focus()
    for _ in range(4):  # "—", then 1 2 3 4
        page.keyboard.press("ArrowRight")
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
    page.get_by_text(t("survey.form.created", he)).wait_for(timeout=30_000)
    wait_idle(page)

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
    wait_idle(page)
    summary = surveys.summary(e2e_db, manager, [NETIVOT])
    assert _metric(page, t("survey.metric.respondents", he)) == fmt_number(summary.respondents, he)
    assert _metric(page, t("survey.metric.open_positions", he)) == fmt_number(
        summary.open_positions, he
    )
    screenshot(page, "survey-summary-he")

    # The correction, in English: the stored answers prefilled, one answer changed.
    en = "en"
    set_language(page, en)
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
    page.get_by_text(t("survey.edit.saved", en)).wait_for(timeout=30_000)
    wait_idle(page)
    frame = surveys.responses(e2e_db, manager, NETIVOT)
    corrected = frame[frame.company == COMPANY]
    assert len(corrected) == 1  # corrected in place, not a second response
    assert corrected.iloc[0].employee_count == 45 and corrected.iloc[0].contact_consent is False
    assert corrected.iloc[0].vacancies == 7  # what was not changed stays

    page.get_by_role("tab", name=t("survey.tab.summary", en)).click()
    wait_idle(page)
    summary = surveys.summary(e2e_db, manager, [NETIVOT])
    assert _metric(page, t("survey.metric.respondents", en)) == fmt_number(summary.respondents, en)
    screenshot(page, "survey-summary-en")
