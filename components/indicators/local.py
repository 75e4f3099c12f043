"""The admin's forms for local indicators: add one to the catalogue, and enter a value of any
indicator for a locality and month (the entry is checked against the value shown)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import feedback_form, handled, required
from components.common.localized import DATE_FORMAT, choose
from components.common.pickers import pick_term
from components.common.state import Kept
from components.shell.context import PageContext
from components.shell.feedback import guarded
from employdash.indicators import local
from employdash.indicators import values as indicators
from employdash.indicators.vocabulary import UNITS

# The message of the last save, shown once at the page's top after the rerun.
FLASH: Kept[str] = Kept("ind_local_flash")
NO_PARENT = ""
# Bumped by each save of the form: the saved form's text fields start empty.
ROUND, VALUE_ROUND = "_ind_local_round", "_ind_value_round"


def add_form(ctx: PageContext) -> None:
    tr = ctx.tr
    headlines = {
        c: (he if ctx.lang == "he" else en)
        for c, he, en in local.headline_choices(ctx.db, ctx.actor)
    }
    st.subheader(tr("ind.local.add_title"))
    st.caption(tr("ind.local.add_help"))
    # A saved form's text fields get new keys (a new round), so the browser draws them empty;
    # a refused one keeps its keys and what was typed.
    rounds = st.session_state.get(ROUND, 0)
    suffix = "" if not rounds else f"_{rounds}"
    with feedback_form("ind_local_add", clear_on_submit=False) as feedback:
        c1, c2 = st.columns(2)
        with c1, feedback.labelled("code", tr("ind.local.code"), mandatory=True) as label:
            code = st.text_input(label, max_chars=40, key=f"ind_local_code{suffix}")
        with c2, feedback.labelled("unit", tr("ind.local.unit"), mandatory=True) as label:
            unit = pick_term(ctx, label, UNITS, "ind.unit", key="ind_local_unit")
        with c1, feedback.labelled("name_he", tr("ind.local.name_he"), mandatory=True) as label:
            name_he = st.text_input(label, max_chars=160, key=f"ind_local_name_he{suffix}")
        with c2, feedback.labelled("name_en", tr("ind.local.name_en"), mandatory=True) as label:
            name_en = st.text_input(label, max_chars=160, key=f"ind_local_name_en{suffix}")
        better = c1.radio(
            required(tr("ind.local.direction")),
            (True, False),
            format_func=lambda b: tr("ind.local.higher_better" if b else "ind.local.lower_better"),
            horizontal=True,
            key=f"ind_local_better_{ctx.lang}",
        )
        with c2, feedback.labelled("parent_code", tr("ind.local.parent")) as label:
            parent = st.selectbox(
                label,
                [NO_PARENT, *headlines],
                format_func=lambda c: tr("ind.local.no_parent") if c == NO_PARENT else headlines[c],
                key=f"ind_local_parent_{ctx.lang}",
                placeholder=choose(),
            )
        if st.form_submit_button(tr("ind.local.add"), type="primary"):
            data = local.LocalIndicatorInput(
                code=code,
                name_he=name_he,
                name_en=name_en,
                unit=unit,
                higher_is_better=bool(better),
                parent_code=parent or None,
            )
            with handled(feedback):
                added = perform(ctx.db, ctx.actor, local.AddLocalIndicator.of(data))
                FLASH.put(tr("ind.local.added", code=added))
                st.session_state[ROUND] = rounds + 1
                st.session_state[f"ind_value_indicator_{ctx.lang}"] = added  # enter its values next
                st.rerun()


def value_form(ctx: PageContext) -> None:
    tr = ctx.tr
    catalogue = {i.code: i for i in indicators.catalogue(ctx.db, ctx.actor)}
    places = {loc.code: loc.name(ctx.lang) for loc in ctx.localities}
    st.subheader(tr("ind.local.value_title"))
    if not catalogue or not places:  # an empty select box would answer None
        return
    c1, c2, c3 = st.columns(3)
    indicator = c1.selectbox(
        tr("ind.col.indicator"),
        list(catalogue),
        index=len(catalogue) - 1,
        format_func=lambda c: catalogue[c].name(ctx.lang),
        key=f"ind_value_indicator_{ctx.lang}",
        placeholder=choose(),
    )
    place = c2.selectbox(
        tr("ind.col.locality"),
        list(places),
        index=list(places).index(ctx.locality_code) if ctx.locality_code in places else 0,
        format_func=lambda c: places[c],
        key=f"ind_value_locality_{ctx.lang}",
        placeholder=choose(),
    )
    month = c3.date_input(
        tr("ind.col.period"),
        value=date.today(),
        max_value=date.today(),
        key="ind_value_month",
        format=DATE_FORMAT,
    )
    period = date(month.year, month.month, 1)
    with guarded():
        seen = local.stored_value(ctx.db, ctx.actor, int(place), indicator, period)
        if seen is None:
            shown = tr("ind.local.no_value")
        else:
            number = "—" if seen.value is None else f"{seen.value:g}"
            shown = f"{number} · {tr(f'ind.status.{seen.status}')}"
        st.text(tr("ind.local.current", value=shown))
        with feedback_form(f"ind_value_{place}_{indicator}_{period:%Y%m}") as feedback:
            # The indicator, locality and month are chosen above the form: their errors here.
            for name, label in (
                ("indicator_code", "ind.col.indicator"),
                ("locality_code", "ind.col.locality"),
                ("period", "ind.col.period"),
            ):
                feedback.field(name, tr(label))
            rounds = st.session_state.get(VALUE_ROUND, 0)
            with feedback.labelled("value", tr("ind.col.value"), mandatory=True) as label:
                raw = st.text_input(
                    label,
                    key="ind_value_raw" if not rounds else f"ind_value_raw_{rounds}",
                )
            preliminary = st.checkbox(tr("ind.local.preliminary"), key="ind_value_preliminary")
            if st.form_submit_button(tr("ind.local.enter"), type="primary"):
                with handled(feedback):
                    status = "preliminary" if preliminary else "ok"
                    entry = local.EnterValue.of(int(place), indicator, period, raw, seen, status)
                    perform(ctx.db, ctx.actor, entry)
                    FLASH.put(tr("ind.local.entered"))
                    st.session_state[VALUE_ROUND] = rounds + 1
                    st.rerun()
