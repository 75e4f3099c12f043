"""Altair charts of the stakeholder map: the power x interest grid and the relations network.

Charts stay left to right inside (the stylesheet keeps Vega LTR); titles and labels come in the
user's language. Sector colours are fixed per sector so a sector keeps its colour across charts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import altair as alt
import pandas as pd

from components.common.chart_specs import SpecChart
from employdash.stakeholders.grid import SectorCoverage
from employdash.stakeholders.rules import BOUNDARY
from employdash.stakeholders.vocabulary import SECTORS

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#ff7f0e",
    "#17becf",
    "#e377c2",
    "#7f7f7f",
)
LOW, HIGH = 0.5, 5.5
Tr = Callable[..., str]


# The title of each field a stakeholder chart shows on hover.
TOOLTIP_TITLES = {
    "organisation:N": "stake.col.organisation",
    "person:N": "stake.col.person",
    "sector_label:N": "stake.col.sector",
    "power:Q": "stake.col.power",
    "interest:Q": "stake.col.interest",
    "prev_power:Q": "stake.col.prev_power",
    "prev_interest:Q": "stake.col.prev_interest",
    "stance_label:N": "stake.col.stance",
    "engagement_label:N": "stake.col.engagement",
    "ring_label:N": "stake.col.distance",
    "via:N": "stake.col.via",
    "role:N": "stake.network.member",
}


def sector_scale(tr: Tr) -> alt.Scale:
    return alt.Scale(domain=[tr(f"sector.{s}") for s in SECTORS], range=list(PALETTE))


def sector_color(tr: Tr, legend: alt.Legend) -> alt.Color:
    """Colour by sector (the same colour for a sector on every chart)."""
    return alt.Color(
        "sector_label:N", title=tr("stake.col.sector"), scale=sector_scale(tr), legend=legend
    )


def _tooltips(tr: Tr, *fields: str) -> list[alt.Tooltip]:
    """The hover fields, each titled in the user's language (`TOOLTIP_TITLES`)."""
    return [alt.Tooltip(f, title=tr(TOOLTIP_TITLES[f])) for f in fields]


def _quadrants(tr: Tr) -> pd.DataFrame:
    cells = {
        "A": (BOUNDARY, HIGH, BOUNDARY, HIGH),
        "B": (LOW, BOUNDARY, BOUNDARY, HIGH),
        "C": (BOUNDARY, HIGH, LOW, BOUNDARY),
        "D": (LOW, BOUNDARY, LOW, BOUNDARY),
    }
    shade = {"A": "#fde2e1", "B": "#fff4d6", "C": "#e3f1e0", "D": "#eeeeee"}
    return pd.DataFrame(
        [
            {
                "q": q,
                "x": x,
                "x2": x2,
                "y": y,
                "y2": y2,
                "fill": shade[q],
                "action": tr(f"stake.action.{q}"),
                "cx": (x + x2) / 2,
                "cy": (y + y2) / 2,
                "ly": y2 - 0.1,
            }
            for q, (x, x2, y, y2) in cells.items()
        ]
    )


def grid_chart(frame: pd.DataFrame, tr: Tr, height: int = 560) -> alt.LayerChart | alt.FacetChart:
    """Every stakeholder on the grid, last quarter's position as a hollow ring with a line to
    today's, the four quadrants shaded and labelled with the model's action. The spec is built
    once per language and height (components/common/chart_specs.py); each render only adds its
    data."""
    return SpecChart(
        "stakeholder_grid",
        height,
        lambda frames, tr: _grid_layers(frames, tr, height),
        _grid_frames(frame, tr),
        tr,
    )


def build_grid_chart(
    frame: pd.DataFrame, tr: Tr, height: int = 560
) -> alt.LayerChart | alt.FacetChart:
    """The grid as a plain Altair chart, built and validated in full (what `grid_chart`
    converts like)."""
    return _grid_layers(_grid_frames(frame, tr), tr, height)


def _labels(tr: Tr, prefix: str, values: pd.Series) -> list[str]:
    """One label per row, translating each distinct value once (over a plain list: iterating an
    Arrow-backed column value by value costs more than the translations)."""
    plain = values.tolist()
    names = {v: tr(f"{prefix}{v}") for v in set(plain)}
    return [names[v] for v in plain]


