"""Start-up and login: `make run` to a login form, and a login round trip, each against an empty
Streamlit page started and driven the same way in the same run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from statistics import median

from benchmarks.harness import Figure, write
from tests.support.browser import chromium, wait_idle
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parent.parent
EMPTY = ROOT / "benchmarks" / "fixtures" / "empty_page.py"
REPEAT = 3


def _wait_health(port: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited early")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("server did not answer")


def _start(
    command: Callable[[int], list[str]], env: dict[str, str]
) -> tuple[subprocess.Popen, int, float]:
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command(port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_health(port, proc)
    return proc, port, start


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, 15)
    proc.wait(timeout=20)


def _first_render(browser, port: int, selector: str) -> float:
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_selector(selector, timeout=60_000)
    page.close()
    return time.perf_counter()


def _make_run(port: int) -> list[str]:
    return ["make", "--no-print-directory", "run", f"PORT={port}"]


def _empty(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(EMPTY),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]


def _login_round_trip(browser, port: int) -> float:
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{port}/")
    wait_idle(page)
    page.locator('[data-testid="stForm"] input[type="text"]').fill("manager")
    page.locator('[data-testid="stForm"] input[type="password"]').fill("demo")
    start = time.perf_counter()
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    page.wait_for_selector(".st-key-nav", timeout=60_000)
    wait_idle(page)
    elapsed = time.perf_counter() - start
    page.context.clear_cookies()
    page.close()
    return elapsed


def _button_round_trip(browser, port: int) -> float:
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{port}/")
    wait_idle(page)
    start = time.perf_counter()
    page.get_by_role("button", name="go").click()
    wait_idle(page)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-foundation-"))
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    env = {**os.environ, "DATABASE_URL": db_url, "DEMO_MODE": "true"}
    subprocess.run(["make", "--no-print-directory", "setup"], cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "employdash", "prepare"], cwd=ROOT, env=env, check=True)
    app_start, empty_start, app_login, empty_click = [], [], [], []
    with chromium() as browser:
        for _ in range(REPEAT):
            proc, port, t0 = _start(_make_run, env)
            app_start.append(_first_render(browser, port, '[data-testid="stForm"]') - t0)
            app_login.append(_login_round_trip(browser, port))
            _stop(proc)
            proc, port, t0 = _start(_empty, env)
            empty_start.append(_first_render(browser, port, '[data-testid="stButton"]') - t0)
            empty_click.append(_button_round_trip(browser, port))
            _stop(proc)
    shutil.rmtree(workdir, ignore_errors=True)
    figures = [
        Figure(
            "make run → login form rendered",
            median(app_start),
            "empty page: streamlit run → first render",
            median(empty_start),
            "sqlite",
        ),
        Figure(
            "login round trip (submit → navigation drawn)",
            median(app_login),
            "empty page: button click → rerun drawn",
            median(empty_click),
            "sqlite",
        ),
    ]
    write(
        "foundation",
        figures,
        notes=f"Median of {REPEAT} cold starts each, real Chromium; the "
        "app is started with `make run` on an already set-up checkout with a prepared database.",
    )
