"""Start-up and login: `make run` to a login form, and a login round trip, each against an empty
Streamlit page started and driven the same way in the same run.

Two logins, each the first visitor of a fresh server: typed at a person's pace, and submitted
the moment the form appears. Both are timed in the browser from the click to the first paint with
the navigation, as the empty page's rerun is timed from its click to its paint (no fixed waits
inside any timing). It also writes what it found into the results: how many script runs the
browser sees per login and per new session, when the landing page is complete, the password check
(Argon2id at the app's OWASP parameters),
the per-run schema check, and `prepare` (what `make run` does before Streamlit starts)."""

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
from typing import Any

from playwright.sync_api import Browser

from benchmarks.harness import Figure, write
from tests.support.browser import chromium, wait_idle
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parent.parent
EMPTY = ROOT / "benchmarks" / "fixtures" / "empty_page.py"
REPEAT = 3


def _wait_health(port: int, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
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
) -> tuple[subprocess.Popen[bytes], int, float]:
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


def _stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, 15)
    proc.wait(timeout=20)


def _first_render(browser: Browser, port: int, selector: str) -> float:
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


# Browser-side timestamps (one clock for the click and what it draws): the click, every change
# of the app's script state, and the first paint with the login form and with the navigation.
_PROBE = """(() => {
    const now = () => performance.now() / 1000;
    window.__t = {click: null, form: null, nav: null, states: [], drawn: null};
    document.addEventListener('click', () => { window.__t.click = now(); }, true);
    // The first paint after each message from the server: after its last, all it sent is drawn.
    const Socket = window.WebSocket;
    window.WebSocket = function (...args) {
        const socket = new Socket(...args);
        socket.addEventListener('message', () => requestAnimationFrame(
            () => setTimeout(() => { window.__t.drawn = now(); })));
        return socket;
    };
    window.WebSocket.prototype = Socket.prototype;
    Object.assign(window.WebSocket, Socket);
    (function attach() {
        const app = document.querySelector('[data-testid="stApp"]');
        if (!app) { setTimeout(attach, 5); return; }
        new MutationObserver(() => {
            window.__t.states.push([now(), app.getAttribute('data-test-script-state')]);
        }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        new MutationObserver(() => {
            for (const [key, sel] of [['form', '[data-testid="stForm"] input[type="password"]'],
                                      ['nav', '.st-key-nav']]) {
                if (window.__t[key] === null && document.querySelector(sel)) {
                    window.__t[key] = -1;  // in the DOM: painted at the next frame
                    requestAnimationFrame(() => setTimeout(() => { window.__t[key] = now(); }));
                }
            }
        }).observe(document, {childList: true, subtree: true});
    })();
})()"""
NOTES = (
    "Median of {repeat} cold starts each, real Chromium, on this shared 2-core machine (load "
    "average {load_before:.1f} at the start of the run, {load_after:.1f} at its end). Every "
    "login is the first visitor of a freshly started `make run` server with a prepared database. "
    "The login and its baseline are timed the same way, in the browser (performance.now, no "
    "fixed waits inside a timing): the login from the submit's click to the first paint with the "
    "navigation, the empty page from the button's click to the first paint after its rerun's "
    "last message. (Before 2026-11-30 both timings ended with two fixed 0.3 s waits and at the "
    "landing page's end of run: 0.6 s of the baseline's 0.745 s was waiting, and the login's "
    "3.43 s held the whole landing page.) Two logins each: typed at a person's pace (a "
    "{read_s:.0f} s look at the form, then keys {key_ms} ms apart: the submit {typed_s:.1f} s "
    "after the form appears) and submitted the moment the form appears (what a script does, and "
    "what the bench did before). The aim is judged on the typed one, since nobody submits a form "
    "before reading and typing it; the instant one shows what is left when the submit meets the "
    "background warm-up. Against the aim: the password check alone (Argon2id at OWASP's "
    "parameters: 19 MiB, 2 passes, 1 lane) takes {check_s:.3f} s, {check_ratio:.2f}× the empty "
    "page's whole rerun ({click_s:.3f} s). Until 2026-11-30 it was bcrypt at cost 12, 0.25 s "
    "idle (1.7× that rerun by itself, so no login could come within 1.5×); Argon2id is "
    "memory-hard (stronger against GPU cracking than bcrypt-12) and OWASP's first choice, and a "
    "bcrypt hash of an older database is replaced by an Argon2id one at its user's next login "
    "(that one login pays both checks and one hash). Ratios this run: start {start_ratio:.2f}×, "
    "login typed {typed_ratio:.2f}×, submitted at once {cold_ratio:.2f}×; the landing page (the "
    "briefing, charts included) is complete {typed_done:.2f} s after the submit (typed) and "
    "{cold_done:.2f} s (at once). Profile of the round trip (2026-11-30; server timestamps of "
    "websocket messages, script runs, password checks and gc passes, a 50 ms stack sampler, "
    "browser timestamps of the click, the messages and the paints), a typed login with the "
    "warm-up done, load average 7, still with bcrypt: the click reaches the server in 0.02 s; "
    "the login's run reads the users' credentials and checks the password (bcrypt then: 0.50 s "
    "at that load, 0.25 s idle): 0.61 s; it records the login and restarts itself on the server "
    "in 0.03 s (the browser sees that as a second run, script_runs_seen_per_login=2, with no "
    "browser round trip in between); the restarted run sends the navigation 0.14 s later, before "
    "the landing page's work, and the browser paints it 0.16 s after that while sharing the 2 "
    "cores with the landing page's run (0.8 s more: the briefing's read models, Altair specs): "
    "0.94 s from the click to the navigation's paint. A submit that meets the warm-up (the first "
    "seconds of a fresh server) also waits for the module being imported and the landing page's "
    "own imports. Found and fixed here: (1) on a fresh server the login form's run imported "
    "every page's modules after drawing the form, in the script thread, running on for 3-10 s; a "
    "submit in that time started a new script thread (Streamlit's fast reruns) while the old one "
    "went on importing, and the login's bcrypt check took 1.0-2.0 s and its landing page waited "
    "on those imports. Now a background thread imports them once the form is out, the landing "
    "pages' first, stepping aside before each module while any run is under way, with the "
    "garbage collector off while it imports (components/shell/warmup.py). (2) After every run "
    "that imported anything new (the landing page's first run, lazy imports in Altair), "
    "Streamlit's source watcher re-read the paths of all ~2,400 imported modules on the event "
    "loop: 0.3-0.8 s in which no session's messages went out, the end of the landing page's run "
    "included; serve.py turns the watcher off unless it is asked for. (3) The bench's fixed "
    "waits, above. (4) Later on 2026-11-30: a login restarted itself (st.rerun) before drawing "
    "the navigation; now the submit's own run clears the form, writes the cookie and draws the "
    "navigation and the page (script_runs_seen_per_login was 2, now 1), and the password check "
    "is Argon2id instead of bcrypt (above). Profile of that one-run login (2026-11-30, quiet "
    "machine, three typed logins, timestamps in the script against the browser's click and "
    "paint): the run starts 0.01 s after the click; the form's widgets and the Argon2id check "
    "end at 0.05-0.07 s; the audited login write takes 0.01-0.02 s; the navigation leaves the "
    "server at 0.075-0.09 s and is painted at 0.15-0.21 s, while the landing page's run goes on "
    "to 0.31-0.37 s. The server's part alone, before any paint, is about 1.4× the empty page's "
    "whole rerun: the aim would leave the browser under 0.01 s to draw the new layout, so it "
    "cannot be met with a real password check and an audited login (drawing the cookie's frame "
    "after the navigation changed nothing measurable). Fixed before (cProfile per script run, "
    "2026-11-29/30): Streamlit's gc.collect() after every run walked the whole imported heap "
    "(now frozen out of it); streamlit-authenticator's cookie components made a login 3 runs and "
    "two browser round trips; on a fresh server the first submit arrived empty (the pages/ "
    "shim's widget ids); every logged-in run read all users' credentials; the schema check "
    "({schema_s:.4f} s) runs once per 30 s per process. Of the start, `prepare` on an up-to-date "
    "database takes {prepare_s:.2f} s as a command of its own (the app does the same check "
    "in-process); the rest is Streamlit's own start and the first run's imports (SQLAlchemy and "
    "the models, which the login form's database checks need). The start's path is unchanged by "
    "the warm-up (it begins once the form is out); under this machine's load the start ratio "
    "moves with the load: 4 interleaved starts before and after it on 2026-11-30 (load average "
    "9-12) took 11.4 s and 9.5 s (medians) against the empty page's 5.9 s."
)
SETTLE = 2.5  # seconds to wait after a measurement for late reruns (not part of the timing)
# A person's login: a look at the form, then the username and password typed at a brisk pace.
READ_S = 2.0
KEY_DELAY_MS = 120
USERNAME, PASSWORD = "manager", "demo"
TYPED_S = READ_S + (len(USERNAME) + len(PASSWORD)) * KEY_DELAY_MS / 1000


