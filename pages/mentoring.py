"""Mentoring funnels: pipelines as of any date, breakdowns, comparison, cohorts, waiting lists and
targets; entry, matches and sessions, programs, certification, import and the participant list
for the locality's managers; pipeline definitions for admins."""

from collections.abc import Callable
from datetime import date
from functools import partial

import streamlit as st

from components.common.localized import DATE_FORMAT
from components.common.tabs import shown_tab
from components.common.text import plain
from components.mentoring import certify, forms, funnel_tab, manage, matches, views
from components.shell.context import current
from components.shell.feedback import guarded
from employdash.access import Area
from employdash.config import get_config

ctx = current()
tr = ctx.tr
st.header(tr("page.mentoring"))
st.caption(tr("ment.caption", threshold=get_config().SUPPRESSION_THRESHOLD))

forms.show_flash()
with guarded():
    labels = views.Labels(ctx)
    choices = labels.pipelines
    top = st.columns([2, 1])
    pipeline = (
        top[0].segmented_control(
            tr("ment.pipeline"),
            list(choices),
            format_func=lambda p: plain(views.pipeline_label(ctx, choices[p])),
            # The key holds the language (the labels change with it); the choice outlives it.
            default=forms.PIPELINE.get() or "mentee",
            key=f"ment_pipeline_{ctx.lang}",
        )
        or "mentee"
    )
    forms.PIPELINE.put(pipeline)
    as_of = top[1].date_input(
        tr("ment.as_of"), value=date.today(), key="ment_as_of", format=DATE_FORMAT
    )
    editor = ctx.locality is not None and ctx.actor.can_write(Area.MENTORING, ctx.locality_code)
    designer = ctx.actor.can_write(Area.CATALOGUE)
    sections: dict[str, Callable[[], None]] = {
        "funnel": partial(funnel_tab.funnel_tab, ctx, labels, pipeline, as_of),
        "compare": partial(views.compare_tab, ctx, labels, pipeline, as_of),
        "cohorts": partial(views.cohorts_tab, ctx, pipeline, as_of),
        "waiting": partial(views.waiting_tab, ctx, labels, as_of),
    }
    if editor:
        sections |= {
            "entry": partial(forms.entry_tab, ctx, labels, pipeline, as_of),
            "matches": partial(matches.matches_tab, ctx, labels, as_of),
            "programs": partial(manage.programs_tab, ctx, labels, as_of),
            "certification": partial(certify.certification_tab, ctx, labels, as_of),
            "import": partial(forms.import_panel, ctx),
            "participants": partial(views.participants_tab, ctx, labels, pipeline, as_of),
        }
    if designer:
        sections["pipelines"] = partial(manage.pipelines_tab, ctx)
    # Only the open tab's content runs (the tabs rerun the page when switched): eleven tabs of
    # charts, tables and forms are many pages' worth of queries and elements.
    shown, tab = shown_tab(ctx, [f"ment.tab.{k}" for k in sections], "ment_tabs")
    with tab:
        sections[shown.removeprefix("ment.tab.")]()
