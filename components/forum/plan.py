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
from components.forum.forms import form_key, pick, renew
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
    names = {f["id"]: f["title"] for f in view.focuses}
    with (
        st.expander(ctx.tr("forum.metric.manual"), icon=":material/edit_note:"),
        st.form(form_key("metric_manual")),
    ):
        feedback = FormFeedback()
        feedback.note()
        with feedback.labelled("focus", ctx.tr("forum.col.focus"), mandatory=True) as label:
            focus_id = pick(label, names)
        with feedback.labelled("name", ctx.tr("forum.metric.name"), mandatory=True) as label:
            name = st.text_input(label, max_chars=200)
        left, right = st.columns(2)
        unit = left.text_input(ctx.tr("forum.metric.unit"), max_chars=20)
        with feedback.labelled(
            "direction", ctx.tr("forum.metric.direction"), mandatory=True
        ) as label:
            direction = right.selectbox(
                label,
                focus_service.DIRECTIONS,
                format_func=lambda d: ctx.tr(f"forum.metric.direction.{d}"),
                placeholder=choose(focus_service.DIRECTIONS),
            )
        with feedback.labelled(
            "baseline", ctx.tr("forum.metric.baseline"), mandatory=True
        ) as label:
            baseline = st.number_input(label, value=0.0)
        with feedback.labelled(
            "baseline_date", ctx.tr("forum.metric.baseline_date"), mandatory=True
        ) as label:
            baseline_date = st.date_input(label, date.today(), format="DD/MM/YYYY")
        with feedback.labelled("target", ctx.tr("forum.col.target"), mandatory=True) as label:
            target = st.number_input(label, value=0.0)
        with feedback.labelled(
            "target_date", ctx.tr("forum.metric.target_date"), mandatory=True
        ) as label:
            target_date = st.date_input(
                label,
                date(date.today().year + 1, 12, 31),
                format="DD/MM/YYYY",
            )
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
            with feedback.labelled("metric", ctx.tr("forum.metric.pick"), mandatory=True) as label:
                mid = st.selectbox(
                    label,
                    list(manual),
                    format_func=lambda i: _metric_label(ctx, manual[i]),
                    placeholder=choose(),
                )
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
            with feedback.labelled(
                "baseline", ctx.tr("forum.metric.baseline"), mandatory=True
            ) as label:
                baseline = st.number_input(label, value=float(m["baseline"]))
            with feedback.labelled("baseline_date", ctx.tr("forum.metric.baseline_date")) as label:
                baseline_date = st.date_input(label, m["baseline_date"], format="DD/MM/YYYY")
            with feedback.labelled("target", ctx.tr("forum.col.target"), mandatory=True) as label:
                target = st.number_input(label, value=float(m["target"]))
            with feedback.labelled(
                "target_date", ctx.tr("forum.metric.target_date"), mandatory=True
            ) as label:
                target_date = st.date_input(
                    label,
                    m["target_date"],
                    format="DD/MM/YYYY",
                )
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