def _runs_finished_after(states: list[list[Any]], since: float) -> list[float]:
    """When each script run that was under way after `since` finished (browser seconds)."""
    ends, running = [], False
    for at, state in states:
        if at < since:
            continue
        if state == "running":
            running = True
        elif running:
            ends.append(at)
            running = False
    return ends


def _login(browser: Browser, port: int, typed: bool) -> dict[str, float]:
    """One login on a server nobody has visited yet. Cold: the submit as soon as the form is
    drawn (what a script does; on a fresh server the pages' modules are still being imported).
    Typed: a person's pace (READ_S, then each key KEY_DELAY_MS). Seconds from the click to the
    navigation painted, and to the landing page's run finished, and the runs of the login."""
    page = browser.new_page()
    page.add_init_script(_PROBE)
    page.goto(f"http://127.0.0.1:{port}/")
    page.wait_for_selector('[data-testid="stForm"]', timeout=60_000)
    form_at = time.perf_counter()  # the start's end, as the empty page's (_first_render)
    page.wait_for_function("window.__t && window.__t.form > 0", timeout=60_000)
    user = page.locator('[data-testid="stForm"] input[type="text"]')
    password = page.locator('[data-testid="stForm"] input[type="password"]')
    if typed:
        page.wait_for_timeout(READ_S * 1000)
        user.press_sequentially(USERNAME, delay=KEY_DELAY_MS)
        password.press_sequentially(PASSWORD, delay=KEY_DELAY_MS)
    else:
        user.fill(USERNAME)
        password.fill(PASSWORD)
    submit_after_form = time.perf_counter() - form_at
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    page.wait_for_function("window.__t.nav > 0", timeout=60_000)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached"
    )
    page.wait_for_timeout(SETTLE * 1000)
    t = page.evaluate("window.__t")
    ends = _runs_finished_after(t["states"], t["click"])
    page.context.clear_cookies()
    page.close()
    return {
        "form_at": form_at,
        "start_runs": len(_runs_finished_after(t["states"], 0.0)) - len(ends),
        "nav_s": t["nav"] - t["click"],
        "page_done_s": ends[-1] - t["click"],
        "runs_seen": len(ends),
        "submit_after_form_s": submit_after_form,
    }


