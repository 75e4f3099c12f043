"""Many people at once: 10, 25 and 50 concurrent sessions against one app server, on SQLite and
PostgreSQL, and 50 sessions against two replicas behind nginx on one PostgreSQL.

Each session is a protocol-level client (benchmarks/loadclient.py) that opens the app, logs in
through the real login form and then works its role's mix with a think time between actions:
members open "my tasks" and update a task's progress, managers open the forum board and the
stakeholder map, leadership opens the briefing. Sessions start spread over a short ramp.

Reported per run: p50, p95 and maximum time from an action to the end of the rerun it caused
(page opens and task updates; logins separately), errors (exceptions drawn by the app, error
messages, actions that did not finish), the server's CPU seconds per script run, and its memory per
session. Each latency is a ratio to the same actions done by one session alone on the same server
in the same run. Throughput (script runs per second with no think time) of two replicas behind
nginx is a ratio to one server behind the same nginx.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import websockets

from benchmarks.harness import Figure, probe, write
from benchmarks.load_users import (
    LOAD_PASSWORD,
    add_users,
    production_env,
    role_of,
    set_password,
    username_of,
)
from benchmarks.loadclient import ActionFailed, Session
from employdash.db import Database, migrate
from employdash.i18n import t
from employdash.seed import seed_demo
from tests.support.replicas import AppServer, app_server, nginx

# BENCH_LOAD_SESSIONS=10,25 runs fewer single-server sizes (the replicas always get their own
# counts); the notes of the results say which sizes ran.
SESSIONS = tuple(int(n) for n in os.environ.get("BENCH_LOAD_SESSIONS", "10,25,50").split(","))
# Sizes past SESSIONS tried on one PostgreSQL server until the p95 passes CAPACITY_P95_S: the
# largest size that stays under it is how many active people one server, which Python's GIL
# holds to one core, serves.
CAPACITY_STEPS = tuple(
    int(n) for n in os.environ.get("BENCH_LOAD_CAPACITY", "75,100,150").split(",") if n
)
CAPACITY_P95_S = 1.0
REPLICA_SESSIONS = 50  # no think time: throughput
REPLICA_PEOPLE = 100  # with think time: latency of two replicas
AIM_AT = 50  # the sessions one server must serve within the aims
AIM_P95 = "under 1 s at 50 sessions, no errors"
AIM_LOGIN = "under 1.5 s at 50 sessions"
ROUNDS = 1
# Seconds a person spends on a page before the next action (uniform): reading a dashboard page,
# a task card or a chart takes several seconds, rarely under five and seldom over a quarter of a
# minute. (Before 2026-11-30 it was 0.5-1.5 s, closer to a script clicking than to people.)
THINK = (5.0, 15.0)
RAMP_PER_SESSION = 0.4  # people arrive over time: 25 sessions start over 10 s, 50 over 20 s
PASSWORD = LOAD_PASSWORD
LABELS = {k: t(f"login.{k}", "he") for k in ("username", "password", "submit")}
PAGES = {k: t(f"page.{k}", "he") for k in ("tasks", "forum", "stakeholders", "briefing")}
PROGRESS = t("task.progress", "he")
STALE = t("error.stale", "he")


def _other_progress(options: list[str], current: str | None) -> str:
    """A progress step other than the current one, below 100% (100% asks for the done status)."""
    choices = [o for o in options[:-1] if o != current]
    return choices[0] if current != choices[0] else choices[-1]


async def _actions(session: Session, role: str, think: Any = None) -> None:
    """One round of the role's mix, `await think()` before each action."""

    async def pause() -> None:
        if think is not None:
            await think()

    if role == "member":
        await pause()
        await session.open_page(PAGES["tasks"], "open my tasks")
        await pause()
        await session.choose("button_group", PROGRESS, _other_progress, "update a task")
    elif role == "manager":
        await pause()
        await session.open_page(PAGES["forum"], "open forum board")
        await pause()
        await session.open_page(PAGES["stakeholders"], "open stakeholder map")
    else:
        await pause()
        await session.open_page(PAGES["briefing"], "open briefing")


@dataclass
class SessionResult:
    session: Session
    failures: list[str] = field(default_factory=list)


