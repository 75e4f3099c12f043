"""Every file under benchmarks/results/ is what `make bench` wrote: each .json parses and has the
harness's shape, with every ratio its own seconds over its baseline, and each .md is exactly what
the harness renders from its .json (a hand edit to either shows here)."""

from __future__ import annotations

import json
import math

import pytest

from benchmarks.harness import RESULTS, render_markdown

FILES = sorted(p for p in RESULTS.iterdir() if not p.name.startswith("."))
AREAS = sorted({p.stem for p in FILES})
FIGURE_KEYS = {
    "name",
    "seconds",
    "baseline",
    "baseline_seconds",
    "database",
    "aim",
    "extra",
    "ratio",
}


def test_results_are_json_and_markdown_pairs() -> None:
    assert FILES, "benchmarks/results/ is empty"
    for path in FILES:
        assert path.suffix in {".json", ".md"}, f"{path.name}: not written by the harness"
    for area in AREAS:
        assert (RESULTS / f"{area}.json").exists(), f"{area}.md has no {area}.json"
        assert (RESULTS / f"{area}.md").exists(), f"{area}.json has no {area}.md"


@pytest.mark.parametrize("area", AREAS)
def test_results_file_is_as_measured(area: str) -> None:
    path = RESULTS / f"{area}.json"
    result = json.loads(path.read_text(encoding="utf-8"))
    assert set(result) == {"meta", "figures"}
    assert set(result["meta"]) == {"at", "python", "machine", "notes"}
    assert result["figures"], f"{path.name} has no figures"
    for row in result["figures"]:
        assert set(row) == FIGURE_KEYS, f"{row.get('name')}: {sorted(row)}"
        assert isinstance(row["seconds"], int | float) and isinstance(row["extra"], dict)
        if row["baseline_seconds"]:
            expected = round(row["seconds"] / row["baseline_seconds"], 3)
            assert math.isclose(row["ratio"], expected, abs_tol=1e-9) or (
                math.isnan(row["ratio"]) and math.isnan(expected)
            ), row["name"]
    markdown = (RESULTS / f"{area}.md").read_text(encoding="utf-8")
    assert markdown == render_markdown(area, result), f"{area}.md differs from its .json"
