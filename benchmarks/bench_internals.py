"""What each of Streamlit's private APIs the app shell leans on buys, measured with and without.

tests/test_streamlit_internals.py holds each kept one to the signature and behaviour relied on;
this module holds each to a figure. Three are timed here:

- `vega_charts._convert_altair_to_vega_lite_spec` (components/common/charts.py): a chart is
  converted once, the way `st.altair_chart` converts it, and the finished spec is cached per
  inputs, so a rerun with the same data draws it with no conversion. With the public API only
  (`st.altair_chart`, the chart and its text alternative cached) every run converts it again.
- `gc.freeze` after a run that imported modules (components/common/cache.py settle_heap): the
  `gc.collect()` Streamlit runs after every script run, over the app's imported heap, frozen
  and not (the same probe as benchmarks/bench_load.py).
- the warm-up thread (components/shell/warmup.py): what the first login of a fresh server would
  import inside its own round trip without it (every page's modules after the login form's),
  against the same imports once the warm-up has done them.

The fourth, `ScriptRunContext.pages_manager.main_script_hash` with `run_with_active_hash`
(app.py), is a correctness fix, not a speed-up: without it the first submit of a fresh server's
login form arrives empty (tests/e2e/test_login_fast.py fails).
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from benchmarks.bench_load import _heap_figure
from benchmarks.harness import Figure, paired_median_times, probe, write
from components.common import chart_a11y, charts

REPEAT = 15

# After the login form's run: what that run has imported (the shell), then every page's modules.
_WARMUP_PROBE = (
    "import contextlib, importlib, json, time\n"
    "import streamlit\n"
    "import components.shell.auth, components.shell.navigation, components.shell.frame\n"
    "import components.shell.style, components.shell.warmup\n"
    "names = components.shell.warmup.plan()\n"
    "def load():\n"
    "    t = time.perf_counter()\n"
    "    for name in names:\n"
    "        with contextlib.suppress(ImportError):\n"
    "            importlib.import_module(name)\n"
    "    return time.perf_counter() - t\n"
    "cold = load(); warm = load()\n"
    "print(json.dumps({'cold': cold, 'warm': warm, 'modules': len(names)}))\n"
)


def _series() -> pd.DataFrame:
    """A briefing-sized line chart: five localities over three years of months."""
    months = pd.date_range(date(2024, 1, 1), periods=36, freq="MS")
    rows = [
        {"month": m.date(), "locality": f"locality {i}", "value": float(100 + i * 7 + n % 5)}
        for i in range(5)
        for n, m in enumerate(months)
    ]
    return pd.DataFrame(rows)


def _chart_figure() -> Figure:
    frame = _series()

    def build() -> alt.Chart:
        return charts.lines(
            frame, "month", "value", "locality", "he", x_title="חודש", y_title="דורשי עבודה"
        )

    # The public route at its best: the chart and its text alternative built once and kept;
    # st.altair_chart still converts the chart on every run.
    built = build()
    text = chart_a11y.describe(built.to_dict(validate=False), "he", len(frame))
    public = built.properties(description=text)

    def kept() -> None:
        charts.show(build, "he", inputs=(frame,))

    def public_only() -> None:
        st.altair_chart(public)

    kept_s, public_s = paired_median_times(kept, public_only, repeat=REPEAT, warmup=2)
    return Figure(
        "a rerun draws an unchanged chart: spec converted once (private converter) and cached",
        kept_s,
        "public API only: st.altair_chart converts the kept chart on every run",
        public_s,
        extra={"rows": len(frame), "repeat": REPEAT},
    )


def _warmup_figure() -> Figure:
    imports = probe(_WARMUP_PROBE)
    return Figure(
        "first login's page imports after the warm-up imported them",
        imports["warm"],
        "the same imports inside the first login's round trip (no warm-up)",
        imports["cold"],
        extra={"modules": imports["modules"]},
    )


def main() -> None:
    figures = [_chart_figure(), _heap_figure(), _warmup_figure()]
    write(
        "internals",
        figures,
        notes=(
            "Each private Streamlit API the app shell uses (and the gc.freeze and warm-up thread "
            "that work around Streamlit's runner), measured with it and without it on this "
            "shared 2-core machine. Chart: median of "
            f"{REPEAT} paired runs outside a server (the conversion is the same in one). Heap: "
            "gc.collect() CPU seconds over the app's imported modules, best of 3, frozen and not. "
            "Warm-up: wall seconds in a fresh interpreter that has imported the login form's "
            "modules. The main-script hash of app.py is kept for correctness (the first login "
            "of a fresh server), not timed: tests/e2e/test_login_fast.py."
        ),
    )


if __name__ == "__main__":
    main()
