"""Generic Altair chart builders shared by pages (no page-specific logic here).

Charts stay left to right inside (components/style.py); for Hebrew the time axis runs right to
left (oldest on the right) and the value axis stands on the right, so a Hebrew reader's eye
moves the way it reads. Builders return `alt.Chart` objects; every call site draws them with
`show(chart, lang)`, which gives the chart its text alternative (title and one sentence, set as
the Vega-Lite `description`, read out by screen readers) and a "show as table" expander with the
same numbers in a real HTML table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.elements import vega_charts

from components.common import chart_a11y, chart_specs
from components.common.text import plain
from components.shell.context import PageContext
from employdash.i18n import t

FONT = "Noto Sans Hebrew, DejaVu Sans, sans-serif"
# Every mark colour reaches 3:1 against the white background (WCAG non-text contrast).
PALETTE = ["#1f5fa8", "#c8631f", "#3a9a5b", "#9b59b6", "#c0392b", "#13917a", "#7f8c8d", "#a67c00"]
# Finished chart specs kept per inputs (components/common/chart_specs.py inputs_key): a spec
# depends only on its inputs, so the TTL only bounds how long an unused one stays.
SPEC_TTL_SECONDS = 600
SPEC_MAX_ENTRIES = 256
GOOD, BAD, NEUTRAL, MUTED = "#2e8b57", "#c0392b", "#1f5fa8", "#858e9e"


def _rtl(lang: str) -> bool:
    return lang == "he"


def reading_axis(lang: str, **options: Any) -> alt.Axis:
    """An axis on the side where reading starts: the right in Hebrew. Charts stay left to right
    inside (see components/shell/style.py); this and `reading_scale` make them read right to
    left where that matters."""
    return alt.Axis(orient="right" if _rtl(lang) else "left", **options)


def reading_scale(lang: str, **options: Any) -> alt.Scale:
    """A scale that runs from the reading start: reversed in Hebrew, so time flows right to left."""
    return alt.Scale(reverse=_rtl(lang), **options)


def reading_lines(
    frame: pd.DataFrame, x: str, lang: str, *, title: str | None = None, **x_options: Any
) -> alt.Chart:
    """Lines with points along `x`, which runs from where reading starts (right to left in
    Hebrew); the caller encodes the values and the series on the chart returned."""
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(x=alt.X(x, title=title, scale=reading_scale(lang), **x_options))
    )
    return chart


AnyChart: TypeAlias = (
    alt.Chart
    | alt.LayerChart
    | alt.FacetChart
    | alt.ConcatChart
    | alt.HConcatChart
    | alt.VConcatChart
)
Size: TypeAlias = Literal["stretch", "content"] | int
CHART_TYPES = (
    alt.Chart,
    alt.LayerChart,
    alt.FacetChart,
    alt.ConcatChart,
    alt.HConcatChart,
    alt.VConcatChart,
)


def with_line(chart: alt.Chart, value: float) -> alt.LayerChart:
    """`chart` with a dashed red rule across it at `value` on its y scale (a line to keep
    above, such as the forum's two-thirds attendance), 300 px high."""
    rule = (
        alt.Chart(pd.DataFrame({"line": [value]}))
        .mark_rule(strokeDash=[6, 4], color="#d62728")
        .encode(y="line:Q")
    )
    layered: alt.LayerChart = (chart + rule).properties(height=300)
    return layered


def configure(chart: alt.Chart | alt.LayerChart | alt.FacetChart, height: int = 280) -> alt.Chart:
    configured: alt.Chart = (
        chart.properties(height=height)
        .configure(font=FONT)
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom")
        .configure_view(strokeWidth=0)
    )
    return configured


def time_axis(field: str, title: str, lang: str) -> alt.X:
    return alt.X(
        f"{field}:T",
        title=title,
        scale=reading_scale(lang),
        axis=alt.Axis(format="%m/%y", labelAngle=0, tickCount=8),
    )


def value_axis(field: str, title: str, lang: str, fmt: str = ",.0f", zero: bool = False) -> alt.Y:
    return alt.Y(
        f"{field}:Q",
        title=title or None,
        scale=alt.Scale(zero=zero),
        axis=reading_axis(lang, format=fmt),
    )


def titled(chart: alt.Chart, title: str, lang: str) -> alt.Chart:
    """A title above the plot, aligned with the reading direction. Used instead of a value-axis
    title, which a right-hand axis in Hebrew would push out of the frame."""
    if not title:
        return chart
    return chart.properties(
        title=alt.TitleParams(title, anchor="end" if _rtl(lang) else "start", fontSize=13)
    )


def lines(
    frame: pd.DataFrame,
    x: str,
    y: str,
    series: str,
    lang: str,
    *,
    x_title: str = "",
    y_title: str = "",
    fmt: str = ",.0f",
    dashed: str | None = None,
    tooltip: list[Any] | None = None,
) -> alt.Chart:
    """One line per value of `series` over time; rows whose `series` equals `dashed` are
    dashed (e.g. a district average next to the locality)."""
    encoding = {
        "x": time_axis(x, x_title, lang),
        "y": value_axis(y, "", lang, fmt),
        "color": alt.Color(f"{series}:N", title=None, scale=alt.Scale(range=PALETTE)),
        "tooltip": tooltip
        or [
            alt.Tooltip(f"{x}:T", format="%m/%Y"),
            f"{series}:N",
            alt.Tooltip(f"{y}:Q", format=fmt),
        ],
    }
    if dashed is not None:
        encoding["strokeDash"] = alt.condition(
            alt.datum[series] == dashed, alt.value([5, 4]), alt.value([1, 0])
        )
    chart = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=18)).encode(**encoding)
    return titled(chart, y_title, lang)


def bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    lang: str,
    *,
    value_title: str = "",
    fmt: str = ",.0f",
    highlight: str | None = None,
    sort: str | None = "-x",
    color_field: str | None = None,
    domain: tuple[float, float] | None = None,
) -> alt.Chart:
    """Horizontal bars; rows where `highlight` is true stand out; `domain` fixes the value axis
    (a share from 0 to 1 reads against the whole, not against the largest bar)."""
    color: Any = alt.value(NEUTRAL)
    if highlight is not None:
        color = alt.condition(alt.datum[highlight], alt.value(NEUTRAL), alt.value(MUTED))
    elif color_field is not None:
        color = alt.Color(f"{color_field}:N", title=None, scale=alt.Scale(range=PALETTE))
    chart: alt.Chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{category}:N",
                title=None,
                sort=sort,
                axis=reading_axis(lang, labelLimit=220),
            ),
            x=alt.X(
                f"{value}:Q",
                title=value_title,
                axis=alt.Axis(format=fmt),
                scale=reading_scale(lang, **({"domain": list(domain)} if domain else {})),
            ),
            color=color,
            tooltip=[f"{category}:N", alt.Tooltip(f"{value}:Q", format=fmt)],
        )
    )
    return chart


def points_map(
    frame: pd.DataFrame,
    lat: str,
    lon: str,
    value: str,
    label: str,
    lang: str,
    *,
    value_title: str = "",
    fmt: str = ",.0f",
    size: str | None = None,
    reverse_scheme: bool = False,
    labelled: str | None = None,
) -> alt.LayerChart | alt.FacetChart:
    """Localities as circles at their coordinates, coloured by `value` (grey when missing);
    names are written next to the rows where the boolean column `labelled` is true (all rows
    when None)."""
    base = alt.Chart(frame).encode(
        longitude=f"{lon}:Q",
        latitude=f"{lat}:Q",
        tooltip=[f"{label}:N", alt.Tooltip(f"{value}:Q", format=fmt, title=value_title)],
    )
    size_enc = (
        alt.Size(f"{size}:Q", legend=None, scale=alt.Scale(range=[30, 500]))
        if size
        else alt.value(120)
    )
    colour = alt.Color(
        f"{value}:Q",
        title=value_title,
        scale=alt.Scale(scheme="redyellowgreen", reverse=reverse_scheme),
        legend=alt.Legend(format=fmt, orient="bottom"),
    )
    known = (
        base.transform_filter(f"isValid(datum['{value}'])")
        .mark_circle(opacity=0.85, stroke="white", strokeWidth=0.7)
        .encode(color=colour, size=size_enc)
    )
    missing = (
        base.transform_filter(f"!isValid(datum['{value}'])")
        .mark_circle(color=MUTED, opacity=0.5)
        .encode(size=size_enc)
    )
    names = base.mark_text(dy=-11, fontSize=11, color="#222").encode(text=f"{label}:N")
    if labelled:
        names = names.transform_filter(f"datum['{labelled}']")
    layered: alt.LayerChart | alt.FacetChart = alt.layer(missing, known, names).project(
        type="mercator"
    )
    return layered


