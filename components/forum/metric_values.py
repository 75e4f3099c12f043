"""A manual metric's values listed, each correctable: a new value over the one read, or removed
when it was entered for the wrong month (both refused if someone saved it meanwhile)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import expander_form, handled
from components.common.pickers import pick
from components.common.tables import data_table
from components.forum.record import done
from components.shell.context import PageContext
from employdash.forum import focuses as focus_service
from employdash.forum.targets import MetricProgress
from employdash.i18n import fmt_date, fmt_number


def values_list(
    ctx: PageContext, manual: dict[int, MetricProgress], label: Callable[[MetricProgress], str]
) -> None:
    """The values of one manual metric (picked), newest first, and the form that corrects one."""
    with st.expander(ctx.tr("chain.values.title"), icon=":material/history:"):
        mid = pick(
            ctx.tr("forum.metric.pick"),
            {i: label(m) for i, m in manual.items()},
            key="metric_values_pick",
        )
        rows = focus_service.metric_values(ctx.db, ctx.actor, ctx.locality_code, mid)
        if not rows:
            st.caption(ctx.tr("chain.values.none"))
            return
        data_table(
            pd.DataFrame(
                {
                    ctx.tr("forum.metric.period"): [fmt_date(r.period, ctx.lang) for r in rows],
                    ctx.tr("forum.metric.value"): [fmt_number(r.value, ctx.lang) for r in rows],
                    ctx.tr("chain.values.entered_by"): [r.entered_by or "" for r in rows],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        by_period = {r.period: r for r in rows}
        with expander_form(
            ctx.tr("chain.values.correct"), ":material/edit:", f"metric_value_fix_{mid}"
        ) as feedback:
            period = pick(
                ctx.tr("forum.metric.period"),
                {p: fmt_date(p, ctx.lang) for p in by_period},
                key=f"metric_value_fix_period_{mid}",
            )
            row = by_period[period]
            with feedback.labelled("value", ctx.tr("forum.metric.value"), mandatory=True) as name:
                value = st.number_input(name, value=float(row.value))
            remove = st.checkbox(ctx.tr("chain.values.remove"))
            if st.form_submit_button(ctx.tr("common.save"), type="primary"):
                with handled(feedback):
                    if remove:
                        perform(
                            ctx.db,
                            ctx.actor,
                            focus_service.RemoveValue.of(row.id, row.version),
                        )
                    else:
                        fixed = focus_service.EnterValue.of(mid, period, value, row.version)
                        perform(ctx.db, ctx.actor, fixed)
                    done("common.saved")
