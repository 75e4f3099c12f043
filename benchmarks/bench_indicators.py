"""Indicators at scale: 1,300 localities × 15 years × 12 months × 10 indicators (≈2.3M values),
on SQLite and PostgreSQL.

Figures (each against a baseline measured in the same run):
- the national views: the indicator services an admin calls over all 1,300
  localities (series, the map's month, ranks, district aggregates), against the same SQL run
  alone; aim under 1 s on both databases (`results/indicators_national.*`);
- briefing and explorer rendered server-side with AppTest, cold (caches cleared) and warm,
  against the raw SQL queries for the same figures plus an empty AppTest page;
- importing 1M rows through the validating importer, against pandas.read_csv plus a bulk insert
  with no validation, with peak Python memory of each.
Data is generated with numpy and written with executemany (SQLite) or COPY (PostgreSQL).
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import Table, insert, text

from benchmarks.harness import (
    Figure,
    median_time,
    once,
    peak_memory,
    write,
)
from employdash.db import Database, migrate
from employdash.indicators.catalogue import ensure_catalogue
from employdash.models.indicators import IndicatorValue
from employdash.seed.core import load_localities
from employdash.users import CHEAP, hash_password, load_actor
from tests.support.present import present

LOCALITIES = 1300
YEARS = 15
END = date(2026, 10, 1)
INDICATORS = (
    "job_seekers",
    "unemployment_rate",
    "avg_wage",
    "jobs",
    "businesses",
    "open_positions",
    "job_seekers.gender.men",
    "job_seekers.gender.women",
    "job_seekers.age_group.18_24",
    "job_seekers.age_group.55_plus",
)
IMPORT_ROWS = 1_000_000
LOCALITY = 1031
COLUMNS = ("locality_code", "period", "indicator_code", "value", "status", "source", "recorded_at")
RECORDED = datetime(2026, 11, 15, 9, tzinfo=UTC)


def months(count: int, end: date = END) -> list[date]:
    last = end.year * 12 + end.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(last - count + 1, last + 1)]


# --- schema and reference data ------------------------------------------------------------------


def prepare_schema(db: Database) -> list[int]:
    """Migrated schema, the CBS localities plus synthetic ones up to 1,300, the catalogue and
    two users (an admin and a mayor of Sederot). Returns the locality codes."""
    migrate(db)
    with db.transaction() as s:
        load_localities(s)
        ensure_catalogue(s)
        codes = [r[0] for r in s.execute(text("SELECT code FROM locality ORDER BY code"))]
        extra = [
            {
                "code": 900000 + i,
                "name_he": f"יישוב {i}",
                "name_en": f"Locality {i}",
                "district_id": 6,
                "district_he": "הדרום",
                "district_en": "Southern",
                "population": 3000 + 137 * i,
                "latitude": 31.0 + i / 500,
                "longitude": 34.8,
                "is_program": False,
            }
            for i in range(LOCALITIES - len(codes))
        ]
        if extra:
            s.execute(
                text(
                    "INSERT INTO locality (code, name_he, name_en, district_id, district_he, "
                    "district_en, population, latitude, longitude, is_program) VALUES (:code, "
                    ":name_he, :name_en, :district_id, :district_he, :district_en, :population, "
                    ":latitude, :longitude, :is_program)"
                ),
                extra,
            )
        s.execute(
            text(
                "UPDATE locality SET is_program = (code IN (2800, 1063, 8000, 9200, 874, "
                "7500, 1061, 2200, 831, 31, 1031, 246, 1161, 2560))"
            )
        )
        password = hash_password("bench", CHEAP)
        # "nobody" has no locality: the shell plus an empty page, the renders' floor.
        for username, role in (
            ("admin", "admin"),
            ("mayor", "leadership"),
            ("nobody", "leadership"),
        ):
            user_id = s.execute(
                text(
                    "INSERT INTO app_user (username, full_name, password_hash, role, language, "
                    "active, created_at, version) VALUES (:u, :u, :p, :r, 'he', :a, :c, 1) "
                    "RETURNING id"
                ),
                {"u": username, "p": password, "r": role, "a": True, "c": RECORDED},
            ).scalar_one()
            if role == "leadership":
                s.execute(
                    text("INSERT INTO user_locality (user_id, locality_code) VALUES (:i, :c)"),
                    {"i": user_id, "c": LOCALITY},
                )
        return codes + [e["code"] for e in extra]


def value_rows(codes: list[int], periods: list[date], seed: int = 7) -> Iterator[tuple[Any, ...]]:
    """Yield rows per locality (plausible levels, seasonal, noisy), as tuples of COLUMNS."""
    rng = np.random.default_rng(seed)
    season = np.array([1.05, 1.06, 1.03, 1.0, 0.98, 0.96, 0.95, 0.96, 0.99, 1.02, 1.0, 1.02])
    month_index = np.array([p.month - 1 for p in periods])
    stamp = RECORDED
    for code in codes:
        pop = rng.uniform(2_000, 200_000)
        rate = rng.uniform(0.03, 0.09) * season[month_index] * rng.uniform(0.97, 1.03, len(periods))
        seekers = np.round(pop * 0.45 * rate)
        series = {
            "job_seekers": seekers,
            "unemployment_rate": np.round(rate, 4),
            "avg_wage": np.round(
                rng.uniform(8000, 13000) * (1.03 ** (np.arange(len(periods)) / 12))
            ),
            "jobs": np.round(pop * rng.uniform(0.2, 0.4) * (2 - season[month_index])),
            "businesses": np.round(np.full(len(periods), pop / rng.uniform(18, 30))),
            "open_positions": np.round(pop * 0.005 * (2 - season[month_index])),
            "job_seekers.gender.men": np.round(seekers * 0.46),
            "job_seekers.gender.women": seekers - np.round(seekers * 0.46),
            "job_seekers.age_group.18_24": np.round(seekers * 0.13),
            "job_seekers.age_group.55_plus": np.round(seekers * 0.2),
        }
        for indicator in INDICATORS:
            for period, value in zip(periods, series[indicator].tolist(), strict=True):
                yield (code, period, indicator, value, "ok", "bench", stamp)


def load_sqlite(path: Path, rows: Iterable[tuple[Any, ...]]) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    batch = []
    sql = f"INSERT INTO indicator_value ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * 7)})"
    stamp = RECORDED.strftime("%Y-%m-%d %H:%M:%S.%f")
    days: dict[date, str] = {}
    for code, period, indicator, value, status, source, _ in rows:
        day = days.get(period) or days.setdefault(period, period.isoformat())
        batch.append((code, day, indicator, value, status, source, stamp))
        if len(batch) >= 100_000:
            con.executemany(sql, batch)
            batch.clear()
    con.executemany(sql, batch)
    con.commit()
    con.close()


def load_postgres(url: str, rows: Iterable[tuple[Any, ...]]) -> None:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY indicator_value ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute("ANALYZE indicator_value")


# --- page renders against raw SQL -------------------------------------------------------------

RAW_BRIEFING = (
    (
        "SELECT period FROM indicator_value WHERE locality_code = :c AND indicator_code IN "
        "('job_seekers','unemployment_rate','avg_wage','jobs','businesses','open_positions') "
        "ORDER BY period DESC LIMIT 1"
    ),
    (
        "SELECT locality_code, period, indicator_code, value, status FROM indicator_value "
        "WHERE locality_code = :c AND indicator_code IN ('job_seekers','unemployment_rate',"
        "'avg_wage','jobs','businesses','open_positions') AND period >= :start AND period <= :end"
    ),
    (
        "SELECT v.period, v.indicator_code, SUM(v.value), COUNT(v.value) FROM indicator_value v "
        "JOIN locality l ON l.code = v.locality_code WHERE l.district_id = 6 AND v.indicator_code "
        "IN ('job_seekers','jobs','businesses','open_positions') AND v.period >= :start AND "
        "v.period <= :end GROUP BY v.period, v.indicator_code"
    ),
    (
        "SELECT v.period, v.indicator_code, SUM(v.value * l.population) / SUM(l.population) "
        "FROM indicator_value v JOIN locality l ON l.code = v.locality_code WHERE "
        "l.district_id = 6 AND v.indicator_code IN ('unemployment_rate','avg_wage') AND "
        "v.period >= :start AND v.period <= :end GROUP BY v.period, v.indicator_code"
    ),
    (
        "SELECT v.indicator_code, v.locality_code, v.value, l.district_id, l.population FROM "
        "indicator_value v JOIN locality l ON l.code = v.locality_code WHERE v.indicator_code IN "
        "('job_seekers','unemployment_rate','avg_wage','jobs','businesses','open_positions') AND "
        "v.period = :end AND v.value IS NOT NULL AND l.population > 0"
    ),
)
RAW_EXPLORER = (
    (
        "SELECT locality_code, period, indicator_code, value, status FROM indicator_value WHERE "
        "locality_code = :c AND indicator_code = 'job_seekers' AND period >= :start12 AND "
        "period <= :end"
    ),
    (
        "SELECT v.period, SUM(v.value) FROM indicator_value v JOIN locality l ON "
        "l.code = v.locality_code WHERE l.district_id = 6 AND v.indicator_code = 'job_seekers' "
        "AND v.period >= :start AND v.period <= :end GROUP BY v.period"
    ),
    (
        "SELECT l.code, l.population, v.value FROM indicator_value v JOIN locality l ON "
        "l.code = v.locality_code WHERE v.indicator_code = 'job_seekers' AND v.period = :end"
    ),
    (
        "SELECT l.code, l.latitude, l.longitude, l.population, v.value FROM locality l LEFT JOIN "
        "indicator_value v ON v.locality_code = l.code AND v.indicator_code = 'job_seekers' AND "
        "v.period = :end WHERE l.is_program"
    ),
    (
        "SELECT indicator_code, value FROM indicator_value WHERE locality_code = :c AND "
        "period = :end AND indicator_code LIKE 'job_seekers%'"
    ),
)


def raw_seconds(db: Database, queries: tuple[str, ...]) -> float:
    params = {"c": LOCALITY, "start": date(2024, 10, 1), "start12": date(2023, 10, 1), "end": END}

    def run() -> None:
        with db.engine.connect() as conn:
            for sql in queries:
                conn.execute(text(sql), params).all()

    return median_time(run, repeat=5, warmup=1)


@contextmanager
def app_on(url: str):  # type: ignore[no-untyped-def]
    from tests.support.apptest import reset_caches

    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    reset_caches()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old
        reset_caches()


def render_seconds(page: str, username: str) -> tuple[float, float]:
    """(cold, warm) seconds to render `page` server-side, after the shell's first run."""
    import streamlit as st

    from tests.support.apptest import app_as

    colds, warms = [], []
    for _ in range(3):
        at = app_as(username, locality=LOCALITY)  # the shell's first run (and default page)
        st.cache_data.clear()
        start = time.perf_counter()
        at.switch_page(page).run()
        colds.append(time.perf_counter() - start)
        assert not at.exception, at.exception
        warms.append(median_time(at.run, repeat=3))
    return float(np.median(colds)), float(np.median(warms))