def _profile(env: dict[str, str]) -> dict[str, float]:
    """Pieces of the start-up and the login, each timed on its own."""
    from employdash.config import load_config
    from employdash.db import Database, check_schema
    from employdash.users import check_password, hash_password

    hashed = hash_password("demo")  # at the app's parameters (OWASP's), as make run seeds
    check_s = median(_timed(lambda: check_password("demo", hashed)) for _ in range(5))
    db = Database(load_config(env).DATABASE_URL)
    check_schema(db)
    schema_s = median(_timed(lambda: check_schema(db)) for _ in range(20))
    db.dispose()
    command = [sys.executable, "-m", "employdash", "prepare"]
    prepare_s = median(
        _timed(lambda: subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True))
        for _ in range(3)
    )
    return {
        "password_check_s": round(check_s, 4),
        "schema_check_s": round(schema_s, 5),
        "prepare_up_to_date_s": round(prepare_s, 3),
    }


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _button_round_trip(browser: Browser, port: int) -> float:
    """Seconds from the click to the rerun drawn: the first paint after the rerun's last message
    (its end of run), from browser timestamps; no fixed waits in the timing. (The script state
    attribute is no clock for it: a rerun this short may never show as running.)"""
    page = browser.new_page()
    page.add_init_script(_PROBE)
    page.goto(f"http://127.0.0.1:{port}/")
    wait_idle(page)
    page.get_by_role("button", name="go").click()
    page.wait_for_timeout(SETTLE * 1000)
    t = page.evaluate("window.__t")
    page.close()
    return float(t["drawn"] - t["click"])


