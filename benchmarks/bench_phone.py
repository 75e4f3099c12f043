"""A member opening a task link on a phone over a slow connection.

Real Chromium with a phone's screen and Chromium's own network emulation (Chrome DevTools
protocol, `Network.emulateNetworkConditions`, Lighthouse's "slow 4G": 150 ms round trip, 1.6
Mbit/s down, 750 kbit/s up). The member is logged in (the login cookie set beforehand, outside
the timing) and opens `/tasks?task=<id>`, the link of a reminder. Measured: the time until the
linked card's status control can be tapped, and the bytes the browser received for it (HTTP
responses as transferred, compressed or not, plus the websocket's frames), through nginx as
deploy/nginx/employdash.conf configures it (gzip, a year's cache for hashed files) against the
replica directly. Cold: an empty browser cache; warm: the same link opened again.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page
from sqlalchemy import select

from benchmarks.harness import Figure, write
from employdash.db import Database
from employdash.models import User
from employdash.models.forum import Task
from tests.support.browser import chromium, login, wait_idle
from tests.support.databases import build_sqlite_template, copy_sqlite
from tests.support.replicas import app_server, nginx

SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


class Transfer:
    """Bytes received, counted from the protocol's events (HTTP bodies as sent, frames)."""

    def __init__(self, cdp: Any) -> None:
        self.bytes = 0
        cdp.on("Network.loadingFinished", self._http)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _http(self, event: dict[str, Any]) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))

    def _frame(self, event: dict[str, Any]) -> None:
        # Binary frames (Streamlit's protobuf) come base64-encoded: three bytes per four.
        self.bytes += len(event["response"]["payloadData"]) * 3 // 4


def _open_link(page: Page, url: str, task_id: int) -> float:
    start = time.perf_counter()
    page.goto(url)
    card = page.locator(f".st-key-task_card_{task_id} [role=radio]").first
    card.wait_for(state="visible", timeout=180_000)
    seconds = time.perf_counter() - start
    wait_idle(page, timeout=180_000)
    return seconds


def _measure(browser: Browser, base: str, task_id: int) -> dict[str, tuple[float, int]]:
    context = browser.new_context(**PHONE)  # type: ignore[arg-type]  # Playwright's kwargs
    try:
        page = context.new_page()
        login(page, base, "member")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.clearBrowserCache")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        found = {}
        for visit in ("cold", "warm"):
            transfer = Transfer(cdp)
            seconds = _open_link(page, f"{base}/tasks?task={task_id}", task_id)
            found[visit] = (seconds, transfer.bytes)
        return found
    finally:
        context.close()


def _member_task(url: str) -> int:
    db = Database(url)
    try:
        with db.transaction() as s:
            task_id = s.scalar(
                select(Task.id)
                .join(User, User.person_id == Task.owner_person_id)
                .where(User.username == "member")
                .order_by(Task.id)
            )
    finally:
        db.dispose()
    assert task_id is not None
    return task_id


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = copy_sqlite(build_sqlite_template(Path(tmp)), Path(tmp) / "phone.db")
        task_id = _member_task(url)
        with app_server(url) as app, nginx([app.base]) as balancer, chromium() as browser:
            direct = _measure(browser, app.base, task_id)
            proxied = _measure(browser, balancer, task_id)
    figures = [
        Figure(
            f"task link on a phone, slow 4G, {visit} cache",
            proxied[visit][0],
            "the replica directly (no nginx)",
            direct[visit][0],
            "sqlite",
            "interactive card < 5 s",
            {"kib": round(proxied[visit][1] / 1024), "direct_kib": round(direct[visit][1] / 1024)},
        )
        for visit in ("cold", "warm")
    ]
    write(
        "phone",
        figures,
        __doc__.split("\n\n", 1)[1].replace("\n", " ").strip()
        + " Taken on the shared 2-core machine while seven other helpers ran tests: the "
        "server's share of the time is pessimistic.",
    )


if __name__ == "__main__":
    main()