def show(
    chart: AnyChart | Callable[[], AnyChart],
    lang: str,
    *,
    title: str | None = None,
    description: str | None = None,
    table: pd.DataFrame | None = None,
    where: DeltaGenerator | None = None,
    width: Size = "stretch",
    height: Size = "content",
    inputs: tuple[object, ...] | None = None,
) -> None:
    """Draw a chart with its text alternative and a "show as table" option.

    `title` defaults to the chart's own title; `description` to a sentence made from the spec;
    `table` to the chart's encoded data.

    The chart is converted to Vega-Lite once (the text alternative is read from that spec, which
    is then drawn as it is). `chart` may be a builder with no arguments, with `inputs` naming
    everything it reads (its data frames and any value that changes what it draws): the finished
    spec, text and table are then cached per inputs (bounded, with a TTL), so an unchanged chart
    is neither rebuilt nor converted again.
    """
    target = where or st
    if inputs is not None and not isinstance(chart, CHART_TYPES):
        context = _page_context_read(chart, lang, inputs)
        key = chart_specs.inputs_key(chart, lang, title, description, table, inputs, context)
        drawn = _cached_drawing(key, _Drawing(chart, lang, title, description, table))
    else:
        built = chart if isinstance(chart, CHART_TYPES) else chart()
        drawn = _drawing(built, lang, title, description, table)
    spec, data, name = drawn
    target.vega_lite_chart(spec=dict(spec), width=width, height=height)
    if data is not None:
        label = t("chart.show_table", lang) + (f": {plain(name)}" if name else "")
        with target.expander(label, icon=":material/table:"):
            st.table(data.rows, hide_index=data.hide_index)


@dataclass(frozen=True)
class TableAlternative:
    """A chart's table as st.table draws it, converted to Arrow once, with the drawing (a cached
    drawing's table was converted from pandas again on every run: a sixth of the mentoring
    funnel's script time), and whether its index is hidden (st.table hides a RangeIndex)."""

    rows: pa.Table
    hide_index: bool

    @classmethod
    def of(cls, frame: pd.DataFrame) -> TableAlternative:
        # As st.table converts a data frame: a RangeIndex is kept as metadata, not a column.
        return cls(pa.Table.from_pandas(frame), isinstance(frame.index, pd.RangeIndex))


Drawn: TypeAlias = tuple[dict[str, Any], TableAlternative | None, str]


def _page_context_read(
    build: Callable[[], AnyChart], lang: str, inputs: tuple[object, ...]
) -> tuple[object, ...]:
    """What the builder reads from the page besides its inputs, for the cache key; refuses a
    builder that reads anything else it does not name in `inputs`.

    A cached spec is served while its key stays the same: a value the builder reads but the key
    leaves out (a label, a threshold) would draw a stale chart for up to SPEC_TTL_SECONDS, so
    such a builder fails at once, in the page's tests, instead. The page context may be read for
    its translations and locality, which join the key.
    """
    listed = {id(value) for value in inputs}
    read: list[object] = []
    cells = zip(build.__code__.co_freevars, build.__closure__ or (), strict=True)
    for name, cell in cells:
        value = cell.cell_contents
        if isinstance(value, PageContext):
            read.extend((value.lang, value.locality.code if value.locality else None))
        elif id(value) not in listed and value is not lang:
            raise TypeError(f"chart builder reads {name!r}: name it in inputs")
    return tuple(read)


def _drawing(
    chart: AnyChart,
    lang: str,
    title: str | None,
    description: str | None,
    table: pd.DataFrame | None,
) -> Drawn:
    """The chart's Vega-Lite spec (converted once, as st.altair_chart converts it: Streamlit's
    theme handling and Arrow datasets), its text alternative set as the spec's description, the
    table it draws, and its title.

    Streamlit's converter is private. It is kept because the finished spec can then be cached and
    drawn with the public `vega_lite_chart`: a rerun that draws an unchanged briefing-sized chart
    took 0.030 s against 0.041 s through `st.altair_chart`, which converts on every run even with
    the chart and its text kept (benchmarks/results/internals.md); a first draw converts once
    instead of twice (once for the text, once to draw). tests/test_streamlit_internals.py fails
    with this module's name if an upgrade changes it."""
    spec = vega_charts._convert_altair_to_vega_lite_spec(chart)
    data = table if table is not None else chart_a11y.table_of(chart, spec)
    name = title or chart_a11y.chart_title(spec)
    sentence = description or chart_a11y.describe(
        spec, lang, len(data) if data is not None else None
    )
    text = t("chart.described", lang, title=name, description=sentence) if name else sentence
    spec["description"] = text
    return spec, None if data is None else TableAlternative.of(data), name


class _Drawing:
    """A chart still to be built (not hashed by Streamlit's cache: the key says what it draws)."""

    def __init__(
        self,
        build: Callable[[], AnyChart],
        lang: str,
        title: str | None,
        description: str | None,
        table: pd.DataFrame | None,
    ) -> None:
        self.args = (build, lang, title, description, table)

    def __call__(self) -> Drawn:
        build, lang, title, description, table = self.args
        return _drawing(build(), lang, title, description, table)


@st.cache_data(ttl=SPEC_TTL_SECONDS, max_entries=SPEC_MAX_ENTRIES, show_spinner=False)
def _cached_drawing(key: str, _drawing: _Drawing) -> Drawn:
    """One drawing per inputs key: returned as a copy (Streamlit's data cache unpickles it), so
    Streamlit may take the spec's datasets apart without touching the cached one."""
    return _drawing()
