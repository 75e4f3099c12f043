"""The comparison charts: each locality's forum stage month by month, the attendance of its
plenary meetings against the two-thirds line, and the share of its targets on track; each with
a sentence saying what it shows and a table view (`charts.show`), reading right to left in
Hebrew."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from components.common.charts import bars, reading_axis, reading_lines, reading_scale, with_line
from components.common.charts import show as show_chart
from components.common.localized import choose_many
from components.portfolio.data import cached_attendance, cached_stages
from components.shell.context import PageContext
from employdash.forum.health import ATTENDANCE_LINE
from employdash.i18n import fmt_date, fmt_month, fmt_percent
from employdash.portfolio.board import PortfolioRow
from employdash.portfolio.table import stage_name

MAX_STAGE_ROWS = 40  # localities in the stage chart at once (the filters narrow it)
MAX_COMPARED = 8  # localities in the attendance chart at once
STAGE_COLOURS = ("#c6dbef", "#6baed6", "#08519c")


def stage_chart(ctx: PageContext, rows: Sequence[PortfolioRow], today: date) -> None:
    with_forum = [r for r in rows if r.has_forum][:MAX_STAGE_ROWS]
    st.subheader(ctx.tr("portfolio.chart.stages"))
    if not with_forum:
        st.info(ctx.tr("empty.no_data"))
        return
    names = {r.locality_code: r.name(ctx.lang) for r in with_forum}
    points = cached_stages(ctx.db, ctx.actor, tuple(names), today)
    data = pd.DataFrame(
        [
            {
                "locality": names[p.locality_code],
                "month": fmt_month(p.month, ctx.lang),
                "order": p.month.isoformat(),
                "stage": stage_name(p.stage, ctx.lang),
            }
            for p in points
        ]
    )
    if data.empty:
        st.info(ctx.tr("empty.no_data"))
        return
    months = sorted(set(zip(data["order"], data["month"], strict=True)))
    reached = sum(1 for r in with_forum if r.stage == 3)
    description = ctx.tr(
        "portfolio.chart.stages.description",
        n=len(names),
        start=months[0][1],
        end=months[-1][1],
        done=reached,
    )
    table = data.pivot(index="locality", columns="order", values="stage").fillna("—")
    table.columns = [dict(months)[c] for c in table.columns]
    table.index.name = ctx.tr("portfolio.col.locality")

    def build() -> alt.Chart:
        stages = [stage_name(s, ctx.lang) for s in (1, 2, 3)]
        chart: alt.Chart = (
            alt.Chart(data)
            .mark_rect()
            .encode(
                x=alt.X(
                    "month:O",
                    title=None,
                    sort=[m for _, m in months],
                    scale=reading_scale(ctx.lang),
                    axis=alt.Axis(labelAngle=-45),
                ),
                y=alt.Y("locality:N", title=None, axis=reading_axis(ctx.lang, labelLimit=200)),
                color=alt.Color(
                    "stage:N",
                    title=None,
                    scale=alt.Scale(domain=stages, range=list(STAGE_COLOURS)),
                    legend=alt.Legend(orient="bottom", labelLimit=320),
                ),
                tooltip=["locality:N", "month:O", "stage:N"],
            )
            .properties(height=alt.Step(22))  # a band per locality: every name shows
        )
        return chart

    show_chart(
        build,
        ctx.lang,
        title=ctx.tr("portfolio.chart.stages"),
        description=description,
        table=table.reset_index(),
        inputs=(data, months, names),
    )


def attendance_chart(ctx: PageContext, rows: Sequence[PortfolioRow], today: date) -> None:
    st.subheader(ctx.tr("portfolio.chart.attendance"))
    with_forum = [r for r in rows if r.has_forum]
    names = {r.locality_code: r.name(ctx.lang) for r in with_forum}
    if not names:
        st.info(ctx.tr("empty.no_data"))
        return
    # first offered: the localities whose attendance is below the line, then the others
    ordered = sorted(with_forum, key=lambda r: (not r.attendance.below, r.name(ctx.lang)))
    chosen = st.multiselect(
        ctx.tr("portfolio.compare"),
        list(names),
        default=[r.locality_code for r in ordered[:4]],
        format_func=names.__getitem__,
        max_selections=MAX_COMPARED,
        key=f"portfolio_compare_{ctx.lang}",
        placeholder=choose_many(names),
    )
    points = cached_attendance(ctx.db, ctx.actor, tuple(sorted(chosen)), today) if chosen else []
    data = pd.DataFrame(
        [{"locality": names[p.locality_code], "date": p.held_on, "share": p.share} for p in points]
    )
    if data.empty:
        st.info(ctx.tr("empty.no_data"))
        return
    below = data.groupby("locality")["share"].mean()
    description = ctx.tr(
        "portfolio.chart.attendance.description",
        n=len(below),
        line=fmt_percent(ATTENDANCE_LINE, ctx.lang, 0),
        below=", ".join(sorted(below[below < ATTENDANCE_LINE].index)) or "—",
    )
    table = pd.DataFrame(
        {
            ctx.tr("portfolio.col.locality"): data["locality"],
            ctx.tr("portfolio.col.held_on"): [fmt_date(d, ctx.lang) for d in data["date"]],
            ctx.tr("portfolio.col.attendance"): [
                fmt_percent(v, ctx.lang, 0) for v in data["share"]
            ],
        }
    )
    data["date"] = pd.to_datetime(data["date"])

    def build() -> alt.LayerChart:
        line = reading_lines(data, "date:T", ctx.lang, axis=alt.Axis(format="%m/%Y")).encode(
            y=alt.Y(
                "share:Q",
                title=None,
                scale=alt.Scale(domain=[0, 1]),
                axis=reading_axis(ctx.lang, format="%"),
            ),
            color=alt.Color(
                "locality:N", title=None, legend=alt.Legend(orient="bottom", columns=4)
            ),
            tooltip=["locality:N", "date:T", alt.Tooltip("share:Q", format=".0%")],
        )
        return with_line(line, ATTENDANCE_LINE)

    show_chart(
        build,
        ctx.lang,
        title=ctx.tr("portfolio.chart.attendance"),
        description=description,
        table=table,
        inputs=(data,),
    )
    st.caption(ctx.tr("forum.attendance.line_note"))


def targets_chart(ctx: PageContext, rows: Sequence[PortfolioRow]) -> None:
    """Per locality whose forum has metrics, the share of them on track against their target."""
    st.subheader(ctx.tr("portfolio.chart.targets"))
    counted = [(r, r.targets) for r in rows if r.targets.total]
    if not counted:
        st.info(ctx.tr("empty.no_data"))
        return
    data = pd.DataFrame(
        [
            {
                "locality": r.name(ctx.lang),
                "share": c.on_track / c.total,
                "on_track": c.on_track,
                "metrics": c.total,
            }
            for r, c in counted
        ]
    )
    description = ctx.tr(
        "portfolio.chart.targets.description",
        n=len(data),
        all_on=int((data["share"] == 1).sum()),
        none_on=int((data["share"] == 0).sum()),
    )
    table = pd.DataFrame(
        {
            ctx.tr("portfolio.col.locality"): data["locality"],
            ctx.tr("portfolio.col.on_track"): data["on_track"],
            ctx.tr("portfolio.chart.targets.metrics"): data["metrics"],
            ctx.tr("portfolio.chart.targets.share"): [
                fmt_percent(v, ctx.lang, 0) for v in data["share"]
            ],
        }
    )
    show_chart(
        lambda: bars(data, "locality", "share", ctx.lang, fmt=".0%", domain=(0, 1)).properties(
            height=alt.Step(22)
        ),
        ctx.lang,
        title=ctx.tr("portfolio.chart.targets"),
        description=description,
        table=table,
        inputs=(data,),
    )
