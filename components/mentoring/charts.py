"""Altair builders for the mentoring funnels (no Streamlit here, so benchmarks can render them).

Charts stay left-to-right inside the RTL page (components/style.py); in Hebrew the axes that
carry an order (stages, months) are mirrored so they read right to left.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from components.common.charts import reading_axis, reading_lines, reading_scale

FONT = "Noto Sans Hebrew, DejaVu Sans, sans-serif"
HEIGHT_PER_STAGE = 34


def _configure(chart: alt.Chart) -> alt.Chart:
    configured: alt.Chart = chart.configure(font=FONT).configure_view(stroke=None)
    return configured


def funnel_chart(frame: pd.DataFrame, lang: str, x_title: str) -> alt.Chart:
    """Horizontal bars: `label` (stage, in order of `position`) × `reached`; hidden rows omitted."""
    data = frame.dropna(subset=["reached"]).copy()
    data["reached"] = data["reached"].astype(int)
    order = list(frame.sort_values("position")["label"])
    rtl = lang == "he"
    y = alt.Y(
        "label:N",
        sort=order,
        title=None,
        axis=reading_axis(lang, labelLimit=220),
    )
    x = alt.X("reached:Q", title=x_title, scale=reading_scale(lang))
    bars = (
        alt.Chart(data)
        .mark_bar(color="#2f6f9f", cornerRadius=2)
        .encode(
            y=y,
            x=x,
            tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("reached:Q", title=x_title)],
        )
    )
    text = bars.mark_text(
        align="right" if rtl else "left", dx=-4 if rtl else 4, color="#1d1d1d"
    ).encode(text="reached:Q")
    height = max(120, HEIGHT_PER_STAGE * len(order))
    return _configure((bars + text).properties(height=height, width="container"))


def share_lines(frame: pd.DataFrame, lang: str, y_title: str, color_title: str) -> alt.Chart:
    """Share of each group's entrants reaching each stage: `label`, `position`, `group`, `share`."""
    data = frame.dropna(subset=["share"])
    order = list(frame.sort_values("position")["label"].drop_duplicates())
    chart = reading_lines(
        data, "label:N", lang, sort=order, axis=alt.Axis(labelAngle=0, labelLimit=120)
    ).encode(
        y=alt.Y(
            "share:Q", title=y_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
        ),
        color=alt.Color("group:N", title=color_title, legend=alt.Legend(orient="bottom")),
        tooltip=[
            alt.Tooltip("group:N", title=color_title),
            alt.Tooltip("label:N", title=""),
            alt.Tooltip("share:Q", title=y_title, format=".0%"),
        ],
    )
    return _configure(chart.properties(height=320, width="container"))


def dropoff_chart(frame: pd.DataFrame, lang: str, x_title: str, color_title: str) -> alt.Chart:
    """Stacked bars per stage (`label`, `position`) by `reason_label`, counts in `count`."""
    data = frame.dropna(subset=["count"]).copy()
    data["count"] = data["count"].astype(int)
    order = list(frame.sort_values("position")["label"].drop_duplicates())
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "label:N",
                sort=order,
                title=None,
                axis=reading_axis(lang, labelLimit=220),
            ),
            x=alt.X("count:Q", title=x_title, scale=reading_scale(lang), stack="zero"),
            color=alt.Color(
                "reason_label:N", title=color_title, legend=alt.Legend(orient="bottom")
            ),
            tooltip=[
                alt.Tooltip("reason_label:N", title=color_title),
                alt.Tooltip("count:Q", title=x_title),
            ],
        )
    )
    return _configure(
        chart.properties(height=max(120, HEIGHT_PER_STAGE * len(order)), width="container")
    )


def durations_chart(frame: pd.DataFrame, lang: str, median_title: str, p90_title: str) -> alt.Chart:
    """Median days as bars and the 90th percentile as a tick, per stage (`label`, `position`)."""
    data = frame.dropna(subset=["median_days"]).copy()
    order = list(frame.sort_values("position")["label"])
    y = alt.Y(
        "label:N",
        sort=order,
        title=None,
        axis=reading_axis(lang, labelLimit=220),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(color="#7aa6c2")
        .encode(
            y=y,
            x=alt.X("median_days:Q", title=median_title, scale=reading_scale(lang)),
            tooltip=[
                alt.Tooltip("label:N", title=""),
                alt.Tooltip("median_days:Q", title=median_title),
                alt.Tooltip("p90_days:Q", title=p90_title),
            ],
        )
    )
    ticks = (
        alt.Chart(data)
        .mark_tick(color="#b3462f", thickness=3, size=22)
        .encode(y=y, x=alt.X("p90_days:Q"))
    )
    return _configure(
        (bars + ticks).properties(height=max(120, HEIGHT_PER_STAGE * len(order)), width="container")
    )


def cohort_chart(
    frame: pd.DataFrame, lang: str, x_title: str, y_title: str, color_title: str
) -> alt.Chart:
    """Cumulative share with an outcome (`share`) by `month` since entry, one line per `cohort`."""
    chart = (
        alt.Chart(frame)
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X("month:Q", title=x_title, scale=reading_scale(lang)),
            y=alt.Y("share:Q", title=y_title, axis=alt.Axis(format="%")),
            color=alt.Color("cohort:N", title=color_title, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("cohort:N", title=color_title),
                alt.Tooltip("month:Q", title=x_title),
                alt.Tooltip("share:Q", title=y_title, format=".0%"),
            ],
        )
    )
    return _configure(chart.properties(height=340, width="container"))
