"""Timing, ratios and result files shared by every benchmark module."""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


@dataclass
class Figure:
    """One measured operation against its baseline (the raw query or raw operation)."""

    name: str
    seconds: float
    baseline: str
    baseline_seconds: float
    database: str = ""
    aim: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_seconds if self.baseline_seconds else float("inf")


def median_time(fn: Callable[[], Any], repeat: int = 5, warmup: int = 0) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def paired_median_times(
    fn: Callable[[], Any], baseline: Callable[[], Any], repeat: int = 7, warmup: int = 1
) -> tuple[float, float]:
    """Medians of `fn` and its `baseline`, timed alternately so that both see the same machine
    (on a shared machine the load shifts between two separate series of samples)."""
    for _ in range(warmup):
        baseline()
        fn()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for series, call in zip(samples, (fn, baseline), strict=True):
            start = time.perf_counter()
            call()
            series.append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def probe(code: str) -> dict[str, Any]:
    """Run `code` in a fresh interpreter at the repository's root and return the JSON object it
    prints last (for what only a new process shows: import costs, the heap after imports)."""
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return found


def once(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


@contextmanager
def peak_memory() -> Iterator[dict[str, float]]:
    """Peak Python-allocated memory (MiB) inside the block."""
    box: dict[str, float] = {}
    tracemalloc.start()
    try:
        yield box
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        box["peak_mib"] = peak / 2**20


def on_both_databases(name: str, measure: Callable[[Any, str], list[Figure]]) -> list[Figure]:
    """`measure(db, label)` on a fresh SQLite file, then on a fresh PostgreSQL database `name`
    of a throwaway server."""
    import tempfile

    from employdash.db import Database
    from tests.support.postgres import create_database, running_server

    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        figures += measure(db, "sqlite")
        db.dispose()
    with running_server() as server:
        db = Database(create_database(server, name))
        figures += measure(db, "postgresql")
        db.dispose()
    return figures


def write(area: str, figures: list[Figure], notes: str = "") -> Path:
    """Write `results/<area>.json` and a readable `results/<area>.md` rendered from it.

    These files are only ever written here: tests/test_benchmark_results.py parses every one and
    checks each .md is what this renders from its .json, so a hand edit shows.
    """
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "notes": notes,
    }
    rows = [{**asdict(f), "ratio": round(f.ratio, 3)} for f in figures]
    (RESULTS / f"{area}.json").write_text(
        json.dumps({"meta": meta, "figures": rows}, indent=2, ensure_ascii=False, default=str)
    )
    text = render_markdown(area, json.loads((RESULTS / f"{area}.json").read_text()))
    path = RESULTS / f"{area}.md"
    path.write_text(text, encoding="utf-8")
    print(text)
    return path


def render_markdown(area: str, result: dict[str, Any]) -> str:
    """The readable table of one results file, from its parsed JSON."""
    meta = result["meta"]
    lines = [
        f"# {area}",
        "",
        f"Measured {meta['at']} (Python {meta['python']}, {meta['machine']}).",
        "",
        meta["notes"],
        "",
        "| figure | db | seconds | baseline | baseline s | ratio | aim | extra |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result["figures"]:
        f = Figure(**{k: v for k, v in row.items() if k != "ratio"})
        extra = ", ".join(f"{k}={v}" for k, v in f.extra.items())
        lines.append(
            f"| {f.name} | {f.database} | {f.seconds:.4f} | {f.baseline} | "
            f"{f.baseline_seconds:.4f} | {f.ratio:.2f}× | {f.aim} | {extra} |"
        )
    return "\n".join(lines) + "\n"
