"""Charts' text alternatives: a sentence in the reader's language, a table with the same numbers."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import pytest
from streamlit.elements import vega_charts

from components.common import chart_a11y, chart_specs, charts


def _series() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [date(2026, m, 1) for m in (1, 2, 3)] * 2,
            "locality": ["Sderot"] * 3 + ["District"] * 3,
            "value": [10.0, 12.0, 11.0, 20.0, 21.0, 22.0],
        }
    )


def _spec(chart: vega_charts.AltairChart) -> dict[str, Any]:
    """The spec `charts.show` reads the text alternative from: Streamlit's own conversion."""
    spec: dict[str, Any] = vega_charts._convert_altair_to_vega_lite_spec(chart)
    return spec


def test_line_chart_sentence_names_its_axes_and_series_in_both_languages() -> None:
    chart = charts.lines(
        _series(), "month", "value", "locality", "en", x_title="Month", y_title="Job seekers"
    )
    spec = _spec(chart)
    assert chart_a11y.chart_title(spec) == "Job seekers"
    en = chart_a11y.describe(spec, "en", 6)
    assert en.startswith("Line chart of Job seekers by Month") and "6 data rows" in en
    he = chart_a11y.describe(
        _spec(
            charts.lines(
                _series(), "month", "value", "locality", "he", x_title="חודש", y_title="דורשי עבודה"
            )
        ),
        "he",
        6,
    )
    assert he.startswith("תרשים קווי של דורשי עבודה לפי חודש") and "6 שורות" in he


def test_table_has_the_same_numbers_one_column_per_series() -> None:
    chart = charts.lines(_series(), "month", "value", "locality", "en", x_title="Month")
    table = chart_a11y.table_of(chart, _spec(chart))
    assert table is not None
    assert list(table.columns) == ["Month", "District", "Sderot"]
    assert table["Sderot"].tolist() == [10.0, 12.0, 11.0]
    assert table["District"].tolist() == [20.0, 21.0, 22.0]


def test_bar_chart_table_keeps_category_and_value() -> None:
    frame = pd.DataFrame({"sector": ["a", "b"], "n": [3, 7]})
    chart = charts.bars(frame, "sector", "n", "en", value_title="Organisations")
    table = chart_a11y.table_of(chart, _spec(chart))
    assert table is not None and table.to_dict("list") == {
        "sector": ["a", "b"],
        "Organisations": [3, 7],
    }
    assert chart_a11y.describe(_spec(chart), "en", 2).startswith(
        "Bar chart of Organisations, 2 data rows"
    )


def _bars() -> pd.DataFrame:
    return pd.DataFrame({"name": ["a", "b"], "n": [3, 5]})


def test_chart_drawn_while_another_session_converts_waits_for_it() -> None:
    """The crash of the two-replica load run: Streamlit switches Altair's global data transformer
    under its lock while it converts one session's chart; a chart converted outside that lock in
    the meantime called the half-switched transformer without its datasets (TypeError: the user
    saw "This app has encountered an error"). Here another session's conversion is held midway
    (its transformer active, its options not yet set); drawing a chart must wait for it, then
    draw with its own data."""
    registry = alt.data_transformers
    chart = charts.bars(_bars(), "name", "n", "en", value_title="People")
    failures: list[BaseException] = []

    def draw() -> None:
        try:
            charts.show(chart, "en")
        except BaseException as exc:  # the thread's error is the test's finding
            failures.append(exc)

    # As Streamlit does before taking its lock (a state saved without it would drop it again).
    registry.register("to_arrow_dataset", vega_charts._to_arrow_dataset)
    with vega_charts._altair_globals_lock:
        saved = registry._get_state()
        registry._active_name = "to_arrow_dataset"
        registry._active = registry._plugins["to_arrow_dataset"]
        registry._options = {}
        drawer = threading.Thread(target=draw)
        drawer.start()
        drawer.join(timeout=1.0)  # a drawing that does not wait fails within this second
        registry._set_state(saved)
    drawer.join(timeout=60)
    assert not drawer.is_alive()
    assert failures == []


_BUILT: list[int] = []


def _counted_bars(frame: pd.DataFrame) -> alt.Chart:
    _BUILT.append(len(frame))
    return charts.bars(frame, "name", "n", "en", value_title="People")


def test_a_chart_with_named_inputs_is_built_once_per_inputs() -> None:
    """An unchanged chart is neither rebuilt nor converted again; changed data draws anew."""

    def draw(frame: pd.DataFrame) -> None:  # one call site, as on a page
        charts.show(lambda: _counted_bars(frame), "en", inputs=(frame,))

    first = _bars()
    charts._cached_drawing.clear()
    _BUILT.clear()
    draw(first)
    draw(first.copy())
    assert _BUILT == [2]
    draw(_bars().assign(n=[3, 6]))
    assert _BUILT == [2, 2]


def test_a_cached_chart_builder_must_name_what_it_reads() -> None:
    """A value the builder reads but its inputs leave out would be served stale from the cache
    (here: the same data under another title), so such a builder is refused at once."""
    frame = _bars()
    title = "People"
    with pytest.raises(TypeError, match="'title'"):
        charts.show(
            lambda: charts.bars(frame, "name", "n", "en", value_title=title),
            "en",
            inputs=(frame,),
        )
    charts._cached_drawing.clear()
    _BUILT.clear()
    for title in ("People", "Mentors", "People"):
        charts.show(lambda: _counted_bars(frame), "en", title=title, inputs=(frame,))
    assert _BUILT == [2, 2]  # a title passed to show joins the key by itself


def test_inputs_key_refuses_what_it_cannot_tell_apart() -> None:
    with pytest.raises(TypeError):
        chart_specs.inputs_key(lambda: None, object())
    frame = _bars()
    assert chart_specs.inputs_key(len, frame) == chart_specs.inputs_key(len, frame.copy())
    changed = frame.assign(n=[3, 4])
    assert chart_specs.inputs_key(len, frame) != chart_specs.inputs_key(len, changed)
    assert chart_specs.inputs_key(len, "he") != chart_specs.inputs_key(len, "en")