async def _session(
    base: str,
    index: int,
    start_delay: float,
    rounds: int,
    think: tuple[float, float],
    timeout: float = 60.0,
) -> SessionResult:
    await asyncio.sleep(start_delay)
    session = Session(base, timeout=timeout)
    result = SessionResult(session)
    rng = random.Random(index)

    async def pause() -> None:
        if think[1]:
            await asyncio.sleep(rng.uniform(*think))

    try:
        await session.open()
        await session.load()
        await session.login(username_of(index), PASSWORD, LABELS)
        for _ in range(rounds):
            await _actions(session, role_of(index), pause)
    except (ActionFailed, OSError, websockets.WebSocketException) as exc:
        result.failures.append(f"{username_of(index)}: {type(exc).__name__}: {exc}")
    return result


async def _run_sessions(
    bases: list[str],
    count: int,
    rounds: int,
    think: tuple[float, float],
    ramp: float,
    before_close: Any = None,
) -> list[SessionResult]:
    tasks = [
        _session(bases[i % len(bases)], i, ramp * i / max(count, 1), rounds, think)
        for i in range(count)
    ]
    results = await asyncio.gather(*tasks)
    if before_close is not None:
        before_close()
    for r in results:
        with contextlib.suppress(Exception):
            await r.session.close()
    return list(results)


class ServerMeter:
    """CPU seconds and resident memory of the app server processes, sampled in a thread."""

    def __init__(self, pids: list[int]) -> None:
        self.procs = [psutil.Process(p) for p in pids]
        self.peak_rss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def rss_mib(self) -> float:
        return float(sum(p.memory_info().rss for p in self.procs)) / 2**20

    def cpu_seconds(self) -> float:
        return float(sum(p.cpu_times().user + p.cpu_times().system for p in self.procs))

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_rss = max(self.peak_rss, self.rss_mib())
            self._stop.wait(0.25)

    def __enter__(self) -> ServerMeter:
        self.peak_rss = self.rss_mib()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _tree(pid: int) -> list[psutil.Process]:
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def _cpu_of(procs: list[psutil.Process]) -> dict[int, float]:
    seen: dict[int, float] = {}
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = p.cpu_times()
            seen[p.pid] = times.user + times.system
    return seen


def _postmaster(url: str) -> int | None:
    """The PostgreSQL server process listening on the URL's port (its backends are children)."""
    port = url.rsplit(":", 1)[-1].split("/", 1)[0]
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmd = proc.info.get("cmdline") or []
        if proc.info.get("name") == "postgres" and "-p" in cmd and port in cmd:
            return int(proc.pid)
    return None


class CpuBreakdown:
    """CPU seconds per process group over a run (processes and their children, e.g. nginx's
    workers and PostgreSQL's backends), and the whole machine's busy CPU: on 2 cores the client,
    nginx, PostgreSQL and the servers share what the machine has, and other work takes its part."""

    def __init__(self, groups: dict[str, list[int]], alone: tuple[str, ...] = ("client",)) -> None:
        self.groups = groups
        self.alone = alone  # groups counted without their children (the client's are the rest)
        self.start: dict[str, dict[int, float]] = {}
        self.seconds: dict[str, float] = {}

    def _procs(self, name: str) -> list[psutil.Process]:
        if name in self.alone:
            return [psutil.Process(pid) for pid in self.groups[name]]
        return [p for pid in self.groups[name] for p in _tree(pid)]

    def __enter__(self) -> CpuBreakdown:
        self.start = {name: _cpu_of(self._procs(name)) for name in self.groups}
        self._machine = psutil.cpu_times()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        for name in self.groups:
            end = _cpu_of(self._procs(name))
            before = self.start[name]
            self.seconds[name] = sum(v - before.get(pid, 0.0) for pid, v in end.items())
        now = psutil.cpu_times()
        idle = (now.idle - self._machine.idle) + (
            getattr(now, "iowait", 0.0) - getattr(self._machine, "iowait", 0.0)
        )
        total = sum(now) - sum(self._machine)
        self.seconds["machine_busy"] = total - idle
        self.seconds["machine_capacity"] = (time.perf_counter() - self._wall) * (
            psutil.cpu_count() or 1
        )

    def extra(self) -> dict[str, float]:
        ours = sum(v for k, v in self.seconds.items() if not k.startswith("machine"))
        out = {f"cpu_s_{k}": round(v, 1) for k, v in self.seconds.items()}
        out["cpu_s_other_work"] = round(self.seconds["machine_busy"] - ours, 1)
        return out


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