def _grid_frames(frame: pd.DataFrame, tr: Tr) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    data = frame.assign(
        sector_label=_labels(tr, "sector.", frame.sector),
        stance_label=_labels(tr, "stake.stance.", frame.stance),
        engagement_label=_labels(tr, "stake.engagement.", frame.engagement),
        prev_x=frame.prev_x.astype("float64"),
        prev_y=frame.prev_y.astype("float64"),
        prev_power=frame.prev_power.astype("float64"),
        prev_interest=frame.prev_interest.astype("float64"),
    )
    return _quadrants(tr), data[data.moved], data


def _grid_layers(
    frames: Sequence[pd.DataFrame], tr: Tr, height: int
) -> alt.LayerChart | alt.FacetChart:
    quads, moved, data = frames
    scale_x = alt.Scale(domain=[LOW, HIGH], nice=False)
    scale_y = alt.Scale(domain=[LOW, HIGH], nice=False)
    base_q = alt.Chart(quads)
    rects = base_q.mark_rect(opacity=0.55).encode(
        x=alt.X("x:Q", scale=scale_x),
        x2="x2",
        y=alt.Y("y:Q", scale=scale_y),
        y2="y2",
        color=alt.Color("fill:N", scale=None),
    )
    letters = base_q.mark_text(fontSize=64, fontWeight="bold", color="#000", opacity=0.08).encode(
        x="cx:Q", y="cy:Q", text="q:N"
    )
    actions = base_q.mark_text(fontSize=12, fontWeight="bold", color="#444", baseline="top").encode(
        x="cx:Q", y="ly:Q", text="action:N"
    )
    color = sector_color(tr, alt.Legend(orient="bottom", columns=2, labelLimit=180))
    trails = (
        alt.Chart(moved)
        .mark_rule(strokeDash=[4, 3], strokeWidth=1.4, opacity=0.7)
        .encode(x="prev_x:Q", y="prev_y:Q", x2="x:Q", y2="y:Q", color=color)
    )
    previous = (
        alt.Chart(moved)
        .mark_point(shape="circle", filled=False, size=70, opacity=0.7)
        .encode(x="prev_x:Q", y="prev_y:Q", color=color)
    )
    tooltip = _tooltips(
        tr,
        "organisation:N",
        "person:N",
        "sector_label:N",
        "power:Q",
        "interest:Q",
        "prev_power:Q",
        "prev_interest:Q",
        "stance_label:N",
        "engagement_label:N",
    )
    points = (
        alt.Chart(data)
        .mark_circle(size=150, opacity=0.9, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X(
                "x:Q",
                title=tr("stake.axis.interest"),
                scale=scale_x,
                axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d", grid=False),
            ),
            y=alt.Y(
                "y:Q",
                title=tr("stake.axis.power"),
                scale=scale_y,
                axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d", grid=False),
            ),
            color=color,
            tooltip=tooltip,
        )
    )
    return alt.layer(rects, letters, actions, trails, previous, points).properties(height=height)


KINDS = ("works_with", "funds", "competes_with", "reports_to")


def network_chart(
    nodes: pd.DataFrame, edges: pd.DataFrame, tr: Tr, height: int = 560
) -> alt.LayerChart | alt.FacetChart:
    """Ties as lines, stakeholders as dots on rings by their distance from the forum. The spec is
    built once per language and height (components/common/chart_specs.py); each render adds its
    data."""
    return SpecChart(
        "stakeholder_network",
        height,
        lambda frames, tr: _network_layers(frames, tr, height),
        _network_frames(nodes, edges, tr),
        tr,
    )


def build_network_chart(
    nodes: pd.DataFrame, edges: pd.DataFrame, tr: Tr, height: int = 560
) -> alt.LayerChart | alt.FacetChart:
    """The network as a plain Altair chart, built and validated in full."""
    return _network_layers(_network_frames(nodes, edges, tr), tr, height)


