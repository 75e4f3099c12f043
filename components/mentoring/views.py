"""Mentoring read views: filters, funnel, breakdowns, comparison, cohorts and waiting lists.

Read models are cached per database, actor, selection and date (authorization stays in the
services, which every cache miss calls). Hidden (suppressed) cells show as "—".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from components.common.cache import read_model
from components.common.charts import show as show_chart
from components.common.downloads import download_buttons
from components.common.pickers import named, pick_many
from components.common.tables import data_table
from components.common.text import plain
from components.mentoring import charts
from components.shell.context import PageContext
from employdash.access import Actor, Area
from employdash.db import Database
from employdash.i18n import fmt_date, fmt_number, fmt_percent, has_key
from employdash.mentoring import funnel as engine
from employdash.mentoring import operations as svc
from employdash.mentoring import targets
from employdash.mentoring.funnel import Selection
from employdash.mentoring.vocabulary import OPERATING_MODELS, POPULATIONS


@dataclass(frozen=True)
class Lists:
    """What every run of every tab names things by: the pipelines (shipped ones first), and the
    programs and cohorts in the reader's scope."""

    pipelines: list[svc.PipelineInfo]
    programs: list[svc.ProgramInfo]
    cohorts: list[svc.CohortInfo]


def _lists(db: Database, actor: Actor) -> Lists:
    return Lists(svc.pipelines(db, actor), svc.programs(db, actor), svc.cohorts(db, actor))


# Read once per change, like the figures (components/common/cache.py): cleared by every
# mentoring write and pipeline definition.
cached_lists = read_model(Area.MENTORING)(_lists)


def pipeline_choices(ctx: PageContext) -> dict[str, svc.PipelineInfo]:
    """The pipelines stored in the database (shipped ones first), by code."""
    return {p.code: p for p in cached_lists(ctx.db, ctx.actor).pipelines}


def defined_name(
    ctx: PageContext, label: str | None, label_en: str | None, name_key: str, code: str
) -> str:
    """The name of a pipeline or stage in the reader's language: the names given when it was
    defined in the UI (the English one in English, when given), else the catalogue's, else the
    code."""
    if ctx.lang == "en" and label_en:
        return label_en
    if label or label_en:
        return label or label_en or code
    return ctx.tr(name_key) if has_key(name_key) else code


def pipeline_label(ctx: PageContext, info: svc.PipelineInfo) -> str:
    return defined_name(ctx, info.label, info.label_en, info.name_key, info.code)


def stage_name(ctx: PageContext, stage: engine.Stage) -> str:
    return defined_name(ctx, stage.label, stage.label_en, stage.name_key, stage.code)


def stage_names(ctx: PageContext, pipeline: str) -> dict[str, str]:
    """Every stage of the pipeline by code, named in the reader's language."""
    return {s.code: stage_name(ctx, s) for s in engine.pipeline_stages(ctx.db, ctx.actor, pipeline)}


def reason_label(ctx: PageContext, reason: str) -> str:
    """A drop reason's name; reasons of pipelines defined later show their code."""
    key = f"ment.reason.{reason}"
    return ctx.tr(key) if has_key(key) else reason


def program_kind(role: str) -> str:
    """Trainees follow certification programs; mentors and mentees mentoring programs."""
    return "certification" if role == "trainee" else "mentoring"


# The read models this page shows, cached (components/common/cache.py).
cached_funnel = read_model(Area.MENTORING)(engine.funnel)
cached_cohorts = read_model(Area.MENTORING)(engine.time_to_outcome)
cached_waiting = read_model(Area.MENTORING)(engine.waiting_summary)