@dataclass
class LoadRun:
    label: str
    database: str
    sessions: int
    action_seconds: list[float]
    login_seconds: list[float]
    runs: int
    action_runs: int
    wall_seconds: float
    cpu_seconds: float
    rss_before_mib: float
    rss_open_mib: float
    rss_peak_mib: float
    errors: list[str]
    messages: list[str]
    server_errors: list[str] = field(default_factory=list)
    cpu_breakdown: dict[str, float] = field(default_factory=dict)

    @property
    def cpu_per_run(self) -> float:
        return self.cpu_seconds / self.runs if self.runs else float("nan")

    @property
    def mib_per_session(self) -> float:
        return (self.rss_open_mib - self.rss_before_mib) / self.sessions

    @property
    def runs_per_second(self) -> float:
        return self.runs / self.wall_seconds


def _errors(results: list[SessionResult]) -> list[str]:
    """Actions that did not finish and exceptions the app drew. (Error-styled messages are
    counted apart: the briefing shows some as content, e.g. a forum that has not met.)"""
    errors: list[str] = []
    for r in results:
        errors += r.failures
        errors += [f"exception: {e}" for e in r.session.exceptions]
        errors += [f"conflict: {e}" for e in r.session.error_alerts if e == STALE]
    return errors


def _error_messages(results: list[SessionResult]) -> list[str]:
    return sorted({e for r in results for e in r.session.error_alerts})


def measure(
    label: str,
    database: str,
    bases: list[str],
    pids: list[int],
    sessions: int,
    rounds: int = ROUNDS,
    think: tuple[float, float] = THINK,
    ramp: float | None = None,
    groups: dict[str, list[int]] | None = None,
) -> LoadRun:
    ramp = RAMP_PER_SESSION * sessions if ramp is None else ramp
    breakdown = CpuBreakdown(groups or {"app": pids, "client": [os.getpid()]})
    with ServerMeter(pids) as meter, breakdown:
        rss_before = meter.rss_mib()
        cpu_before = meter.cpu_seconds()
        box: dict[str, float] = {}

        def before_close() -> None:
            box["rss_open"] = meter.rss_mib()
            box["cpu"] = meter.cpu_seconds() - cpu_before

        start = time.perf_counter()
        results = asyncio.run(_run_sessions(bases, sessions, rounds, think, ramp, before_close))
        wall = time.perf_counter() - start
    timings = [x for r in results for x in r.session.timings]
    run = LoadRun(
        label=label,
        database=database,
        sessions=sessions,
        action_seconds=[x.seconds for x in timings if x.kind not in ("load", "login")],
        login_seconds=[x.seconds for x in timings if x.kind == "login"],
        runs=sum(r.session.runs for r in results),
        action_runs=sum(x.runs for x in timings if x.kind not in ("load", "login")),
        wall_seconds=wall,
        cpu_seconds=box["cpu"],
        rss_before_mib=rss_before,
        rss_open_mib=box["rss_open"],
        rss_peak_mib=meter.peak_rss,
        errors=_errors(results),
        messages=_error_messages(results),
        cpu_breakdown=breakdown.extra(),
    )
    print(
        f"{label}: {sessions} sessions: p50 {_percentile(run.action_seconds, 0.5):.3f}s "
        f"p95 {_percentile(run.action_seconds, 0.95):.3f}s "
        f"max {max(run.action_seconds or [0]):.3f}s "
        f"errors {len(run.errors)} cpu/run {run.cpu_per_run:.3f}s "
        f"MiB/session {run.mib_per_session:.1f} runs/s {run.runs_per_second:.2f}",
        flush=True,
    )
    print(f"    CPU seconds by process: {run.cpu_breakdown}", flush=True)
    for e in run.errors[:5]:
        print("   ", e, flush=True)
    return run


def _server_errors(run: LoadRun, servers: list[AppServer], seen: dict[str, int]) -> None:
    """Attach (and print in full) the tracebacks the servers logged since `seen` was last updated:
    the user sees only a redacted message, the server's log says what went wrong."""
    for server in servers:
        found = server.tracebacks()
        new = found[seen.get(server.base, 0) :]
        seen[server.base] = len(found)
        for tb in new:
            print(f"    traceback on {server.base}:\n{tb}", flush=True)
        run.server_errors += new