def empty_page_seconds() -> float:
    """The app shell (login state, scope, navigation) drawing a page with nothing to show."""
    from tests.support.apptest import app_as

    at = app_as("nobody")
    assert not at.exception, at.exception
    return median_time(lambda: at.run(), repeat=5)


def page_figures(db: Database, label: str) -> list[Figure]:
    figures = []
    with app_on(db.url):
        empty = empty_page_seconds()
        for name, page, queries in (
            ("briefing", "pages/briefing.py", RAW_BRIEFING),
            ("explorer", "pages/explorer.py", RAW_EXPLORER),
        ):
            raw = raw_seconds(db, queries)
            cold, warm = render_seconds(page, "mayor")
            figures.append(
                Figure(
                    f"{name} render, cold",
                    cold,
                    "raw SQL + empty page",
                    raw + empty,
                    label,
                    "≤ 1.5×",
                    {"raw_sql_s": round(raw, 4), "empty_page_s": round(empty, 4)},
                )
            )
            figures.append(
                Figure(
                    f"{name} render, warm",
                    warm,
                    "raw SQL + empty page",
                    raw + empty,
                    label,
                    "< 0.2 s",
                )
            )
    return figures


# --- national views: every locality at once ------------------------------------------------------

HEADLINES = ["job_seekers", "unemployment_rate", "avg_wage", "jobs", "businesses", "open_positions"]


