"""Editing the plan's focuses and metrics: a focus added, edited, moved or retired; a success
metric on an outcome indicator, or a manual one (name, unit, direction), each from a baseline to a
target on dates the user chooses; a metric's target or dates changed or the metric retired; a
manual metric's value entered for a month.
"""

from __future__ import annotations

from datetime import date
from typing import Generic, NamedTuple, TypeVar

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import (
    FormFeedback,
    drawn_with,
    expander_form,
    feedback_form,
    handled,
)
from components.common.pickers import pick, pick_term
from components.forum import data, metric_values
from components.forum.forms import form_key, renew
from components.forum.record import done as _done
from components.shell.context import PageContext
from components.shell.feedback import guarded
from employdash.errors import StaleVersion
from employdash.forum import focuses as focus_service
from employdash.forum import structure as forum_service
from employdash.forum.structure import Overview
from employdash.forum.targets import MetricProgress

VALUES_SEEN = "metric_value_seen"


# A new metric's dates are always given; a kept metric may have no baseline date.
D = TypeVar("D", date, date | None)


class Span(NamedTuple, Generic[D]):
    """Where a metric starts (its baseline on a date) and where it should be by a date."""

    baseline: float
    baseline_date: D
    target: float
    target_date: D


def _new_span() -> Span[date]:
    """A new metric: from nothing today to the end of next year, until the user says otherwise."""
    return Span(0.0, date.today(), 0.0, date(date.today().year + 1, 12, 31))


def _span_fields(
    ctx: PageContext,
    feedback: FormFeedback,
    start: Span[D],
    *,
    number_format: str | None = None,
    baseline_date_mandatory: bool = True,
) -> Span[D]:
    """The metric's baseline and target, each a value and the date it holds on, with their
    error slots, drawn from `start`."""
    ends = (
        ("baseline", "forum.metric.baseline", start.baseline, start.baseline_date),
        ("target", "forum.col.target", start.target, start.target_date),
    )
    drawn: list[tuple[float, D]] = []
    for field, label_key, value, on in ends:
        with feedback.labelled(field, ctx.tr(label_key), mandatory=True) as label:
            number = st.number_input(label, value=value, format=number_format)
        with feedback.labelled(
            f"{field}_date",
            ctx.tr(f"forum.metric.{field}_date"),
            mandatory=field == "target" or baseline_date_mandatory,
        ) as label:
            day: D = st.date_input(label, on, format="DD/MM/YYYY")
        drawn.append((number, day))
    (baseline, baseline_date), (target, target_date) = drawn
    return Span(baseline, baseline_date, target, target_date)


def _focus_field(ctx: PageContext, feedback: FormFeedback, view: Overview) -> int:
    """The focus a new metric serves."""
    with feedback.labelled("focus", ctx.tr("forum.col.focus"), mandatory=True) as label:
        focus_id: int = pick(label, {f["id"]: f["title"] for f in view.focuses})
    return focus_id


def metric_label(ctx: PageContext, m: MetricProgress) -> str:
    name = (m["name_he"] if ctx.lang == "he" else m["name_en"]) or m["indicator_code"] or ""
    return f"{m['focus_title']} · {name} · #{m['id']}"


def focus_forms(ctx: PageContext, view: Overview) -> None:
    """Editors: add a strategic focus, and a success metric on an outcome indicator."""
    with expander_form(
        ctx.tr("forum.focus.add"), ":material/add:", form_key("focus_new")
    ) as feedback:
        with feedback.labelled("title", ctx.tr("forum.focus.title"), mandatory=True) as label:
            title = st.text_input(label, max_chars=200)
        with feedback.labelled("description", ctx.tr("forum.focus.description")) as label:
            description = st.text_area(label)
        if st.form_submit_button(ctx.tr("common.save")):
            with handled(feedback):
                command = forum_service.CreateFocus.of(view.forum_id, title, description)
                perform(ctx.db, ctx.actor, command)
                renew("focus_new")
                _done("common.saved")
    if not view.focuses:
        return
    choices = data.indicator_choices(ctx.db, ctx.actor, ctx.locality_code)
    names = {c["code"]: c["name_he"] if ctx.lang == "he" else c["name_en"] for c in choices}
    with expander_form(
        ctx.tr("forum.metric.add"), ":material/add_chart:", form_key("metric_new")
    ) as feedback:
        focus_id = _focus_field(ctx, feedback, view)
        with feedback.labelled("indicator", ctx.tr("forum.col.indicator"), mandatory=True) as label:
            code = pick(label, names)
        span = _span_fields(ctx, feedback, _new_span(), number_format="%.4f")
        if st.form_submit_button(ctx.tr("common.save")):
            with handled(feedback):
                add = forum_service.AddMetric.of(
                    focus_id, code, span.baseline, span.target, span.target_date, span.baseline_date
                )
                perform(ctx.db, ctx.actor, add)
                renew("metric_new")
                _done("common.saved")


