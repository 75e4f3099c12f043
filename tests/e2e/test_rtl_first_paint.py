"""Right to left from the first paint: no left-to-right flash while a page loads or switches.

A script installed before any page script samples, on every animation frame, the computed direction
of the main area and the sidebar as soon as they hold any text. Every sample taken in Hebrew must be
right to left: on the login page, on a page opened by URL (a new session that logs in again from
the cookie and sends the whole page in its first run) and across page switches from the menu.
The server puts the direction into the HTML page itself (components/shell/first_paint.py), since
the app's own stylesheet needs a script file Streamlit loads on demand.
"""

from __future__ import annotations

from playwright.sync_api import Page

from tests.support.browser import login, wait_idle

_SAMPLER = """
(() => {
  window.__dirSamples = [];
  const sample = () => {
    for (const sel of ['[data-testid="stMain"]', '[data-testid="stSidebarContent"]']) {
      const el = document.querySelector(sel);
      if (el && el.innerText && el.innerText.trim().length > 0) {
        window.__dirSamples.push(sel + ':' + getComputedStyle(el).direction);
      }
    }
    requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
})();
"""


def _samples(page: Page) -> list[str]:
    samples: list[str] = page.evaluate("() => window.__dirSamples.splice(0)")
    return samples


def _assert_all_rtl(samples: list[str], where: str) -> None:
    assert samples, f"{where}: no frame with text was sampled"
    ltr = [s for s in samples if not s.endswith(":rtl")]
    assert not ltr, f"{where}: {len(ltr)} of {len(samples)} frames left to right: {ltr[:3]}"


def test_hebrew_is_right_to_left_from_the_first_frame(page: Page, server: str) -> None:
    page.add_init_script(_SAMPLER)
    page.goto(server + "/")
    wait_idle(page)
    _assert_all_rtl(_samples(page), "login page")

    login(page, server, "manager")
    _samples(page)
    page.goto(server + "/tasks")  # a new session: the cookie logs in again
    page.wait_for_selector(".st-key-nav", timeout=30_000)
    wait_idle(page)
    _assert_all_rtl(_samples(page), "tasks opened by URL")

    for title in ("מעקב פורום", "תדריך", "הצהרת נגישות"):
        page.locator(".st-key-nav, [data-testid=stSidebar]").get_by_role(
            "link", name=title, exact=True
        ).first.click()
        wait_idle(page)
        _assert_all_rtl(_samples(page), f"switch to {title}")
