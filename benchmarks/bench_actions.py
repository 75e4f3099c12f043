"""Server CPU per action type: what one click costs the app server, against an empty page.

A real app server (serve.py, demo data on SQLite) driven by the load benchmark's protocol-level
client as a logged-in member on the tasks page and a manager on the indicator explorer, the meeting
form and the mentoring page. Each action's cost is the server process's CPU time (user + system,
from /proc) across the run it causes, the mean of REPEAT (the kernel counts CPU time in 10 ms
ticks: a mean over many runs resolves what one run's count cannot). Actions: a full run of the
tasks page (what every click cost before fragments), a status tap on a task card (a fragment run:
the card alone), a full run of the explorer, a change of the explorer's view (a fragment run: the
pickers and the view), a full run of the meeting form and a tick in its attendance (a fragment run:
the ticks and their count, and the draft written), and a full run of the mentoring page and a pick
of the match whose sessions are shown (a fragment run: that match's sessions). The other pages
the load benchmark's sessions open are measured the same way: a full run of the forum board and
the stakeholder map (the manager) and of the briefing (the mayor). The baseline is an empty
Streamlit page (a script of one import) served by a second server started the same way, its runs
alternating with the actions so both see the same machine; CPU time, not wall time, so the other
helpers' load on the shared machine weighs less (it still slows caches and the CPU's clock).

Profile (2026-12-07, cProfile of each full run inside a real server, per page): the shell (the
login cookie's session check, style, navigation and menu, language and locality pickers, badge,
logout) is a small part of a run: a full run of the one-paragraph accessibility page costs 0.71x
an empty page's. The pages' own work was most of it, led by what is not on screen: every tab's
content ran on every run (the tasks page's board, timeline, lists, table with its panels and
forms; the stakeholder map's grid, register with its forms, network and coverage), and each
task card read its notes with three queries (the task, its locality, the notes). Now the tabs
of those two pages run only the open one (st.tabs with on_change="rerun" and each tab's .open),
and the cards' notes are read in one query. Measured in pairs against the code before (same
machine, alternating runs): the tasks page 4.84x to 3.04x an empty page's run, the stakeholder
map 4.00x to 1.49x; the explorer 2.0x and the briefing 1.7-1.8x were already near the aim. The
forum board ran all ten of its tabs (9.1x); it now runs the open one too (3.2x). A second
profile: what remained was mostly elements (each one a message from the script's thread through
the event loop to the browser) and reads made again on every run. The task board draws a
column's tasks as one caption and a task card its title and facts as one element, the forum's
focus cards their task lists as one text each, the explorer's charts come from cached specs, and
the forum's read models (tasks, notes, overview, targets, health, invitations, the set-up
checklist) are cached per actor until a write to one of their areas. Measured back to back
against the code before: the explorer 1.88x to 1.23x, the briefing 1.57x to 1.50x; the tasks
page 2.59x to 2.06x and the forum board 2.60x to 1.86x once both pages read through the cached
models. The mentoring page ran all of its up to eleven tabs (17.5x); it now runs the open one
(4.1x), the funnel tab (its first) draws its charts from cached specs, and its tables and charts'
data are made once per selection, date, breakdown and language (cached read models), as are the
page's pipelines, programs and cohorts: 2.3x. The page opens on its funnel tab; the match pick is
measured after a click on the matches tab (not counted). Those pairs were measured while other
work loaded the machine (load 12-20); on a quiet machine (the table) the empty page's run is
cheaper and the ratios higher. A third profile: the meeting form's reads (the forum overview, the
members on the meeting's day, the people to assign, a record's history) are cached read models
too; the mentoring funnel tab keeps its tables as Arrow and its charts' data as plain values
(hashing data frames to find each chart's cached drawing was a quarter of the tab); the cached
read models key the actor by a text of its fields (hashing the Actor object through pickle was a
seventh of the forum board's run); the schema check's cached functions left app.py (there their
decorators ran again on every run); a chart's table alternative is converted to Arrow once; the
task board draws a column as one element. Measured back to back on a lightly loaded machine
against the code before: the mentoring page 2.99x to 2.03x, the meeting form 2.30x to 1.87x, the
forum board 2.67x to 2.20x, the tasks page unchanged. What the tasks page still spends is its
cards' own widgets (thirteen cards for the demo member, each with two segmented controls, a note
field and a button): Streamlit copies the whole session state for every text field it draws.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import psutil

from benchmarks.harness import Figure, write
from benchmarks.loadclient import Session
from employdash.i18n import t
from tests.support.databases import build_sqlite_template, copy_sqlite
from tests.support.postgres import free_port
from tests.support.replicas import _wait_ok, app_server

REPEAT = 30
LABELS = {k: t(f"login.{k}", "he") for k in ("username", "password", "submit")}
STATUS = t("task.status", "he")
TASKS = t("page.tasks", "he")
EXPLORER = t("page.explorer", "he")
FORUM = t("page.forum", "he")
STAKEHOLDERS = t("page.stakeholders", "he")
BRIEFING = t("page.briefing", "he")
VIEW = t("ind.explorer.view", "he")
MEETING = t("page.meeting", "he")
MENTORING = t("page.mentoring", "he")
SESSIONS_OF = t("ment.sessions.of", "he")
MATCHES_TAB = t("ment.tab.matches", "he")


@contextmanager
def empty_server() -> Iterator[tuple[str, psutil.Process]]:
    """A Streamlit server whose whole app is `import streamlit`: the floor of a run."""
    work = Path(tempfile.mkdtemp(prefix="empty-page-"))
    script = work / "empty.py"
    script.write_text("import streamlit as st  # noqa: F401\n")
    port = free_port()
    log = work / "log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ok(f"{base}/_stcore/health", proc, log)
        yield base, psutil.Process(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


async def _cost(process: psutil.Process, action: Callable[[], Awaitable[Any]]) -> float:
    """CPU seconds the server spent on `action` (its run, and any it restarted)."""
    await asyncio.sleep(0.05)  # let the previous run's tail (a websocket flush) settle
    before = _cpu(process)
    await action()
    await asyncio.sleep(0.05)
    return _cpu(process) - before


def _toggle(options: list[str], current: str | None) -> str:
    """Between the first two statuses (not started, in progress): the task stays open."""
    return options[1] if current == options[0] else options[0]


async def measure(app: str, app_process: psutil.Process, empty: str, empty_process: psutil.Process
                  ) -> dict[str, list[float]]:  # fmt: skip
    member = Session(app)
    await member.open()
    await member.load()
    await member.login("member", "demo", LABELS)
    await member.open_page(TASKS, "tasks")
    floor = Session(empty)
    await floor.open()
    await floor.load()
    manager = Session(app)
    await manager.open()
    await manager.load()
    await manager.login("manager", "demo", LABELS)
    await manager.open_page(EXPLORER, "explorer")
    mayor = Session(app)
    await mayor.open()
    await mayor.load()
    await mayor.login("mayor", "demo", LABELS)
    others = {"forum": (manager, FORUM), "stakeholders": (manager, STAKEHOLDERS)}
    others["briefing"] = (mayor, BRIEFING)
    for session, title in others.values():  # each page's first run imports its modules
        await session.open_page(title, "warm")
    await manager.open_page(EXPLORER, "explorer")
    costs: dict[str, list[float]] = {
        k: []
        for k in (
            *("empty", "page", "tap", "explorer", "view"),
            *("meeting", "tick", "mentoring", "match"),
            *others,
        )
    }
    for _ in range(REPEAT):
        costs["empty"].append(await _cost(empty_process, floor.load))
        costs["page"].append(await _cost(app_process, lambda: member.open_page(TASKS, "tasks")))
        costs["tap"].append(
            await _cost(app_process, lambda: member.choose("button_group", STATUS, _toggle, "tap"))
        )
        costs["explorer"].append(
            await _cost(app_process, lambda: manager.open_page(EXPLORER, "explorer"))
        )
        costs["view"].append(
            await _cost(app_process, lambda: manager.choose("button_group", VIEW, _toggle, "view"))
        )
        for key, (session, title) in others.items():
            costs[key].append(await _cost(app_process, partial(session.open_page, title, key)))
        costs["meeting"].append(
            await _cost(app_process, lambda: manager.open_page(MEETING, "meeting"))
        )
        costs["tick"].append(await _cost(app_process, lambda: manager.tick("tick")))
        costs["mentoring"].append(
            await _cost(app_process, lambda: manager.open_page(MENTORING, "mentoring"))
        )
        await manager.open_tab(MATCHES_TAB, "matches tab")  # the page opens on its funnel
        costs["match"].append(
            await _cost(app_process, lambda: manager.select(SESSIONS_OF, _toggle, "match"))
        )
        await manager.open_page(EXPLORER, "explorer")
        assert not member.exceptions and not member.error_alerts, member.exceptions
        for session in (manager, mayor):  # the forum's and briefing's warnings are their content
            assert not session.exceptions, session.exceptions
    for session in (member, manager, mayor, floor):
        await session.close()
    return costs


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = copy_sqlite(build_sqlite_template(Path(tmp)), Path(tmp) / "actions.db")
        with app_server(url) as app, empty_server() as (empty, empty_process):
            app_process = psutil.Process(app.process.pid)
            started = time.perf_counter()
            costs = asyncio.run(measure(app.base, app_process, empty, empty_process))
            print(f"actions measured in {time.perf_counter() - started:.0f} s", flush=True)
    floor = statistics.mean(costs["empty"])
    write(
        "actions",
        [
            Figure(
                name,
                statistics.mean(costs[key]),
                "an empty Streamlit page's run",
                floor,
                "sqlite",
                aim,
                {"runs": REPEAT},
            )
            for name, key, aim in (
                ("tasks page, full run (member)", "page", "≤ 2×"),
                ("status tap on a task card (fragment run)", "tap", "≤ 2×"),
                ("explorer page, full run (manager)", "explorer", "≤ 2×"),
                ("explorer view change (fragment run)", "view", "≤ 2×"),
                ("forum board, full run (manager)", "forum", "≤ 2×"),
                ("stakeholder map, full run (manager)", "stakeholders", "≤ 2×"),
                ("briefing, full run (mayor)", "briefing", "≤ 2×"),
                ("meeting page, full run (manager)", "meeting", "≤ 2×"),
                ("attendance tick in the meeting form (fragment run)", "tick", "≤ 2×"),
                ("mentoring page, full run (manager)", "mentoring", "≤ 2×"),
                ("mentoring match picker, its sessions (fragment run)", "match", "≤ 2×"),
            )
        ],
        __doc__.split("\n\n", 1)[1].replace("\n", " ").strip(),
    )


if __name__ == "__main__":
    main()
