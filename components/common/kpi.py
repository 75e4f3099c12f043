"""A KPI card: a big number, its change coloured by whether the change is good, a sparkline."""

from __future__ import annotations

import streamlit as st

VERDICT_COLOURS = {"good": "green", "bad": "red", "flat": "gray"}


def kpi(
    label: str,
    value: str,
    *,
    delta: str | None = None,
    direction: float | None = None,
    verdict: str | None = None,
    description: str | None = None,
    spark: list[float | None] | None = None,
    help: str | None = None,
) -> None:
    """`direction` is the signed change (its sign draws the arrow); `verdict` ('good', 'bad',
    'flat') the colour, so a fall in job seekers is green and a fall in wages red."""
    arrow = "off" if not direction else ("up" if direction > 0 else "down")
    st.metric(
        label,
        value,
        delta,
        delta_color=VERDICT_COLOURS.get(verdict or "", "gray"),
        delta_arrow=arrow,
        delta_description=description,
        help=help,
        border=True,
        chart_data=[v for v in (spark or []) if v is not None] or None,
        chart_type="line",
    )