class Labels:
    """Display names for groups of each dimension, stages, reasons, in the user's language."""

    def __init__(self, ctx: PageContext) -> None:
        self.ctx = ctx
        lists = cached_lists(ctx.db, ctx.actor)
        self.pipelines = {p.code: p for p in lists.pipelines}
        self.programs = {p.id: p for p in lists.programs}
        cohorts = lists.cohorts
        self.cohorts = {c.id: c.name for c in cohorts}
        self.cohort_programs = {c.id: c.program_id for c in cohorts}
        self.localities = {loc.code: loc.name(ctx.lang) for loc in ctx.localities}

    def group(self, by: str | None, value: Any) -> str:
        tr = self.ctx.tr
        if by == "program":
            program = self.programs.get(value)
            return program.name if program else str(value)
        if by == "operating_model":
            return tr(f"ment.model.{value}")
        if by == "population":
            return tr(f"ment.pop.{value}")
        if by == "locality":
            return self.localities.get(value, str(value))
        if by == "cohort":
            return self.cohorts.get(value, "—") if value is not None else "—"
        return tr("ment.dim.none")

    def program(self, program_id: int) -> str:
        return self.group("program", program_id)

    def programs_named(self, program_ids: Iterable[int]) -> dict[int, str]:
        """The programs with their names, for a picker."""
        return {p: self.program(p) for p in program_ids}

    def participants(self, frame: pd.DataFrame) -> dict[int, str]:
        """The participants of `frame` (one row each) by ID, shown as their code and program."""
        return {
            int(r.participant_id): f"{r.code} · {self.program(r.program_id)}"
            for r in frame.itertuples()
        }


def show_table(ctx: PageContext, table: pd.DataFrame | dict[str, list[Any]] | pa.Table) -> None:
    """A table (or its columns by title), or one `drawn_table` made ready."""
    data_table(
        table if isinstance(table, pa.Table) else _in_reading_order(ctx.lang, table),
        hide_index=True,
        width="stretch",
    )


def _in_reading_order(lang: str, table: pd.DataFrame | dict[str, list[Any]]) -> pd.DataFrame:
    """st.dataframe is never mirrored: in Hebrew put the first column on the right."""
    frame = pd.DataFrame(table)
    return frame[list(reversed(frame.columns))] if lang == "he" else frame


def drawn_table(lang: str, table: pd.DataFrame | dict[str, list[Any]]) -> pa.Table:
    """A table as `show_table` draws it, in Arrow (what st.dataframe sends): a table kept in a
    cached read model is then drawn without being converted again on every run."""
    return pa.Table.from_pandas(_in_reading_order(lang, table), preserve_index=False)


def count_text(value: Any, lang: str) -> str:
    return "—" if value is None or pd.isna(value) else fmt_number(int(value), lang)