def _alone(base: str, pids: list[int], database: str, index: int) -> LoadRun:
    with ServerMeter(pids) as meter:
        cpu_before = meter.cpu_seconds()
        rss_before = meter.rss_mib()
        start = time.perf_counter()
        result = asyncio.run(_one(base, index))
        wall = time.perf_counter() - start
        cpu = meter.cpu_seconds() - cpu_before
    timings = result.session.timings
    return LoadRun(
        label="alone",
        database=database,
        sessions=1,
        action_seconds=[x.seconds for x in timings if x.kind not in ("load", "login")],
        login_seconds=[x.seconds for x in timings if x.kind == "login"],
        runs=result.session.runs,
        action_runs=sum(x.runs for x in timings if x.kind not in ("load", "login")),
        wall_seconds=wall,
        cpu_seconds=cpu,
        rss_before_mib=rss_before,
        rss_open_mib=rss_before,
        rss_peak_mib=meter.peak_rss,
        errors=_errors([result]),
        messages=_error_messages([result]),
    )


async def _one(base: str, index: int) -> SessionResult:
    result = await _session(base, index, 0, ROUNDS, (0, 0))
    with contextlib.suppress(Exception):
        await result.session.close()
    return result


def _warm(base: str) -> None:
    """Each role once (imports, first queries, caches) before anything is measured. Outside demo
    mode a server's first run checks every user's password against the demo one (an Argon2id check
    each, once per process), hence the long timeout."""

    async def go() -> None:
        for index in (0, 5, 8):
            result = await _session(base, index, 0, 1, (0, 0), timeout=300)
            with contextlib.suppress(Exception):
                await result.session.close()

    asyncio.run(go())


def _figures(run: LoadRun, alone: LoadRun, aim_p95: str) -> list[Figure]:
    base_p50 = statistics.median(alone.action_seconds) if alone.action_seconds else float("nan")
    extra = {
        "sessions": run.sessions,
        "actions": len(run.action_seconds),
        "script_runs": run.runs,
        "runs_per_action": round(run.action_runs / max(len(run.action_seconds), 1), 2),
        "errors": len(run.errors),
        "login_p95_s": round(_percentile(run.login_seconds, 0.95), 3),
        "cpu_s_per_run": round(run.cpu_per_run, 4),
        "cpu_s_per_run_alone": round(alone.cpu_per_run, 4),
        "mib_per_session": round(run.mib_per_session, 2),
        "rss_before_mib": round(run.rss_before_mib, 1),
        "rss_peak_mib": round(run.rss_peak_mib, 1),
        "runs_per_s": round(run.runs_per_second, 2),
        "first_errors": run.errors[:3],
        "server_tracebacks": len(run.server_errors),
        "server_errors": [tb.splitlines()[-1] for tb in run.server_errors[:3]],
        "cpu_by_process": run.cpu_breakdown,
        "error_styled_messages_seen": run.messages,
    }
    baseline = "the same actions by one session alone (p50)"
    name = f"{run.label}, {run.sessions} sessions"
    return [
        Figure(
            f"{name}: p50 action→rerun",
            _percentile(run.action_seconds, 0.5),
            baseline,
            base_p50,
            run.database,
            "",
            extra,
        ),
        Figure(
            f"{name}: p95 action→rerun",
            _percentile(run.action_seconds, 0.95),
            baseline,
            base_p50,
            run.database,
            aim_p95,
        ),
        Figure(
            f"{name}: max action→rerun",
            max(run.action_seconds or [float("nan")]),
            baseline,
            base_p50,
            run.database,
        ),
    ]


@contextlib.contextmanager
def _database(kind: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'load.db'}"
        _prepare(url)
        yield url
        return
    from tests.support.postgres import create_database, drop_database, running_server

    with running_server() as server:
        url = create_database(server, "bench_load")
        _prepare(url)
        yield url
        drop_database(server, "bench_load")


def _prepare(url: str) -> None:
    db = Database(url)
    migrate(db)
    seed_demo(db)  # the app's own password hashing: a login costs what it costs in production
    add_users(db, max(*SESSIONS, *CAPACITY_STEPS, REPLICA_SESSIONS, REPLICA_PEOPLE))
    set_password(db)  # not the demo password: PostgreSQL is served outside demo mode
    db.dispose()