def _login_figure(name: str, samples: list[dict[str, float]], click: float, aim: str) -> Figure:
    return Figure(
        name,
        median(x["nav_s"] for x in samples),
        "empty page: button click → rerun drawn",
        click,
        "sqlite",
        aim=aim,
        extra={
            "landing_page_done_s": round(median(x["page_done_s"] for x in samples), 3),
            "submit_after_form_s": round(median(x["submit_after_form_s"] for x in samples), 2),
            "script_runs_seen_per_login": max(int(x["runs_seen"]) for x in samples),
            "script_runs_at_session_start": max(int(x["start_runs"]) for x in samples),
        },
    )


def main() -> None:
    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="bench-foundation-"))
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    env = {**os.environ, "DATABASE_URL": db_url, "DEMO_MODE": "true"}
    subprocess.run(["make", "--no-print-directory", "setup"], cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "employdash", "prepare"], cwd=ROOT, env=env, check=True)
    app_start: list[float] = []
    empty_start: list[float] = []
    empty_click: list[float] = []
    logins: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    with chromium() as browser:
        for _ in range(REPEAT):
            for typed in (True, False):  # each on a server of its own, its first visitor
                proc, port, t0 = _start(_make_run, env)
                login = _login(browser, port, typed)
                app_start.append(login.pop("form_at") - t0)
                logins[typed].append(login)
                _stop(proc)
            proc, port, t0 = _start(_empty, env)
            empty_start.append(_first_render(browser, port, '[data-testid="stButton"]') - t0)
            empty_click.append(_button_round_trip(browser, port))
            _stop(proc)
    profile = _profile(env)
    shutil.rmtree(workdir, ignore_errors=True)
    click = median(empty_click)
    typed_logins, cold_logins = logins[True], logins[False]
    figures = [
        Figure(
            "make run → login form rendered",
            median(app_start),
            "empty page: streamlit run → first render",
            median(empty_start),
            "sqlite",
            aim="≤ 1.5×",
            extra={"prepare_up_to_date_s": profile["prepare_up_to_date_s"]},
        ),
        _login_figure(
            "login round trip, typed at a person's pace (submit → navigation drawn)",
            typed_logins,
            click,
            "≤ 1.5×",
        ),
        _login_figure(
            "login round trip, submitted the moment the form appears (submit → navigation drawn)",
            cold_logins,
            click,
            "",
        ),
    ]
    figures[1].extra.update({k: v for k, v in profile.items() if k != "prepare_up_to_date_s"})
    check_s = profile["password_check_s"]
    write(
        "foundation",
        figures,
        notes=NOTES.format(
            repeat=REPEAT,
            load_before=load_before,
            load_after=os.getloadavg()[0],
            read_s=READ_S,
            key_ms=KEY_DELAY_MS,
            typed_s=TYPED_S,
            check_s=check_s,
            check_ratio=check_s / click,
            click_s=click,
            schema_s=profile["schema_check_s"],
            prepare_s=profile["prepare_up_to_date_s"],
            start_ratio=figures[0].ratio,
            typed_ratio=figures[1].ratio,
            cold_ratio=figures[2].ratio,
            typed_done=figures[1].extra["landing_page_done_s"],
            cold_done=figures[2].extra["landing_page_done_s"],
        ),
    )