def _raw_series(codes: list[int], indicators: list[str], start: date) -> tuple[str, dict[str, Any]]:
    """The series' SQL as the service sends it (it sorts in pandas, not in SQL)."""
    marks = ", ".join(f"'{i}'" for i in indicators)
    places = ", ".join(str(c) for c in codes)
    return (
        "SELECT locality_code, period, indicator_code, value, status FROM indicator_value WHERE "
        f"locality_code IN ({places}) AND indicator_code IN ({marks}) AND period >= :start AND "
        "period <= :end",
        {"start": start, "end": END},
    )


RAW_MAP = (
    "SELECT l.code, l.name_he, l.name_en, l.latitude, l.longitude, l.population, v.value, "
    "v.status FROM locality l LEFT JOIN indicator_value v ON v.locality_code = l.code AND "
    "v.indicator_code = 'job_seekers' AND v.period = :end"
)
RAW_RANKS = (
    "SELECT l.code, l.district_id, l.population, v.value * 1000.0 / l.population FROM "
    "indicator_value v JOIN locality l ON l.code = v.locality_code WHERE v.indicator_code = "
    "'job_seekers' AND v.period = :end AND v.value IS NOT NULL AND l.population > 0"
)
RAW_DISTRICT = (
    "SELECT v.period, v.indicator_code, SUM(v.value), COUNT(v.value) FROM indicator_value v "
    "JOIN locality l ON l.code = v.locality_code WHERE l.district_id = 6 AND v.indicator_code "
    "IN ('job_seekers','jobs','businesses','open_positions') AND v.period >= :start AND "
    "v.period <= :end GROUP BY v.period, v.indicator_code"
)