def _env(kind: str) -> dict[str, str] | None:
    """Demo mode is SQLite-only: on PostgreSQL the servers run as in production."""
    return production_env() if kind == "postgresql" else None


def _one_server(kind: str, url: str, count: int) -> tuple[LoadRun, LoadRun]:
    """`count` sessions with think time against one freshly started, warmed server."""
    with app_server(url, _env(kind)) as server:
        pids = [server.process.pid]
        seen: dict[str, int] = {}
        _warm(server.base)
        alone = _alone_all(server.base, pids, kind)
        run = measure("one server", kind, [server.base], pids, count)
        _server_errors(run, [server], seen)
    return run, alone


def _within(run: LoadRun) -> bool:
    return not run.errors and _percentile(run.action_seconds, 0.95) < CAPACITY_P95_S


Runs = dict[int, tuple[LoadRun, LoadRun]]


def _single(kind: str, url: str) -> tuple[list[Figure], Runs]:
    figures: list[Figure] = []
    runs: Runs = {}
    for count in SESSIONS:
        run, alone = runs[count] = _one_server(kind, url, count)
        figures += _figures(run, alone, AIM_P95 if count == AIM_AT else "")
        if count == AIM_AT:
            figures.append(_login_figure(run, alone))
    return figures, runs


def _login_figure(run: LoadRun, alone: LoadRun) -> Figure:
    return Figure(
        f"one server, {run.sessions} sessions: p95 login",
        _percentile(run.login_seconds, 0.95),
        "one session's login alone (p50)",
        statistics.median(alone.login_seconds) if alone.login_seconds else float("nan"),
        run.database,
        AIM_LOGIN,
        {"logins": len(run.login_seconds)},
    )


def _capacity(url: str, runs: Runs) -> list[Figure]:
    """One PostgreSQL server under growing numbers of people (the sizes `_single` ran, then
    CAPACITY_STEPS) until its p95 passes 1 s: the largest size within it is the per-core
    capacity the README sizes replicas by."""
    served: tuple[LoadRun, LoadRun] | None = None
    tried: dict[int, float] = {}
    for count in sorted({*SESSIONS, *CAPACITY_STEPS}):
        run, alone = runs[count] if count in runs else _one_server("postgresql", url, count)
        tried[count] = round(_percentile(run.action_seconds, 0.95), 3)
        if not _within(run):
            break
        served = run, alone
    if served is None:
        return []
    run, alone = served
    return [
        Figure(
            f"capacity: {run.sessions} active people on one server (one core) within a 1 s p95",
            _percentile(run.action_seconds, 0.95),
            "the same actions by one session alone (p50)",
            statistics.median(alone.action_seconds),
            "postgresql",
            "the README's replica sizing",
            {
                "people_per_core": run.sessions,
                "p95_s_by_sessions": tried,
                "cpu_s_per_run": round(run.cpu_per_run, 4),
                "app_cores_used": round(
                    run.cpu_breakdown.get("cpu_s_app", 0) / run.wall_seconds, 2
                ),
                "actions_per_s": round(len(run.action_seconds) / run.wall_seconds, 2),
            },
        )
    ]


def _alone_all(base: str, pids: list[int], kind: str) -> LoadRun:
    runs = [_alone(base, pids, kind, index) for index in (0, 5, 8)]
    merged = runs[0]
    for r in runs[1:]:
        merged.action_seconds += r.action_seconds
        merged.login_seconds += r.login_seconds
        merged.runs += r.runs
        merged.action_runs += r.action_runs
        merged.cpu_seconds += r.cpu_seconds
        merged.errors += r.errors
    return merged


def _groups(app_pids: list[int], url: str) -> dict[str, list[int]]:
    """The processes of a replica run: app servers, nginx (master and workers: children of this
    process), PostgreSQL (postmaster and backends) and the load client (this process alone)."""
    nginx_pids = [c.pid for c in psutil.Process().children() if c.name() == "nginx"]
    postmaster = _postmaster(url)
    return {
        "app": app_pids,
        "nginx": nginx_pids,
        "postgresql": [postmaster] if postmaster else [],
        "client": [os.getpid()],
    }


