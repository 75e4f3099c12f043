"""Altair bar charts of the employer survey summary (suppressed cells are left out and noted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import altair as alt
import pandas as pd

Tr = Callable[..., str]
TOP = 15


def _bars(
    data: pd.DataFrame,
    label: str,
    value: str,
    label_title: str,
    value_title: str,
    color: str,
    sort: Literal["-x"] | list[str] = "-x",
) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_bar(color=color)
        .encode(
            y=alt.Y(f"{label}:N", sort=sort, title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip(f"{label}:N", title=label_title),
                alt.Tooltip(f"{value}:Q", title=value_title),
            ],
        )
        .properties(height=max(120, 26 * len(data)))
    )
    return chart


def professions_chart(frame: pd.DataFrame, tr: Tr) -> alt.Chart:
    return _bars(
        frame.head(TOP),
        "profession",
        "positions",
        tr("survey.col.profession"),
        tr("survey.col.positions"),
        "#1565c0",
    )


def hiring_chart(frame: pd.DataFrame, tr: Tr) -> alt.Chart:
    data = frame.dropna().assign(label=[tr(f"survey.horizon.{h}") for h in frame.dropna().horizon])
    order = [tr(f"survey.horizon.{h}") for h in frame.horizon]
    return _bars(
        data,
        "label",
        "respondents",
        tr("survey.field.hiring_horizon"),
        tr("survey.col.respondents"),
        "#2e7d32",
        sort=order,
    )


def training_chart(frame: pd.DataFrame, tr: Tr) -> alt.Chart:
    return _bars(
        frame.dropna().head(TOP),
        "need",
        "respondents",
        tr("survey.field.training_needs"),
        tr("survey.col.respondents"),
        "#ef6c00",
    )


def satisfaction_chart(frame: pd.DataFrame, tr: Tr) -> alt.Chart:
    data = frame.dropna().assign(score=lambda f: f.score.astype(str))
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_bar(color="#6a1b9a")
        .encode(
            x=alt.X(
                "score:O",
                title=tr("survey.field.satisfaction"),
                sort=["1", "2", "3", "4", "5"],
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y(
                "respondents:Q", title=tr("survey.col.respondents"), axis=alt.Axis(tickMinStep=1)
            ),
            tooltip=[
                alt.Tooltip("score:O", title=tr("survey.field.satisfaction")),
                alt.Tooltip("respondents:Q", title=tr("survey.col.respondents")),
            ],
        )
        .properties(height=220)
    )
    return chart
