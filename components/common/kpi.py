"""A KPI card: a big number, its change coloured by whether the change is good, a sparkline.

Accessibility: the verdict is also written as a word next to the change (colour is never the only
cue), and the sparkline gets a name: a hidden span before the card carries it, and the document
script of `components/style.py` sets it as the sparkline's `aria-label`.
"""

from __future__ import annotations

import html
from typing import Literal

import streamlit as st

from components.common.text import plain
from components.shell.context import tr

DeltaColour = Literal["green", "red", "gray"]
VERDICT_COLOURS: dict[str, DeltaColour] = {"good": "green", "bad": "red", "flat": "gray"}


def sparkline_name(label: str, points: list[float]) -> str:
    return tr("chart.sparkline", label=label, n=len(points))


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
    arrow: Literal["off", "up", "down"] = (
        "off" if not direction else ("up" if direction > 0 else "down")
    )
    points = [v for v in (spark or []) if v is not None]
    if delta and verdict in VERDICT_COLOURS:
        word = tr(f"a11y.status.{verdict}")
        description = f"{word} · {description}" if description else word
    if points:
        name = html.escape(sparkline_name(label, points))
        st.html(f'<span class="ed-spark-name" hidden>{name}</span>')
    st.metric(
        plain(label),
        value,
        delta,
        delta_color=VERDICT_COLOURS.get(verdict or "", "gray"),
        delta_arrow=arrow,
        delta_description=description,
        help=plain(help) if help else None,
        border=True,
        chart_data=points or None,
        chart_type="line",
    )
