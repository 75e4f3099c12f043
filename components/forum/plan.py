"""Editing the plan's focuses and metrics: a focus edited, moved or retired; a manual metric added
(name, unit, direction, baseline and target on dates the user chooses); a metric's target or dates
changed or the metric retired; a manual metric's value entered for a month.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import FormFeedback, drawn_with, handled, required
from components.common.localized import choose
from components.forum.forms import form_key, renew
from components.forum.record import done as _done
from components.shell.context import PageContext
from components.shell.feedback import guarded
from employdash.errors import StaleVersion
from employdash.forum import focuses as focus_service
from employdash.forum.structure import Overview
from employdash.forum.targets import MetricProgress

VALUES_SEEN = "metric_value_seen"


def _metric_label(ctx: PageContext, m: MetricProgress) -> str:
    name = (m["name_he"] if ctx.lang == "he" else m["name_en"]) or m["indicator_code"] or ""
    return f"{m['focus_title']} · {name} · #{m['id']}"


def focus_edit(ctx: PageContext, view: Overview) -> None:
    if not view.focuses:
        return
    by_id = {f["id"]: f for f in view.focuses}
    with st.expander(ctx.tr("forum.focus.edit"), icon=":material/edit:"):
        fid = st.selectbox(
            ctx.tr("forum.col.focus"),
            list(by_id),
            format_func=lambda i: f"{by_id[i]['title']} · #{i}",
            key="focus_edit_pick",
            placeholder=choose(),
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
        with st.form(f"focus_edit_{fid}_{focus['version']}"):
            feedback = FormFeedback()
            feedback.note()
            title = st.text_input(
                required(ctx.tr("forum.focus.title")), focus["title"], max_chars=200
            )
            feedback.field("title", ctx.tr("forum.focus.title"))
            description = st.text_area(
                ctx.tr("forum.focus.description"), focus["description"] or ""
            )
            feedback.field("description", ctx.tr("forum.focus.description"))
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
    names = {f["id"]: f["title"] for f in view.focuses}
    with (
        st.expander(ctx.tr("forum.metric.manual"), icon=":material/edit_note:"),
        st.form(form_key("metric_manual")),
    ):
        feedback = FormFeedback()
        feedback.note()
        focus_id = st.selectbox(
            required(ctx.tr("forum.col.focus")),
            list(names),
            format_func=lambda i: names[i],
            placeholder=choose(),
        )
        feedback.field("focus", ctx.tr("forum.col.focus"))
        name = st.text_input(required(ctx.tr("forum.metric.name")), max_chars=200)
        feedback.field("name", ctx.tr("forum.metric.name"))
        left, right = st.columns(2)
        unit = left.text_input(ctx.tr("forum.metric.unit"), max_chars=20)
        direction = right.selectbox(
            required(ctx.tr("forum.metric.direction")),
            focus_service.DIRECTIONS,
            format_func=lambda d: ctx.tr(f"forum.metric.direction.{d}"),
            placeholder=choose(focus_service.DIRECTIONS),
        )
        feedback.field("direction", ctx.tr("forum.metric.direction"))
        baseline = st.number_input(required(ctx.tr("forum.metric.baseline")), value=0.0)
        feedback.field("baseline", ctx.tr("forum.metric.baseline"))
        baseline_date = st.date_input(
            required(ctx.tr("forum.metric.baseline_date")), date.today(), format="DD/MM/YYYY"
        )
        feedback.field("baseline_date", ctx.tr("forum.metric.baseline_date"))
        target = st.number_input(required(ctx.tr("forum.col.target")), value=0.0)
        feedback.field("target", ctx.tr("forum.col.target"))
        target_date = st.date_input(
            required(ctx.tr("forum.metric.target_date")),
            date(date.today().year + 1, 12, 31),
            format="DD/MM/YYYY",
        )
        feedback.field("target_date", ctx.tr("forum.metric.target_date"))
        if st.form_submit_button(ctx.tr("common.save"), type="primary"):
            with handled(feedback):
                add = focus_service.AddManualMetric.of(
                    focus_id,
                    name,
                    unit,
                    direction,
                    baseline,
                    baseline_date,
                    target,
                    target_date,
                )
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
        seen_key = f"{VALUES_SEEN}_{ctx.locality_code}"
        seen = drawn_with(
            seen_key,
            lambda: focus_service.value_versions(
                ctx.db, ctx.actor, ctx.locality_code, list(manual)
            ),
        )
        with (
            st.expander(ctx.tr("forum.metric.enter"), icon=":material/add_chart:"),
            st.form(form_key("metric_value")),
        ):
            feedback = FormFeedback()
            feedback.note()
            mid = st.selectbox(
                required(ctx.tr("forum.metric.pick")),
                list(manual),
                format_func=lambda i: _metric_label(ctx, manual[i]),
                placeholder=choose(),
            )
            feedback.field("metric", ctx.tr("forum.metric.pick"))
            left, right = st.columns(2)
            period = left.date_input(
                required(ctx.tr("forum.metric.period")),
                date.today().replace(day=1),
                format="DD/MM/YYYY",
            )
            value = right.number_input(required(ctx.tr("forum.metric.value")), value=0.0)
            left, right = st.columns(2)
            with left:
                feedback.field("period", ctx.tr("forum.metric.period"))
            with right:
                feedback.field("value", ctx.tr("forum.metric.value"))
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
    with st.expander(ctx.tr("forum.metric.edit"), icon=":material/tune:"):
        mid = st.selectbox(
            ctx.tr("forum.metric.pick"),
            list(by_id),
            format_func=lambda i: _metric_label(ctx, by_id[i]),
            key="metric_edit_pick",
            placeholder=choose(),
        )
        m = by_id[mid]
        with st.form(f"metric_edit_{mid}_{m['version']}"):
            feedback = FormFeedback()
            feedback.note()
            baseline = st.number_input(
                required(ctx.tr("forum.metric.baseline")), value=float(m["baseline"])
            )
            feedback.field("baseline", ctx.tr("forum.metric.baseline"))
            baseline_date = st.date_input(
                ctx.tr("forum.metric.baseline_date"), m["baseline_date"], format="DD/MM/YYYY"
            )
            feedback.field("baseline_date", ctx.tr("forum.metric.baseline_date"))
            target = st.number_input(required(ctx.tr("forum.col.target")), value=float(m["target"]))
            feedback.field("target", ctx.tr("forum.col.target"))
            target_date = st.date_input(
                required(ctx.tr("forum.metric.target_date")),
                m["target_date"],
                format="DD/MM/YYYY",
            )
            feedback.field("target_date", ctx.tr("forum.metric.target_date"))
            retire = st.checkbox(ctx.tr("forum.metric.retire"))
            if st.form_submit_button(ctx.tr("common.save"), type="primary"):
                with handled(feedback):
                    values = {
                        "baseline": baseline,
                        "baseline_date": baseline_date,
                        "target": target,
                        "target_date": target_date,
                        "retired": retire,
                    }
                    change = focus_service.UpdateMetric.of(mid, m["version"], values)
                    perform(ctx.db, ctx.actor, change)
                    _done("common.saved")