def _replicas(url: str) -> list[Figure]:
    """50 sessions through nginx with no think time, to one server and then to two replicas:
    throughput, and the two replicas' latencies against one session alone."""
    count = REPLICA_SESSIONS
    env = _env("postgresql")
    seen: dict[str, int] = {}
    with app_server(url, env) as one, nginx([one.base]) as lb:
        _warm(lb)
        single_tp = measure(
            "nginx → one server, no think time",
            "postgresql",
            [lb],
            [one.process.pid],
            count,
            ROUNDS,
            (0, 0),
            groups=_groups([one.process.pid], url),
        )
        _server_errors(single_tp, [one], seen)
    with app_server(url, env) as a, app_server(url, env) as b, nginx([a.base, b.base]) as lb:
        pids = [a.process.pid, b.process.pid]
        _warm(a.base)
        _warm(b.base)
        alone = _alone_all(lb, pids, "postgresql")
        pair_tp = measure(
            "nginx → two replicas, no think time",
            "postgresql",
            [lb],
            pids,
            count,
            ROUNDS,
            (0, 0),
            groups=_groups(pids, url),
        )
        _server_errors(pair_tp, [a, b], seen)
        people = measure(
            "nginx → two replicas, think time",
            "postgresql",
            [lb],
            pids,
            REPLICA_PEOPLE,
            groups=_groups(pids, url),
        )
        _server_errors(people, [a, b], seen)
    figures = _figures(pair_tp, alone, "")
    figures += _figures(people, alone, "under 1.5 s at 100 sessions, no errors")
    figures.append(
        Figure(
            "two replicas, 50 sessions, no think time: seconds per script run (1 / throughput)",
            1 / pair_tp.runs_per_second,
            "one server behind the same nginx, same load",
            1 / single_tp.runs_per_second,
            "postgresql",
            "ratio near 0.5 (twice the throughput)",
            {
                "runs_per_s_two": round(pair_tp.runs_per_second, 2),
                "runs_per_s_one": round(single_tp.runs_per_second, 2),
                "throughput_ratio": round(pair_tp.runs_per_second / single_tp.runs_per_second, 2),
                "p95_two_s": round(_percentile(pair_tp.action_seconds, 0.95), 3),
                "p95_one_s": round(_percentile(single_tp.action_seconds, 0.95), 3),
                "cpu_s_per_run_two": round(pair_tp.cpu_per_run, 4),
                "cpu_s_per_run_one": round(single_tp.cpu_per_run, 4),
                "errors_two": len(pair_tp.errors),
                "errors_one": len(single_tp.errors),
                "cpu_two": pair_tp.cpu_breakdown,
                "cpu_one": single_tp.cpu_breakdown,
            },
        )
    )
    return figures


_HEAP_PROBE = (
    "import gc, json, time\n"
    "import pandas, altair, sqlalchemy, streamlit\n"
    "import components.forum.tasks, components.forum.views, components.stakeholders.grid\n"
    "import components.stakeholders.network, components.briefing.sections\n"
    "import components.common.charts, components.shell.auth\n"
    "def best():\n"
    "    times = []\n"
    "    for _ in range(3):\n"
    "        t = time.process_time(); gc.collect(); times.append(time.process_time() - t)\n"
    "    return min(times)\n"
    "n = len(gc.get_objects()); full = best(); gc.freeze(); frozen = best()\n"
    "print(json.dumps({'objects': n, 'full': full, 'frozen': frozen}))\n"
)


def _heap_figure() -> Figure:
    """What Streamlit's gc.collect() after every script run costs over the app's imported modules,
    before and after `components.common.cache.settle_heap` freezes them (CPU seconds, best of 3)."""
    heap = probe(_HEAP_PROBE)
    return Figure(
        "gc.collect() after a script run, imported modules frozen (settle_heap)",
        heap["frozen"],
        "the same pass over the same heap unfrozen (as every run paid before)",
        heap["full"],
        "",
        "",
        {"tracked_objects_after_imports": heap["objects"]},
    )