def selection_widgets(
    ctx: PageContext,
    labels: Labels,
    pipeline: str,
    key: str,
    per_row: int = 4,
    models: tuple[str, ...] = (),
) -> Selection:
    """Filters of a selection (empty = everything in scope); `models` preselects models."""
    tr = ctx.tr
    cols = st.columns(per_row) * (4 // per_row)
    with cols[0]:
        localities = pick_many(
            tr("ment.filter.localities"), labels.localities, f"{key}_loc_{ctx.lang}"
        )
    kind = program_kind(labels.pipelines[pipeline].role)
    program_ids = [
        p.id
        for p in labels.programs.values()
        if p.kind == kind and (not localities or p.locality_code in localities)
    ]
    with cols[1]:
        programs = pick_many(
            tr("ment.filter.programs"), labels.programs_named(program_ids), f"{key}_prog_{ctx.lang}"
        )
    with cols[2]:
        chosen_models = pick_many(
            tr("ment.filter.models"),
            named(OPERATING_MODELS, "ment.model"),
            f"{key}_model_{ctx.lang}",
            models,
        )
    with cols[3]:
        populations = pick_many(
            tr("ment.filter.populations"), named(POPULATIONS, "ment.pop"), f"{key}_pop_{ctx.lang}"
        )
    return Selection(
        pipeline=pipeline,
        locality_codes=tuple(localities) or None,
        program_ids=tuple(programs) or None,
        operating_models=tuple(chosen_models) or None,
        populations=tuple(populations) or None,
    )


def funnel_table(ctx: PageContext, table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    tr, lang = ctx.tr, ctx.lang
    return pd.DataFrame(
        {
            tr("ment.col.stage"): labelled(table, names)["label"],
            tr("ment.col.reached"): [count_text(v, lang) for v in table["reached"]],
            tr("ment.col.conversion"): [
                fmt_percent(v, lang) if v is not None and not pd.isna(v) else "—"
                for v in table["conversion"]
            ],
            tr("ment.col.in_stage"): [count_text(v, lang) for v in table["in_stage"]],
            tr("ment.col.dropped"): [count_text(v, lang) for v in table["dropped"]],
        }
    )


def labelled(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The frame with a `label` column: each row's stage named in the reader's language."""
    frame = frame.copy()
    frame["label"] = [names.get(c, c) for c in frame["stage"]]
    return frame


def _known(value: Any) -> bool:
    return value is not None and not pd.isna(value)


def group_shares(
    fun: engine.Funnel, names: dict[str, str], group_label: Callable[[Any], str]
) -> pd.DataFrame:
    """Share of each group's entrants (reached stage 1) that reached each stage."""
    frame = labelled(fun.table, names)
    groups = [None if not _known(g) else g for g in frame["group"]]  # a missing group is one
    entrants = {
        g: n for g, p, n in zip(groups, frame["position"], frame["reached"], strict=True) if p == 1
    }
    frame["share"] = [
        float(n) / float(entrants[g]) if _known(n) and _known(entrants[g]) and entrants[g] else None
        for g, n in zip(groups, frame["reached"], strict=True)
    ]
    frame["group"] = [group_label(g) for g in frame["group"]]
    return frame


def _named(name: str) -> Callable[[Any], str]:
    """A group label that names every group the same (one side of the comparison)."""
    return lambda _group: name


def progress_table(ctx: PageContext, rows: list[targets.TargetProgress]) -> pd.DataFrame:
    tr, lang = ctx.tr, ctx.lang
    data: dict[str, list[str]] = {
        tr("ment.col.program"): [r.program_name for r in rows],
        tr("ment.targets.period"): [
            f"{fmt_date(r.period_start, lang)} – {fmt_date(r.period_end, lang)}" for r in rows
        ],
    }
    for metric in targets.METRICS:
        data[tr(f"ment.targets.{metric}")] = [
            "—"
            if r.goals[metric] is None
            else f"{count_text(r.actual[metric], lang)} / {fmt_number(r.goals[metric] or 0, lang)}"
            + ("" if r.share(metric) is None else f" ({fmt_percent(r.share(metric), lang)})")
            for r in rows
        ]
    return pd.DataFrame(data)


def compare_tab(ctx: PageContext, labels: Labels, pipeline: str, as_of: date) -> None:
    tr = ctx.tr
    funnels, names = [], []
    stages = stage_names(ctx, pipeline)
    columns = st.columns(2)
    defaults = (("program_coordinator",), ("mentoring_coordinator",))
    titles = ("ment.compare.left", "ment.compare.right")
    for col, key, title, models in zip(columns, ("cmp_a", "cmp_b"), titles, defaults, strict=True):
        with col:
            st.subheader(tr(title))
            preset = models if pipeline != "certification" else ()
            sel = selection_widgets(ctx, labels, pipeline, key, per_row=2, models=preset)
            fun = cached_funnel(ctx.db, ctx.actor, sel, as_of, None)
            funnels.append(fun)
            names.append(tr(title))
            if fun.table.empty:
                st.info(tr("empty.no_data"))
            else:
                show_table(ctx, funnel_table(ctx, fun.table, stages))
    frames = [
        group_shares(f, stages, _named(n))
        for f, n in zip(funnels, names, strict=True)
        if not f.table.empty
    ]
    if frames:
        st.subheader(tr("ment.compare.title"))
        both, lang = pd.concat(frames), ctx.lang
        titles = (tr("ment.col.reached"), tr("ment.col.group"))
        show_chart(lambda: charts.share_lines(both, lang, *titles), lang, inputs=(both, titles))


def cohorts_tab(ctx: PageContext, pipeline: str, as_of: date) -> None:
    tr = ctx.tr
    st.subheader(tr("ment.cohorts.title"))
    st.caption(tr("ment.cohorts.help"))
    frame = cached_cohorts(ctx.db, ctx.actor, Selection(pipeline=pipeline), as_of)
    if frame.empty:
        st.info(tr("empty.no_data"))
        return
    lang = ctx.lang
    titles = (tr("ment.col.month"), tr("ment.col.share"), tr("ment.col.cohort"))
    show_chart(lambda: charts.cohort_chart(frame, lang, *titles), lang, inputs=(frame, titles))


def waiting_tab(ctx: PageContext, labels: Labels, as_of: date) -> None:
    tr, lang = ctx.tr, ctx.lang
    st.subheader(tr("ment.waiting.title"))
    summary = cached_waiting(ctx.db, ctx.actor, Selection(), as_of)
    if summary.empty:
        st.info(tr("empty.no_data"))
    else:
        show_table(
            ctx,
            {
                tr("ment.col.program"): [
                    tr("ment.total") if p is None or p != p else labels.program(p)
                    for p in summary["program_id"]
                ],
                tr("ment.col.waiting"): [count_text(v, lang) for v in summary["waiting_mentees"]],
                tr("ment.col.idle"): [
                    count_text(v, lang) for v in summary["mentors_without_mentee"]
                ],
            },
        )
    if ctx.locality is None or not ctx.actor.can_write(Area.MENTORING, ctx.locality_code):
        st.caption(tr("ment.waiting.list_note"))
        return
    waiting, idle = svc.waiting_lists(ctx.db, ctx.actor, ctx.locality_code, as_of)
    for title, frame in (("ment.waiting.mentees", waiting), ("ment.waiting.mentors", idle)):
        st.markdown(f"**{tr(title)}**")
        show_table(ctx, code_table(ctx, labels, frame))


def code_table(ctx: PageContext, labels: Labels, frame: pd.DataFrame) -> pd.DataFrame:
    tr, lang = ctx.tr, ctx.lang
    return pd.DataFrame(
        {
            tr("ment.col.code"): frame["code"],
            tr("ment.col.program"): [labels.program(p) for p in frame["program_id"]],
            tr("ment.col.since"): [fmt_date(d, lang) for d in frame["since"]],
            tr("ment.col.days"): frame["days"],
        }
    )


def participants_tab(ctx: PageContext, labels: Labels, pipeline: str, as_of: date) -> None:
    tr, lang = ctx.tr, ctx.lang
    if ctx.locality is None:
        st.info(tr("ment.no_locality"))
        return
    if not ctx.actor.can_write(Area.MENTORING, ctx.locality_code):
        st.info(tr("ment.no_access"))
        return
    st.subheader(tr("ment.participants.title", locality=plain(ctx.locality.name(lang))))
    st.caption(tr("ment.participants.note"))
    frame = svc.participants(ctx.db, ctx.actor, ctx.locality_code, pipeline, as_of)
    names = stage_names(ctx, pipeline)
    status = [
        tr("ment.kind.drop") + f" ({reason_label(ctx, r)})" if k == "drop" else names.get(s, s)
        for s, k, r in zip(frame["stage"], frame["kind"], frame["reason"], strict=True)
    ]
    table = pd.DataFrame(
        {
            tr("ment.col.code"): frame["code"],
            tr("ment.col.program"): [labels.program(p) for p in frame["program_id"]],
            tr("ment.col.population"): [tr(f"ment.pop.{p}") for p in frame["population"]],
            tr("ment.col.age"): [tr(f"ment.age.{a}") if a else "—" for a in frame["age_band"]],
            tr("ment.col.cohort"): [
                labels.group("cohort", c) if c == c and c is not None else "—"
                for c in frame["cohort_id"]
            ],
            tr("ment.col.status"): status,
            tr("ment.col.since"): [fmt_date(d, lang) for d in frame["since"]],
        }
    )
    show_table(ctx, table)
    download_buttons(table, f"participants-{ctx.locality_code}-{as_of}", "ment_part_dl")