def _network_frames(
    nodes: pd.DataFrame, edges: pd.DataFrame, tr: Tr
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    lines = edges.assign(kind_label=_labels(tr, "stake.relation.", edges.kind))
    member = tr("stake.network.member")
    data = nodes.assign(
        sector_label=_labels(tr, "sector.", nodes.sector),
        ring_label=_labels(tr, "stake.network.ring.", nodes.ring),
        distance=nodes.distance.astype("float64"),
        role=[member if f else "" for f in nodes.forum.tolist()],
    )
    rings = _ring_guides(int(nodes.ring.max()) if len(nodes) else 0)
    return rings, lines, data


def _network_layers(
    frames: Sequence[pd.DataFrame], tr: Tr, height: int
) -> alt.LayerChart | alt.FacetChart:
    rings_data, lines_data, data = frames
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    kind_scale = alt.Scale(
        domain=[tr(f"stake.relation.{k}") for k in KINDS],
        range=["#9e9e9e", "#2e7d32", "#c62828", "#1565c0"],
    )
    lines = (
        alt.Chart(lines_data)
        .mark_rule(opacity=0.45, strokeWidth=1)
        .encode(
            x=alt.X("x:Q", axis=axis),
            y=alt.Y("y:Q", axis=axis),
            x2="x2:Q",
            y2="y2:Q",
            strokeDash=alt.StrokeDash(
                "kind_label:N",
                title=tr("stake.col.kind"),
                scale=alt.Scale(domain=kind_scale.domain, range=[[1, 0], [1, 0], [4, 3], [2, 2]]),
                legend=None,
            ),
            color=alt.Color(
                "kind_label:N",
                title=tr("stake.col.kind"),
                scale=kind_scale,
                legend=alt.Legend(orient="bottom"),
            ),
        )
    )
    dots = (
        alt.Chart(data)
        .mark_circle(opacity=0.95, stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("x:Q", axis=axis),
            y=alt.Y("y:Q", axis=axis),
            color=sector_color(tr, alt.Legend(orient="right", labelLimit=180)),
            size=alt.Size(
                "forum:N", scale=alt.Scale(domain=[True, False], range=[320, 110]), legend=None
            ),
            tooltip=_tooltips(
                tr, "organisation:N", "sector_label:N", "ring_label:N", "via:N", "role:N"
            ),
        )
    )
    rings = (
        alt.Chart(rings_data)
        .mark_line(color="#bbb", strokeWidth=0.8, strokeDash=[2, 3])
        .encode(x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis), detail="ring:N", order="k:Q")
    )
    layered: alt.LayerChart | alt.FacetChart = (
        alt.layer(rings, lines, dots).resolve_scale(color="independent").properties(height=height)
    )
    return layered


def _ring_guides(outer: int) -> pd.DataFrame:
    """Faint circles where the rings of the network lie (radius 1 + ring)."""
    steps = 72
    return pd.DataFrame(
        [
            {
                "ring": ring,
                "k": k,
                "x": (1 + ring) * math.cos(2 * math.pi * k / steps),
                "y": (1 + ring) * math.sin(2 * math.pi * k / steps),
            }
            for ring in range(1, outer + 1)
            for k in range(steps + 1)
        ]
    )


def coverage_chart(rows: list[SectorCoverage], tr: Tr) -> alt.LayerChart | alt.FacetChart:
    """Forum members per sector; recommended sectors with nobody are drawn as gaps."""
    data = pd.DataFrame(
        [
            {
                "sector": tr(f"sector.{r['sector']}"),
                "members": r["members"],
                "status": tr("stake.coverage.status.gap")
                if r["recommended"] and not r["members"]
                else tr("stake.coverage.status.covered")
                if r["recommended"]
                else tr("stake.coverage.status.extra"),
            }
            for r in rows
        ]
    )
    statuses = [
        tr("stake.coverage.status.covered"),
        tr("stake.coverage.status.gap"),
        tr("stake.coverage.status.extra"),
    ]
    base = alt.Chart(data).encode(
        y=alt.Y("sector:N", sort=None, title=None, axis=alt.Axis(labelLimit=170)),
        x=alt.X("members:Q", title=tr("stake.col.members"), axis=alt.Axis(tickMinStep=1)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "status:N",
            title=None,
            legend=alt.Legend(orient="bottom"),
            scale=alt.Scale(domain=statuses, range=["#2e7d32", "#c62828", "#90a4ae"]),
        ),
        tooltip=["sector:N", "members:Q", "status:N"],
    )
    # the count beside each bar, so a gap reads as a red "0" rather than as nothing
    counts = base.mark_text(align="left", dx=4, fontWeight="bold").encode(
        text="members:Q",
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=statuses, range=["#2e7d32", "#c62828", "#607d8b"]),
            legend=None,
        ),
    )
    return alt.layer(bars, counts).properties(height=alt.Step(26))