def main() -> None:
    figures: list[Figure] = [_heap_figure()]
    with tempfile.TemporaryDirectory() as tmp:
        with _database("sqlite", Path(tmp)) as url:
            figures += _single("sqlite", url)[0]
        with _database("postgresql", Path(tmp)) as url:
            single, runs = _single("postgresql", url)
            figures += single + _capacity(url, runs)
            figures += _replicas(url)
    write(
        "load",
        figures,
        notes=(
            f"Concurrent sessions ({', '.join(map(str, SESSIONS))}) of a protocol-level client "
            "(the browser's websocket messages, no browser), each logging in through the real "
            f"form (Argon2id at OWASP's parameters) and doing its role's mix {ROUNDS} time(s) "
            f"with a think time of {THINK[0]:.0f}-{THINK[1]:.0f} s before each action (people "
            "read a dashboard page, a task card or a chart for several seconds, rarely under five, "
            "seldom over a quarter of a minute; before 2026-11-30 it was 0.5-1.5 s, a script "
            f"clicking), sessions arriving {RAMP_PER_SESSION} s apart: members open my tasks and "
            "update a task's progress, managers open the forum board and the stakeholder map, "
            "leadership opens the briefing (5:3:2). Latency is action → end of the rerun it caused "
            "(logins separately, as login_p95_s); the baseline is the same actions by one session "
            "alone on the same warmed server in the same run. cpu_s_per_run is the server's CPU "
            "seconds over its script runs (logins' password checks included); runs_per_action "
            "counts the script runs an action caused; mib_per_session is resident memory with "
            "every session open minus before they connected, over the sessions. SQLite runs in "
            "demo mode; PostgreSQL as in production (demo mode is SQLite-only): a shared strong "
            "cookie key, no demo passwords. Capacity: on PostgreSQL, one server "
            f"takes {', '.join(map(str, CAPACITY_STEPS))} sessions after the sizes above until "
            f"its p95 passes {CAPACITY_P95_S:.0f} s; the largest size within it is what one "
            "server, which Python's GIL holds to about one core, serves (people_per_core). "
            "Replicas: nginx (deploy/nginx/employdash.conf) with "
            "cookie-sticky sessions in front of one server and then two, on one PostgreSQL; "
            "throughput is script runs per second with no think time, latency is "
            f"{REPLICA_PEOPLE} people with the same think time as above. The machine has 2 cores "
            "shared by the client, the server(s), nginx, PostgreSQL and other work. "
            "Profile (cProfile per script run, 2026-11-30), and what changed: (1) Streamlit runs "
            "gc.collect() after every script run, holding the GIL; over the heap the app's "
            "imports leave (pandas, Altair's schema, SQLAlchemy) that pass cost 0.3-0.8 s, most "
            "of a warm run's CPU (0.43 s per run measured before), and stalled every other "
            "session; app.py now freezes the imported heap after runs that import new modules "
            "(components/common/cache.py settle_heap; the first figure measures the pass before "
            "and after). (2) An action is one script run: no sleeps, no cookie-component round "
            "trips (gone since the login rework); a login is one script run (until 2026-11-30 it "
            "restarted itself on the server once, counted as 2). (3) Every logged-in run read "
            "and deep-copied all users' credentials for the authenticator and ran an Alembic "
            "revision query: "
            "now only the login form reads credentials, and the schema is checked once per 30 s "
            "per process. (4) Then the pages' own work, led by Altair: each chart was built "
            "(encoding validation) and converted to Vega-Lite twice (chart_a11y.spec_of for its "
            "text alternative, then st.altair_chart), and the stakeholder page built its Excel "
            "downloads on every run. Now (2026-11-30, second round) a chart is converted once, "
            "through Streamlit, and the pages in the mix hand charts.show a builder with its "
            "inputs: the finished spec is cached per inputs (bounded, with a TTL), so an "
            "unchanged chart is neither built nor converted; downloads are built when asked for. "
            "CPU per script run (AppTest, the script thread, median of 7 warm runs) went from "
            "0.20 to 0.10 s (my tasks), 0.37 to 0.17 s (forum board), 0.50 to 0.11 s (stakeholder "
            "map) and 0.06 to 0.03 s (briefing). (5) The one error of the earlier two-replica "
            "run: spec_of converted outside Streamlit's lock over Altair's global data "
            "transformer, so while another session's chart was being converted it could call "
            "Streamlit's half-switched transformer without its datasets (TypeError); fixed, and "
            "the servers' tracebacks are now kept (server_tracebacks, server_errors). "
            "cpu_by_process (cpu_one and cpu_two for the replica runs) splits a run's CPU seconds "
            "between the app server(s), nginx (master and worker), PostgreSQL (postmaster and "
            "backends), the load client and other work (machine_busy minus those; "
            "machine_capacity is wall time x cores): two replicas reach twice one server's "
            "throughput only if the machine has a core left for the second one."
        ),
    )


if __name__ == "__main__":
    main()
