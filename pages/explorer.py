"""Indicator explorer: localities in scope, one indicator, a range of months."""

from datetime import date

import streamlit as st

from components.common.form_feedback import FormFeedback
from components.common.localized import choose, choose_many
from components.indicators import data, span
from components.indicators import explorer as views
from components.shell.context import current
from employdash.errors import ValidationError
from employdash.i18n import fmt_month
from employdash.indicators.values import add_months

ctx = current()
if not ctx.localities or ctx.locality is None:
    st.info(ctx.tr("brief.no_locality"))
    st.stop()

st.title(ctx.tr("page.explorer"))
home = ctx.locality.code
catalogue = {i.code: i for i in data.catalogue(ctx.db, ctx.actor)}
headline = [code for code, info in catalogue.items() if info.headline]
latest = data.latest_period(ctx.db, ctx.actor, home)
imported = span.take_over(ctx, headline)  # an import just made: open on what it wrote
if imported is not None:
    latest = max(latest, imported.last) if latest else imported.last
if latest is None:
    st.info(ctx.tr("ind.explorer.no_data"))
    st.stop()


@st.fragment
def explore(latest: date, imported: span.Imported | None) -> None:
    """The pickers and the view they choose: a fragment, so a change of locality, measure,
    months or view reruns this alone and not the app's shell. The range an import handed over
    applies to the run that took it, not to the fragment's own reruns."""
    if not span.first_run(imported):
        imported = None
    names = {loc.code: loc.name(ctx.lang) for loc in ctx.localities}
    # The pickers follow the form rules (IS 5568): visible labels, the required one marked, an error
    # under its field and summarised above the pickers.
    feedback = FormFeedback(summary_key="a11y.errors.show")
    feedback.note()
    pick_places, pick_indicator = st.columns([3, 2])
    with (
        pick_places,
        feedback.labelled("localities", ctx.tr("ind.explorer.localities"), mandatory=True) as label,
    ):
        codes = st.multiselect(
            label,
            list(names),
            default=[home],
            format_func=names.__getitem__,
            key=f"explorer_localities_{ctx.lang}",  # per language: option labels are kept per key
            max_selections=8,
            placeholder=choose_many(),
        )
    indicator = pick_indicator.selectbox(
        ctx.tr("ind.explorer.indicator"),
        headline,
        format_func=lambda c: catalogue[c].name(ctx.lang),
        key=f"explorer_indicator_{ctx.lang}",
        placeholder=choose(headline),
    )
    months = span.months(ctx, codes, indicator, latest, imported)
    # Two pickers rather than a range slider: the slider does not mirror under right to left.
    pick_start, pick_end = st.columns(2)
    start = pick_start.selectbox(
        ctx.tr("ind.explorer.from"),
        months,
        index=max(0, len(months) - span.OPENS_ON),
        format_func=lambda m: fmt_month(m, ctx.lang),
        key=f"explorer_from_{ctx.lang}",
        placeholder=choose(months),
    )
    end = pick_end.selectbox(
        ctx.tr("ind.explorer.to"),
        [m for m in months if m >= start],
        index=len([m for m in months if m >= start]) - 1,
        format_func=lambda m: fmt_month(m, ctx.lang),
        key=f"explorer_to_{ctx.lang}",
        placeholder=choose(),
    )
    if not codes:
        feedback.show(ValidationError({"localities": "ind.explorer.pick_locality"}))
        st.stop()

    selection = views.Selection(tuple(codes), catalogue[indicator], start, end)
    frame = data.series(ctx.db, ctx.actor, selection.codes, indicator, add_months(start, -12), end)
    shown = frame[frame["period"] >= str(start)]
    if shown.empty:
        st.info(ctx.tr("ind.explorer.no_data"))
        st.stop()

    # One view at a time (not tabs): tabs would compute and draw all seven on every rerun.
    VIEWS = {
        "trend": lambda: views.trend(ctx, selection, shown),
        "change": lambda: views.changes(ctx, selection, frame),
        "rank": lambda: views.ranking(ctx, selection),
        "map": lambda: views.locality_map(ctx, selection),
        "targets": lambda: views.targets(ctx, selection, catalogue),
        "breakdown": lambda: views.breakdowns(ctx, selection),
        "data": lambda: views.table(ctx, selection, shown),
    }
    view = st.segmented_control(
        ctx.tr("ind.explorer.view"),
        list(VIEWS),
        default="trend",
        format_func=lambda k: ctx.tr(f"ind.explorer.tab.{k}"),
        key=f"explorer_view_{ctx.lang}",
    )
    VIEWS[view or "trend"]()


explore(latest, imported)
