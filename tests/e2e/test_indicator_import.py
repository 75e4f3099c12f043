"""As the office manager in real Chromium: the import page is in the menu, a file with six years
of Sederot and a line of another locality is previewed (the range, the measures by name, the
refused line) in Hebrew and English, and the import writes Sederot's values and nothing of the
other locality. Screenshots in both languages."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import FilePayload, Page, expect

from employdash.db import Database
from employdash.i18n import fmt_month
from tests.indicators.test_import_scope import values_before_2021
from tests.support.browser import login, screenshot, set_language, wait_idle

HEADER = 'סמל יישוב,שם יישוב,חודש,"סה""כ דורשי עבודה",גברים,נשים'
HISTORY = "\n".join(
    f"1031,שדרות,{month:02d}/{year},{800 + month},{400 + month},{400 - month if month > 3 else -1}"
    for year in range(2015, 2021)
    for month in range(1, 13)
)
FILE = f"{HEADER}\n{HISTORY}\n2800,קריית שמונה,01/2020,640,300,340\n".encode()


def idle(page: Page) -> None:
    wait_idle(page, timeout=120_000)


def test_the_manager_previews_and_imports_their_locality_only(
    page: Page, server: str, e2e_db: Database
) -> None:
    login(page, server, "manager")
    page.locator(".st-key-nav").get_by_text("ייבוא מדדים").click()
    page.wait_for_url("**/indicators_admin")
    idle(page)
    page.get_by_text("הייבוא הוא ליישובים שלך: נתיבות, שדרות").wait_for(timeout=60_000)
    history: FilePayload = {"name": "sderot-history.csv", "mimeType": "text/csv", "buffer": FILE}
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(files=[history])
    idle(page)
    page.locator("button:visible", has_text="תצוגה מקדימה").first.click()
    idle(page)
    page.get_by_text("מה ייובא").wait_for(timeout=90_000)
    page.get_by_text("(72 חודשים עם ערכים)", exact=False).wait_for()
    page.get_by_text("יישובים: שדרות").wait_for()
    page.get_by_text("מדדים: דורשי עבודה · דורשי עבודה – גברים · דורשי עבודה – נשים").wait_for()
    screenshot(page, "indicator_import_manager_preview_he")
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    screenshot(page, "indicator_import_manager_rejected_he")

    set_language(page, "en")
    idle(page)
    page.get_by_text("What the import covers").wait_for(timeout=90_000)
    page.get_by_text("Localities: Sederot").wait_for()
    page.get_by_text("A rejected line imports none of its values").wait_for()
    screenshot(page, "indicator_import_manager_preview_en")
    page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
    screenshot(page, "indicator_import_manager_rejected_en")

    page.locator("button:visible", has_text="Import").last.click()
    idle(page)
    page.get_by_text("Import done: 216 added, 0 revised, 0 unchanged, 1 rejected.").wait_for(
        timeout=90_000
    )
    assert values_before_2021(e2e_db, 1031) == 216
    assert values_before_2021(e2e_db, 2800) == 0
    # done: no stale preview (the run that shows the message may still be clearing the old one)
    expect(page.get_by_text("What the import covers")).to_have_count(0)
    screenshot(page, "indicator_import_manager_done_en")
    page.get_by_text("The imported values in the indicator explorer").click()
    page.wait_for_url("**/explorer")
    idle(page)
    # the explorer opens on what was imported: Sederot, the six years, not the latest months
    start, end = (page.get_by_role("combobox", name=n, exact=True) for n in ("From", "To"))
    expect(start).to_have_value(fmt_month(date(2015, 1, 1), "en"))
    expect(end).to_have_value(fmt_month(date(2020, 12, 1), "en"))
    expect(page.locator('[data-testid="stMultiSelect"]')).to_contain_text("Sederot")
    page.locator('[data-testid="stVegaLiteChart"] svg').first.wait_for(timeout=60_000)
    screenshot(page, "indicator_import_manager_explorer_en")

    set_language(page, "he")
    page.locator(".st-key-nav").get_by_text("ייבוא מדדים").click()
    page.wait_for_url("**/indicators_admin")
    idle(page)
    page.get_by_text("ייבואים קודמים").wait_for(timeout=60_000)
    screenshot(page, "indicator_import_manager_history_he")