def _raw(db: Database, sql: str, params: dict[str, Any], repeat: int = 2) -> float:
    def run() -> None:
        with db.engine.connect() as conn:
            conn.execute(text(sql), params).all()

    return median_time(run, repeat=repeat, warmup=1)


def national_figures(db: Database, label: str) -> list[Figure]:
    """The indicator services over all localities, as an admin (national scope) calls them."""
    from employdash.indicators import values as indicators

    admin = load_actor(db, "admin")
    assert admin is not None
    with db.engine.connect() as conn:
        codes = [r[0] for r in conn.execute(text("SELECT code FROM locality ORDER BY code"))]
    start12, start24 = date(2025, 11, 1), date(2024, 11, 1)
    cases = (
        (
            "national series, job seekers × 12 months",
            lambda: indicators.series(db, admin, codes, ["job_seekers"], start12, END),
            _raw_series(codes, ["job_seekers"], start12),
        ),
        (
            "national series, 6 headlines × 24 months",
            lambda: indicators.series(db, admin, codes, HEADLINES, start24, END),
            _raw_series(codes, HEADLINES, start24),
        ),
        (
            "national map, one month",
            lambda: indicators.latest_in_scope(db, admin, "job_seekers", END, codes),
            (RAW_MAP, {"end": END}),
        ),
        (
            "ranks in district and size band",
            lambda: indicators.rankings(db, admin, LOCALITY, "job_seekers", END),
            (RAW_RANKS, {"end": END}),
        ),
        (
            "district aggregates, 6 headlines × 24 months",
            lambda: indicators.district_series(db, admin, LOCALITY, HEADLINES, start24, END),
            (RAW_DISTRICT, {"start": start24, "end": END}),
        ),
    )
    figures = []
    for name, call, (sql, params) in cases:
        seconds = median_time(call, repeat=3, warmup=1)
        raw = _raw(db, sql, params)
        figures.append(
            Figure(
                name, seconds, "the same SQL alone", raw, label, "< 1 s", {"localities": len(codes)}
            )
        )
        print(f"{label}: {name}: {seconds:.3f} s (raw {raw:.3f} s)", flush=True)
    return figures