def focus_edit(ctx: PageContext, view: Overview) -> None:
    if not view.focuses:
        return
    by_id = {f["id"]: f for f in view.focuses}
    with st.expander(ctx.tr("forum.focus.edit"), icon=":material/edit:"):
        fid = pick(
            ctx.tr("forum.col.focus"),
            {i: f"{f['title']} · #{i}" for i, f in by_id.items()},
            key="focus_edit_pick",
        )
        focus = by_id[fid]
        up, down = st.columns(2)
        if up.button(ctx.tr("forum.focus.up"), icon=":material/arrow_upward:", key="focus_up"):
            with guarded():
                perform(ctx.db, ctx.actor, focus_service.MoveFocus.of(fid, -1))
                _done("common.saved")
        if down.button(
            ctx.tr("forum.focus.down"), icon=":material/arrow_downward:", key="focus_down"
        ):
            with guarded():
                perform(ctx.db, ctx.actor, focus_service.MoveFocus.of(fid, 1))
                _done("common.saved")
        with feedback_form(f"focus_edit_{fid}_{focus['version']}") as feedback:
            with feedback.labelled("title", ctx.tr("forum.focus.title"), mandatory=True) as label:
                title = st.text_input(label, focus["title"], max_chars=200)
            with feedback.labelled("description", ctx.tr("forum.focus.description")) as label:
                description = st.text_area(label, focus["description"] or "")
            retire = st.checkbox(ctx.tr("forum.focus.retire"))
            if st.form_submit_button(ctx.tr("common.save"), type="primary"):
                with handled(feedback):
                    values = {"title": title, "description": description, "retired": retire}
                    command = focus_service.UpdateFocus.of(fid, focus["version"], values)
                    perform(ctx.db, ctx.actor, command)
                    _done("common.saved")


def manual_metric_form(ctx: PageContext, view: Overview) -> None:
    if not view.focuses:
        return
    with expander_form(
        ctx.tr("forum.metric.manual"), ":material/edit_note:", form_key("metric_manual")
    ) as feedback:
        focus_id = _focus_field(ctx, feedback, view)
        with feedback.labelled("name", ctx.tr("forum.metric.name"), mandatory=True) as label:
            name = st.text_input(label, max_chars=200)
        left, right = st.columns(2)
        unit = left.text_input(ctx.tr("forum.metric.unit"), max_chars=20)
        with (
            feedback.labelled(
                "direction", ctx.tr("forum.metric.direction"), mandatory=True
            ) as label,
            right,
        ):
            direction = pick_term(ctx, label, focus_service.DIRECTIONS, "forum.metric.direction")
        span = _span_fields(ctx, feedback, _new_span())
        if st.form_submit_button(ctx.tr("common.save"), type="primary"):
            with handled(feedback):
                add = focus_service.AddManualMetric.of(focus_id, name, unit, direction, *span)
                perform(ctx.db, ctx.actor, add)
                renew("metric_manual")
                _done("common.saved")


def metric_edit(ctx: PageContext, metrics: list[MetricProgress]) -> None:
    """A metric's target and dates, retiring it; a manual metric's value for a month."""
    if not metrics:
        return
    by_id = {m["id"]: m for m in metrics}
    manual = {i: m for i, m in by_id.items() if not m["indicator_code"]}
    if manual:
        _value_form(ctx, manual)
        metric_values.values_list(ctx, manual, lambda m: metric_label(ctx, m))
    with st.expander(ctx.tr("forum.metric.edit"), icon=":material/tune:"):
        mid = pick(
            ctx.tr("forum.metric.pick"),
            {i: metric_label(ctx, m) for i, m in by_id.items()},
            key="metric_edit_pick",
        )
        m = by_id[mid]
        with feedback_form(f"metric_edit_{mid}_{m['version']}") as feedback:
            start = Span(
                float(m["baseline"]), m["baseline_date"], float(m["target"]), m["target_date"]
            )
            span = _span_fields(ctx, feedback, start, baseline_date_mandatory=False)
            retire = st.checkbox(ctx.tr("forum.metric.retire"))
            if st.form_submit_button(ctx.tr("common.save"), type="primary"):
                with handled(feedback):
                    values = {**span._asdict(), "retired": retire}
                    change = focus_service.UpdateMetric.of(mid, m["version"], values)
                    perform(ctx.db, ctx.actor, change)
                    _done("common.saved")


def _value_form(ctx: PageContext, manual: dict[int, MetricProgress]) -> None:
    """A manual metric's value for a month, checked against the versions the form was drawn
    from."""
    seen_key = f"{VALUES_SEEN}_{ctx.locality_code}"
    seen = drawn_with(
        seen_key,
        lambda: focus_service.value_versions(ctx.db, ctx.actor, ctx.locality_code, list(manual)),
    )
    with expander_form(
        ctx.tr("forum.metric.enter"), ":material/add_chart:", form_key("metric_value")
    ) as feedback:
        with feedback.labelled("metric", ctx.tr("forum.metric.pick"), mandatory=True) as label:
            mid = pick(label, {i: metric_label(ctx, m) for i, m in manual.items()})
        left, right = st.columns(2)
        with (
            left,
            feedback.labelled("period", ctx.tr("forum.metric.period"), mandatory=True) as label,
        ):
            period = st.date_input(label, date.today().replace(day=1), format="DD/MM/YYYY")
        with (
            right,
            feedback.labelled("value", ctx.tr("forum.metric.value"), mandatory=True) as label,
        ):
            value = st.number_input(label, value=0.0)
        if st.form_submit_button(ctx.tr("common.save"), type="primary"):
            month = period.replace(day=1) if isinstance(period, date) else period
            with handled(feedback):
                try:
                    command = focus_service.EnterValue.of(
                        mid, month, value, seen.get(mid, {}).get(month)
                    )
                    perform(ctx.db, ctx.actor, command)
                except StaleVersion:  # shown as a refusal; the next draw starts from now
                    st.session_state.pop(seen_key, None)
                    raise
                st.session_state.pop(seen_key, None)
                renew("metric_value")
                _done("common.saved")
