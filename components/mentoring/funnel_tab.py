"""The funnel tab: a pipeline's funnel for a selection on a date, its breakdown by a dimension,
drop-off by reason, time in stage and progress against the programs' targets.

The tab is the page's first, drawn on every run of it. Its tables and its charts' data are made
once per selection, date, breakdown and language and kept as read models
(components/common/cache.py: per database and actor, cleared by every mentoring write and
pipeline definition), so a run draws them: naming stages and groups, pivoting and formatting
counts for every run was most of the page's cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import pyarrow as pa
import streamlit as st

from components.common.cache import read_model
from components.common.charts import show as show_chart
from components.common.downloads import download_buttons
from components.common.pickers import named, pick
from components.mentoring import charts
from components.mentoring.views import (
    Labels,
    count_text,
    drawn_table,
    funnel_table,
    group_shares,
    labelled,
    progress_table,
    reason_label,
    selection_widgets,
    show_table,
    stage_names,
)
from components.shell.context import PageContext
from employdash.access import Actor, Area
from employdash.config import get_config
from employdash.db import Database
from employdash.i18n import fmt_number, fmt_percent
from employdash.localities import LocalityInfo
from employdash.mentoring import funnel as engine
from employdash.mentoring import targets
from employdash.mentoring.funnel import Selection

DIMENSIONS = ("program", "operating_model", "population", "cohort", "locality")


@dataclass(frozen=True)
class ChartData:
    """A chart's data frame as plain values (its columns, their types and its rows).

    charts.show keys a cached chart by its inputs on every run: a few rows of plain values are
    hashed in a fraction of the time a data frame is (a quarter of the tab's run went to hashing
    its four charts' frames). `frame()` gives the same frame back, types included."""

    columns: tuple[str, ...]
    types: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> ChartData:
        cells = frame.astype(object).where(frame.notna(), None)
        return cls(
            tuple(str(c) for c in frame.columns),
            tuple(str(t) for t in frame.dtypes),
            tuple(tuple(row) for row in cells.itertuples(index=False)),
        )

    def distinct(self, column: str) -> int:
        """How many different values the column holds."""
        at = self.columns.index(column)
        return len({row[at] for row in self.rows})

    def frame(self) -> pd.DataFrame:
        rows = pd.DataFrame(list(self.rows), columns=list(self.columns), dtype=object)
        return rows.astype(dict(zip(self.columns, self.types, strict=True)))


@dataclass(frozen=True)
class Overview:
    """The funnel and what does not depend on the breakdown, ready to draw; the frames named
    `*_chart` are the charts' data, the Arrow tables the tables as drawn (`drawn_table`)."""

    entrants: str
    completion: str
    funnel_chart: ChartData
    funnel: pd.DataFrame  # for the downloads
    funnel_drawn: pa.Table
    dropoff_chart: ChartData  # no rows: nobody dropped out
    dropoff: pa.Table
    durations_chart: ChartData  # no rows: too few stays to show
    durations: pa.Table
    progress: list[targets.TargetProgress]  # the goals of the periods running on the date
    progress_drawn: pa.Table


@dataclass(frozen=True)
class Breakdown:
    """The share of each group's entrants reaching each stage (the chart's data) and the count
    reaching it (the table); no groups: both empty."""

    shares_chart: ChartData
    table: pa.Table


def _overview(
    db: Database, actor: Actor, sel: Selection, as_of: date, lang: str
) -> Overview | None:
    """The funnel of `sel` on `as_of` in `lang`; None when nobody is in it."""
    ctx = PageContext(db, actor, lang, None, ())
    tr = ctx.tr
    fun = engine.funnel(db, actor, sel, as_of, None)
    if fun.table.empty:
        return None
    names = stage_names(ctx, sel.pipeline)
    first, last = fun.table["reached"].iloc[0], fun.table["reached"].iloc[-1]
    done = None if first in (None, 0) or last is None or pd.isna(last) else last / first
    drops = engine.dropoff(db, actor, sel, as_of)
    dropoff = pd.DataFrame()
    if not drops.empty:
        drops = labelled(drops, names)
        drops["reason_label"] = [reason_label(ctx, r) for r in drops["reason"]]
        dropoff = drops.pivot_table(
            index="position", columns="reason_label", values="count", aggfunc="first", dropna=False
        ).map(lambda v: count_text(v, lang))
        by_position = drops.drop_duplicates("position").set_index("position")["label"]
        dropoff.insert(0, tr("ment.col.stage"), [by_position[p] for p in dropoff.index])
    spans = engine.durations(db, actor, sel, as_of)
    durations = pd.DataFrame()
    if not spans.empty:
        spans = labelled(spans, names)
        durations = pd.DataFrame(
            {
                tr("ment.col.stage"): spans["label"],
                tr("ment.col.stays"): [count_text(v, lang) for v in spans["stays"]],
                tr("ment.col.median"): [count_text(v, lang) for v in spans["median_days"]],
                tr("ment.col.p90"): [count_text(v, lang) for v in spans["p90_days"]],
            }
        )
    funnel = funnel_table(ctx, fun.table, names)
    progress = targets.progress(
        db, actor, sel.locality_codes, as_of, sel.program_ids, current_only=True
    )
    return Overview(
        entrants=count_text(first, lang),
        completion=fmt_percent(done, lang),
        funnel_chart=ChartData.of(labelled(fun.table, names)),
        funnel=funnel,
        funnel_drawn=drawn_table(lang, funnel),
        dropoff_chart=ChartData.of(drops),
        dropoff=drawn_table(lang, dropoff),
        durations_chart=ChartData.of(spans),
        durations=drawn_table(lang, durations),
        progress=progress,
        progress_drawn=drawn_table(lang, progress_table(ctx, progress)),
    )


def _breakdown(
    db: Database,
    actor: Actor,
    sel: Selection,
    as_of: date,
    by: str,
    lang: str,
    localities: tuple[LocalityInfo, ...],
) -> Breakdown:
    """The funnel of `sel` on `as_of` per group of the dimension `by`, groups named in `lang`
    (localities by their names in `localities`)."""
    ctx = PageContext(db, actor, lang, None, localities)
    labels = Labels(ctx)
    grouped = engine.funnel(db, actor, sel, as_of, by)
    if not grouped.groups:
        return Breakdown(ChartData.of(pd.DataFrame()), drawn_table(lang, pd.DataFrame()))
    names = stage_names(ctx, sel.pipeline)
    shares = group_shares(grouped, names, lambda g: labels.group(by, g))
    table = shares.pivot_table(
        index="position", columns="group", values="reached", aggfunc="first", dropna=False
    ).map(lambda v: count_text(v, lang))
    stages = {s.position: names.get(s.code, s.code) for s in grouped.stages}
    table.insert(0, ctx.tr("ment.col.stage"), [stages[p] for p in table.index])
    return Breakdown(ChartData.of(shares), drawn_table(lang, table))


cached_overview = read_model(Area.MENTORING)(_overview)
cached_breakdown = read_model(Area.MENTORING)(_breakdown)


def funnel_tab(ctx: PageContext, labels: Labels, pipeline: str, as_of: date) -> None:
    tr, lang = ctx.tr, ctx.lang
    with st.expander(tr("ment.filters"), expanded=False):
        sel = selection_widgets(ctx, labels, pipeline, "f")
    view = cached_overview(ctx.db, ctx.actor, sel, as_of, lang)
    if view is None:
        st.info(tr("empty.no_data"))
        return
    m1, m2 = st.columns(2)
    m1.metric(tr("ment.metric.participants"), view.entrants)
    m2.metric(tr("ment.metric.completion"), view.completion)
    st.subheader(tr("ment.funnel.title"))
    stages, reached = view.funnel_chart, tr("ment.col.reached")
    show_chart(
        lambda: charts.funnel_chart(stages.frame(), lang, reached), lang, inputs=(stages, reached)
    )
    show_table(ctx, view.funnel_drawn)
    download_buttons(view.funnel, f"funnel-{pipeline}-{as_of}", "ment_funnel_dl")
    by = pick(
        tr("ment.breakdown"),
        named(DIMENSIONS, "ment.dim"),
        f"ment_by_{ctx.lang}",
        "population" if pipeline == "mentee" else None,
    )
    st.subheader(tr("ment.breakdown.title", dimension=tr(f"ment.dim.{by}")))
    # Only a breakdown by locality names localities: other keys leave them out.
    localities = ctx.localities if by == "locality" else ()
    groups = cached_breakdown(ctx.db, ctx.actor, sel, as_of, by, lang, localities)
    if groups.table.num_rows:
        shares, titles = groups.shares_chart, (tr("ment.col.reached"), tr(f"ment.dim.{by}"))
        show_chart(
            lambda: charts.share_lines(shares.frame(), lang, *titles), lang, inputs=(shares, titles)
        )
        show_table(ctx, groups.table)
    dropoff_section(ctx, view)
    durations_section(ctx, view)
    targets_section(ctx, view.progress, view.progress_drawn)


def dropoff_section(ctx: PageContext, view: Overview) -> None:
    """Drop-off by stage and reason: stacked bars and a stage × reason table."""
    tr, lang = ctx.tr, ctx.lang
    st.subheader(tr("ment.dropoff.title"))
    if not view.dropoff.num_rows:
        st.caption(tr("empty.no_data"))
        return
    drops, titles = view.dropoff_chart, (tr("ment.col.count"), tr("ment.col.reason"))
    show_chart(  # an explicit height: Streamlit squeezes this single-view band chart
        lambda: charts.dropoff_chart(drops.frame(), lang, *titles),
        lang,
        height=charts.HEIGHT_PER_STAGE * drops.distinct("position") + 130,
        inputs=(drops, titles),
    )
    show_table(ctx, view.dropoff)


def durations_section(ctx: PageContext, view: Overview) -> None:
    tr, lang = ctx.tr, ctx.lang
    st.subheader(tr("ment.durations.title"))
    st.caption(tr("ment.durations.help", threshold=get_config().SUPPRESSION_THRESHOLD))
    if not view.durations.num_rows:
        st.caption(tr("empty.no_data"))
        return
    spans, titles = view.durations_chart, (tr("ment.col.median"), tr("ment.col.p90"))
    show_chart(
        lambda: charts.durations_chart(spans.frame(), lang, *titles), lang, inputs=(spans, titles)
    )
    show_table(ctx, view.durations)


def targets_section(ctx: PageContext, rows: list[targets.TargetProgress], table: pa.Table) -> None:
    """Progress against the program managers' goals for the periods running on the date."""
    tr, lang = ctx.tr, ctx.lang
    st.subheader(tr("ment.targets.title"))
    if not rows:
        st.caption(tr("ment.targets.none"))
        return
    show_table(ctx, table)
    for row in rows[:6]:
        for metric in targets.METRICS:
            share = row.share(metric)
            if share is not None:  # the label is plain text: a program name is user text
                st.text(
                    tr(
                        "ment.targets.bar",
                        program=row.program_name,
                        metric=tr(f"ment.targets.{metric}"),
                        done=count_text(row.actual[metric], lang),
                        goal=fmt_number(row.goals[metric] or 0, lang),
                    )
                )
                st.progress(min(share, 1.0))
