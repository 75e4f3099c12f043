"""The survey summary tab: open positions by profession, hiring outlook, training needs and
satisfaction, for the chosen locality or across every locality in the user's scope."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common.charts import show as show_chart
from components.common.downloads import download_buttons
from components.common.tables import data_table
from components.common.text import plain
from components.shell.context import PageContext
from components.stakeholders import data as stakeholder_data
from components.stakeholders.survey_charts import (
    hiring_chart,
    professions_chart,
    satisfaction_chart,
    training_chart,
)
from employdash.config import get_config
from employdash.i18n import fmt_number
from employdash.stakeholders.surveys import SurveySummary


def _metrics(ctx: PageContext, summary: SurveySummary) -> None:
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(ctx.tr("survey.metric.respondents"), fmt_number(summary.respondents, ctx.lang))
    c2.metric(ctx.tr("survey.metric.open_positions"), fmt_number(summary.open_positions, ctx.lang))
    c3.metric(
        ctx.tr("survey.metric.satisfaction"),
        fmt_number(summary.satisfaction_mean, ctx.lang, decimals=1),
    )
    c4.metric(ctx.tr("survey.metric.community"), fmt_number(summary.community_interest, ctx.lang))


def _per_locality(ctx: PageContext, summary: SurveySummary) -> None:
    names = {loc.code: loc.name(ctx.lang) for loc in ctx.localities}
    frame = summary.per_locality
    table = pd.DataFrame(
        {
            ctx.tr("survey.col.locality"): [names.get(c, str(c)) for c in frame.locality_code],
            ctx.tr("survey.col.respondents"): [
                fmt_number(None if pd.isna(v) else v, ctx.lang) for v in frame.respondents
            ],
            ctx.tr("survey.col.positions"): frame.open_positions,
            ctx.tr("survey.metric.satisfaction"): [
                fmt_number(None if pd.isna(v) else v, ctx.lang, 1) for v in frame.satisfaction_mean
            ],
        }
    )
    st.markdown(f"**{ctx.tr('survey.per_locality')}**")
    data_table(table, hide_index=True, width="stretch")


def section(ctx: PageContext) -> None:
    here = ctx.locality_code  # refuses, with a message, a page with no locality chosen
    here_name = ctx.locality.name(ctx.lang) if ctx.locality else str(here)
    scope = st.segmented_control(
        ctx.tr("survey.scope.label"),
        ["locality", "region"],
        default="locality",
        key=f"survey_scope_{ctx.lang}",
        format_func=lambda s: ctx.tr(f"survey.scope.{s}", locality=plain(here_name)),
    )
    codes = (here,) if scope != "region" else tuple(sorted(loc.code for loc in ctx.localities))
    summary = stakeholder_data.survey_summary(ctx.db, ctx.actor, codes)
    if not summary.respondents and not summary.open_positions:
        st.info(ctx.tr("survey.none"))
        return
    _metrics(ctx, summary)
    st.caption(ctx.tr("survey.suppressed_note", threshold=get_config().SUPPRESSION_THRESHOLD))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{ctx.tr('survey.chart.professions')}**")
        show_chart(professions_chart(summary.by_profession, ctx.tr), ctx.lang)
        st.markdown(f"**{ctx.tr('survey.chart.training')}**")
        show_chart(training_chart(summary.training, ctx.tr), ctx.lang)
    with right:
        st.markdown(f"**{ctx.tr('survey.chart.hiring')}**")
        show_chart(hiring_chart(summary.hiring, ctx.tr), ctx.lang)
        st.markdown(f"**{ctx.tr('survey.chart.satisfaction')}**")
        show_chart(satisfaction_chart(summary.satisfaction, ctx.tr), ctx.lang)
    table = pd.DataFrame(
        {
            ctx.tr("survey.col.profession"): summary.by_profession.profession,
            ctx.tr("survey.col.positions"): summary.by_profession.positions,
            ctx.tr("survey.col.employers"): [
                fmt_number(None if pd.isna(v) else v, ctx.lang)
                for v in summary.by_profession.employers
            ],
        }
    )
    with st.expander(ctx.tr("survey.table.professions")):
        data_table(table, hide_index=True, width="stretch")
        download_buttons(table, "survey-professions", "survey_professions")
    if scope == "region":
        _per_locality(ctx, summary)