# --- import of 1M rows ------------------------------------------------------------------------


def import_file(codes: list[int]) -> bytes:
    periods = months(IMPORT_ROWS // (len(codes) * len(INDICATORS)) + 1, date(2011, 10, 1))
    buffer = io.StringIO()
    buffer.write("locality_code,period,indicator,value\n")
    for code, period, indicator, value, *_ in islice(
        value_rows(codes, periods, seed=11), IMPORT_ROWS
    ):
        buffer.write(f"{code},{period:%Y-%m},{indicator},{value:g}\n")
    return buffer.getvalue().encode("utf-8")


def baseline_import(db: Database, data: bytes) -> None:
    """pandas read and bulk insert, no validation: the floor any importer stands on."""
    frame = pd.read_csv(io.BytesIO(data))
    frame["period"] = pd.to_datetime(frame["period"] + "-01").dt.date
    rows = [
        {
            "locality_code": c,
            "period": p,
            "indicator_code": i,
            "value": v,
            "status": "ok",
            "source": "bench",
            "recorded_at": RECORDED,
        }
        for c, p, i, v in frame.itertuples(index=False, name=None)
    ]
    with db.transaction() as s:
        for start in range(0, len(rows), 20_000):
            s.execute(insert(cast(Table, IndicatorValue.__table__)), rows[start : start + 20_000])


def raw_copy(db: Database, data: bytes) -> None:
    """The same rows straight into the table through PostgreSQL's COPY, no validation, no
    comparison, no history: the database's own floor for loading them. pandas reads the file
    and writes the rows back as CSV text (in C), sent in 8 MB blocks: no per-row Python, so
    nothing but the parse and the server's own work is measured."""
    import psycopg

    frame = pd.read_csv(io.BytesIO(data), dtype={"period": str})
    frame["period"] += "-01"
    frame["status"], frame["source"], frame["recorded_at"] = "ok", "bench", RECORDED.isoformat()
    body = frame.to_csv(index=False, header=False)
    plain = db.url.replace("postgresql+psycopg://", "postgresql://")
    with (
        psycopg.connect(plain) as conn,
        conn.cursor() as cur,
        cur.copy(f"COPY indicator_value ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv)") as copy,
    ):
        for start in range(0, len(body), RAW_BLOCK):
            copy.write(body[start : start + RAW_BLOCK])


RAW_BLOCK = 8 << 20


# The PostgreSQL import measured before it went through COPY (results/indicators.md,
# 2026-11-23): the importer's aim is a third of it.
IMPORT_BEFORE_COPY_S = 29.153


def copy_figures(fresh: Callable[[], Database], data: bytes, rounds: int = 1) -> list[Figure]:
    """The importer on PostgreSQL against a raw COPY of the same rows and against the bulk
    insert the importer stood on before (pandas + executemany), each on a fresh empty database
    (not timed), alternately so that they see the same machine; the bulk insert, the slowest
    and only a reference, in the first round only. The extras keep every sample, the importer's
    own CPU time (its process only: what a loaded machine inflates least) and the load average
    (1 minute) at the start of each round."""
    from employdash.indicators.imports import commit_import

    def importer(db: Database) -> None:
        actor = present(load_actor(db, "admin"))
        commit_import(db, actor, "bench.csv", data, "bench", date(2026, 11, 23))

    runs: dict[str, Callable[[Database], None]] = {
        "importer": importer,
        "copy": partial(raw_copy, data=data),
        "executemany": partial(baseline_import, data=data),
    }
    samples: dict[str, list[float]] = {name: [] for name in runs}
    cpu: list[float] = []
    load: list[float] = []
    for round_ in range(rounds):
        load.append(round(os.getloadavg()[0], 1))
        for name, run in runs.items():
            if name == "executemany" and round_:
                continue
            db = fresh()
            started = time.process_time()
            seconds, _ = once(partial(run, db))
            if name == "importer":
                cpu.append(round(time.process_time() - started, 2))
            db.dispose()
            samples[name].append(seconds)
            print(f"copy bench: {name} {seconds:.2f} s", flush=True)
    seconds = float(np.median(samples["importer"]))
    aim = f"≤ {IMPORT_BEFORE_COPY_S / 3:.1f} s (a third of {IMPORT_BEFORE_COPY_S} s before COPY)"
    return [
        Figure(
            "import 1M rows (long CSV) through COPY",
            seconds,
            "raw COPY of the same rows",
            float(np.median(samples["copy"])),
            "postgresql",
            aim,
            {
                "importer_s": [round(x, 2) for x in samples["importer"]],
                "raw_copy_s": [round(x, 2) for x in samples["copy"]],
                "importer_cpu_s": cpu,
                "load_avg_1min": load,
            },
        ),
        Figure(
            "import 1M rows (long CSV) through COPY",
            seconds,
            "pandas read + bulk insert (executemany)",
            float(np.median(samples["executemany"])),
            "postgresql",
            "before COPY: 1.13× (29.153 s against 25.754 s)",
        ),
    ]


def import_figures(fresh: Callable[[], Database], label: str, data: bytes) -> list[Figure]:
    from employdash.indicators.imports import commit_import

    measured = {}
    for name, run in (
        (
            "importer",
            lambda db: commit_import(
                db, present(load_actor(db, "admin")), "bench.csv", data, "bench", date(2026, 11, 23)
            ),
        ),
        ("baseline", lambda db: baseline_import(db, data)),
    ):
        db = fresh()
        seconds, _ = once(partial(run, db))
        db.dispose()
        db = fresh()
        with peak_memory() as memory:
            run(db)
        db.dispose()
        measured[name] = (seconds, memory["peak_mib"])
    return [
        Figure(
            "import 1M rows (long CSV)",
            measured["importer"][0],
            "pandas read + bulk insert",
            measured["baseline"][0],
            label,
            "≤ 2×",
            {
                "peak_mib": round(measured["importer"][1]),
                "baseline_peak_mib": round(measured["baseline"][1]),
            },
        )
    ]


# --- driver -----------------------------------------------------------------------------------


def sqlite_figures(work: Path) -> list[Figure]:
    template = work / "empty.db"
    db = Database(f"sqlite:///{template}")
    codes = prepare_schema(db)
    db.dispose()
    full = work / "full.db"
    shutil.copyfile(template, full)
    started = time.perf_counter()
    load_sqlite(full, value_rows(codes, months(YEARS * 12)))
    print(f"sqlite: generated in {time.perf_counter() - started:.0f} s", flush=True)
    db = Database(f"sqlite:///{full}")
    NATIONAL.extend(national_figures(db, "sqlite"))
    if ONLY_NATIONAL:
        db.dispose()
        return []
    figures = page_figures(db, "sqlite")
    db.dispose()

    def fresh() -> Database:
        target = work / "import.db"
        shutil.copyfile(template, target)
        return Database(f"sqlite:///{target}")

    return figures + import_figures(fresh, "sqlite", import_file(codes))


def postgres_figures() -> list[Figure]:
    from tests.support.postgres import create_database, drop_database, running_server

    with running_server() as server:
        db = Database(create_database(server, "bench_ind_empty"))
        codes = prepare_schema(db)
        db.dispose()
        full_url = create_database(server, "bench_ind_full", template="bench_ind_empty")
        started = time.perf_counter()
        load_postgres(full_url, value_rows(codes, months(YEARS * 12)))
        print(f"postgres: generated in {time.perf_counter() - started:.0f} s", flush=True)
        db = Database(full_url)
        NATIONAL.extend(national_figures(db, "postgresql"))
        if ONLY_NATIONAL:
            db.dispose()
            for name in ("bench_ind_full", "bench_ind_empty"):
                drop_database(server, name)
            return []
        figures = page_figures(db, "postgresql")
        db.dispose()

        def fresh() -> Database:
            drop_database(server, "bench_ind_import")
            return Database(create_database(server, "bench_ind_import", template="bench_ind_empty"))

        data = import_file(codes)
        figures += [*import_figures(fresh, "postgresql", data), *copy_figures(fresh, data)]
        for name in ("bench_ind_full", "bench_ind_import", "bench_ind_empty"):
            drop_database(server, name)
        return figures


def postgres_copy_figures() -> list[Figure]:
    """Only the PostgreSQL import through COPY against raw COPY (no generated values)."""
    from tests.support.postgres import create_database, drop_database, running_server

    with running_server() as server:
        db = Database(create_database(server, "bench_ind_empty"))
        codes = prepare_schema(db)
        db.dispose()

        def fresh() -> Database:
            drop_database(server, "bench_ind_import")
            return Database(create_database(server, "bench_ind_import", template="bench_ind_empty"))

        figures = copy_figures(fresh, import_file(codes), COPY_ROUNDS)
        for name in ("bench_ind_import", "bench_ind_empty"):
            drop_database(server, name)
        return figures


# Set BENCH_INDICATORS=national to measure only the national views (no renders, no import),
# BENCH_INDICATORS=copy only the PostgreSQL import against raw COPY.
ONLY_NATIONAL = os.environ.get("BENCH_INDICATORS") == "national"
ONLY_COPY = os.environ.get("BENCH_INDICATORS") == "copy"
COPY_ROUNDS = 3
NATIONAL: list[Figure] = []


def main() -> None:
    if ONLY_COPY:
        load = os.getloadavg()[0]
        figures = postgres_copy_figures()
        write(
            "indicators_copy",
            figures,
            f"{IMPORT_ROWS:,} rows of a long CSV over {LOCALITIES} localities, imported on "
            "PostgreSQL into an empty database by the validating importer (read, parse, match "
            "localities and indicators, compare with the stored values for the preview, sort "
            "again at the commit, COPY of the new values straight into the table as CSV text in "
            "blocks, revisions through a staging table and one merge, the batch's audit rows, "
            "commit; synchronous_commit untouched). Baseline: the database's floor for the same "
            "rows, pandas.read_csv, the rows written back as CSV by pandas and sent by COPY "
            "(FORMAT csv) in 8 MB blocks into the same table with the same indexes, keys and "
            "constraints, no validation, no comparison, no audit. Each run on a fresh copy of "
            "the empty database (its creation not timed); importer and raw COPY alternately, "
            f"{COPY_ROUNDS} rounds, medians; the bulk insert the importer was measured against "
            "before (pandas.read_csv + executemany) once, in the first round. Taken on the "
            "shared 2-core machine while other helpers ran tests and benchmarks (load average "
            f"{load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, per round in the "
            "extras): the seconds are pessimistic, the ratio to the raw COPY, measured under "
            "the same load, much less so.",
        )
        return
    work = Path(tempfile.mkdtemp(prefix="bench-indicators-"))
    try:
        figures = sqlite_figures(work) + postgres_figures()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    values = LOCALITIES * YEARS * 12 * len(INDICATORS)
    write(
        "indicators_national",
        NATIONAL,
        f"{LOCALITIES} localities × {YEARS} years × 12 months × {len(INDICATORS)} indicators "
        f"= {values:,} values. Each figure is an indicator service called as an admin (national "
        "scope) over every locality, median of 3 after one warm-up, against the same SQL run "
        "alone on one connection (median of 2). The series reads the driver's rows straight "
        "into pandas and sorts there (no ORDER BY). Aim: under 1 s on both databases.",
    )
    if ONLY_NATIONAL:
        return
    write(
        "indicators",
        figures,
        f"{LOCALITIES} localities × {YEARS} years × 12 months × {len(INDICATORS)} indicators "
        f"= {values:,} values. Renders are AppTest runs of the real app as the mayor of "
        "Sederot (median of 3 cold runs after clearing st.cache_data; warm = rerun with caches "
        "filled). Raw SQL = the same figures' queries run alone on one connection; empty "
        "page = the app shell for a user with no locality (same login state, navigation and "
        "sidebar, nothing to draw). The validating importer disables the cyclic GC while it "
        "works (its rows hold no cycles); the baseline runs with defaults. Import: "
        "the validating importer (parse, match, compare, insert) against pandas.read_csv + "
        "executemany of the same rows; peak memory is Python's (tracemalloc), measured in a "
        "separate run.",
    )


if __name__ == "__main__":
    main()
