"""A logged session put right by its coordinator: its date, duration or note corrected, or the
session removed with a reason (both from the version shown, refused if saved meanwhile)."""

from __future__ import annotations

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import feedback_form, handled
from components.common.pickers import pick
from components.mentoring.forms import date_field, finish
from components.shell.context import PageContext
from employdash.i18n import fmt_date
from employdash.mentoring import matches as matchsvc


def correct_form(ctx: PageContext, logged: list[matchsvc.SessionRow]) -> None:
    if not logged:
        return
    tr, by_id = ctx.tr, {s.id: s for s in logged}
    with st.expander(tr("chain.sessions.correct"), icon=":material/edit:"):
        labels = {s.id: f"{fmt_date(s.held_on, ctx.lang)} · {s.minutes} · #{s.id}" for s in logged}
        picked = pick(tr("chain.sessions.pick"), labels, "ment_ses_fix_pick")
        row = by_id[picked]
        with feedback_form(f"ment_ses_fix_{row.id}_{row.version}") as feedback:
            held = date_field(feedback, tr("ment.sessions.date"), row.held_on)
            with feedback.labelled("minutes", tr("ment.sessions.minutes"), mandatory=True) as label:
                minutes = st.number_input(label, min_value=1, max_value=600, value=row.minutes)
            with feedback.labelled("note", tr("ment.sessions.note")) as label:
                note = st.text_input(label, row.note or "", max_chars=500)
            remove = st.checkbox(tr("chain.sessions.remove"))
            with feedback.labelled("reason", tr("chain.sessions.reason")) as label:
                reason = st.text_input(label, max_chars=500)
            if st.form_submit_button(tr("common.save"), type="primary"):
                with handled(feedback):
                    if remove:
                        gone = matchsvc.RemoveSession.of(row.id, row.version, reason)
                        perform(ctx.db, ctx.actor, gone)
                    else:
                        fixed = matchsvc.CorrectSession.of(
                            row.id, row.version, held, int(minutes), note
                        )
                        perform(ctx.db, ctx.actor, fixed)
                    finish(tr("chain.sessions.saved"))
