"""Matches and sessions for the locality's managers: the running matches with their sessions and
the time since the last one (quiet ones flagged), the session log, and ending a match with a date
and reason so the mentor is free again. The services check role, scope and handed IDs again."""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import feedback_form, handled, required
from components.common.pickers import named, pick
from components.mentoring import session_edits
from components.mentoring.forms import date_field, finish, fresh
from components.mentoring.views import Labels, show_table
from components.shell.context import PageContext
from employdash.i18n import fmt_date, plural
from employdash.mentoring import matches as matchsvc
from employdash.mentoring import operations as svc


def _label(labels: Labels, m: matchsvc.MatchRow) -> str:
    return f"{m.mentor_code} ↔ {m.mentee_code} · {labels.program(m.program_id)}"


@st.fragment
def sessions_of(ctx: PageContext, options: dict[int, str]) -> None:
    """The sessions logged for the chosen match, with their correction form. A fragment: picking
    another match reruns this part alone; a correction reruns the page."""
    tr, lang = ctx.tr, ctx.lang
    shown = pick(tr("ment.sessions.of"), options, "ment_ses_show")
    logged = matchsvc.sessions(ctx.db, ctx.actor, shown)
    if logged:
        show_table(
            ctx,
            {
                tr("ment.sessions.date"): [fmt_date(s.held_on, lang) for s in logged],
                tr("ment.sessions.minutes"): [s.minutes for s in logged],
                tr("ment.sessions.note"): [s.note or "" for s in logged],
            },
        )
        session_edits.correct_form(ctx, logged)
    else:
        st.caption(tr("ment.sessions.none"))


def matches_tab(ctx: PageContext, labels: Labels, today: date) -> None:
    tr, lang = ctx.tr, ctx.lang
    code = ctx.locality_code
    st.subheader(tr("ment.matches.title"))
    weeks = st.number_input(
        tr("ment.matches.weeks"),
        min_value=1,
        max_value=52,
        value=matchsvc.QUIET_WEEKS,
        key="ment_quiet_weeks",
    )
    rows = matchsvc.matches(ctx.db, ctx.actor, code, today, int(weeks))
    running = [m for m in rows if m.status == "active"]
    quiet = [m for m in running if m.quiet]
    if quiet:
        st.warning(plural(len(quiet), "ment.matches.quiet_count", lang, weeks=int(weeks)))
    if not rows:
        st.info(tr("ment.matches.none"))
        return
    show_table(
        ctx,
        {
            tr("ment.entry.mentor"): [m.mentor_code for m in rows],
            tr("ment.entry.mentee"): [m.mentee_code for m in rows],
            tr("ment.col.program"): [labels.program(m.program_id) for m in rows],
            tr("ment.matches.started"): [fmt_date(m.started_on, lang) for m in rows],
            tr("ment.matches.status"): [
                tr(f"ment.match.{m.status}")
                + ("" if m.end_reason is None else f" ({tr(f'ment.match_end.{m.end_reason}')})")
                for m in rows
            ],
            tr("ment.matches.sessions"): [m.sessions for m in rows],
            tr("ment.matches.last"): [
                "—" if m.last_session is None else fmt_date(m.last_session, lang) for m in rows
            ],
            tr("ment.matches.days_since"): [
                "—" if m.days_since is None else str(m.days_since) for m in rows
            ],
            tr("ment.matches.flag"): [tr("ment.matches.quiet") if m.quiet else "" for m in rows],
        },
    )
    if not running:
        return
    options = {m.id: _label(labels, m) for m in running}
    versions = {m.id: m.version for m in running}
    st.subheader(tr("ment.sessions.title"))
    with feedback_form("ment_session") as feedback:
        match = pick(required(tr("ment.sessions.match")), options, "ment_ses_match")
        c1, c2 = st.columns(2)
        with c1:
            held = date_field(feedback, tr("ment.sessions.date"), today, fresh("ment_ses_date"))
        with c2, feedback.labelled("minutes", tr("ment.sessions.minutes"), mandatory=True) as label:
            minutes = st.number_input(
                label,
                min_value=1,
                max_value=600,
                value=60,
                key=fresh("ment_ses_min"),
            )
        with feedback.labelled("note", tr("ment.sessions.note")) as label:
            note = st.text_input(label, max_chars=500, key=fresh("ment_ses_note"))
        if st.form_submit_button(tr("ment.sessions.submit")):
            with handled(feedback):
                command = matchsvc.LogSession.of(match, held, int(minutes), note)
                perform(ctx.db, ctx.actor, command)
                finish(
                    tr("ment.sessions.saved"),
                    clear=("ment_ses_date", "ment_ses_min", "ment_ses_note"),
                )
    sessions_of(ctx, options)
    st.subheader(tr("ment.matches.end"))
    with feedback_form("ment_end_match") as feedback:
        with feedback.labelled("match", tr("ment.sessions.match"), mandatory=True) as label:
            match = pick(label, options, "ment_end_pick")
        c1, c2, c3 = st.columns(3)
        with c1:
            ended = date_field(feedback, tr("ment.entry.date"), today, "ment_end_date")
        with c2, feedback.labelled("status", tr("ment.matches.status"), mandatory=True) as label:
            status = pick(
                label,
                named(("completed", "ended_early"), "ment.match"),
                f"ment_end_status_{ctx.lang}",
            )
        with c3, feedback.labelled("reason", tr("ment.entry.reason"), mandatory=True) as label:
            reason = pick(
                label, named(svc.MATCH_END_REASONS, "ment.match_end"), f"ment_end_reason_{ctx.lang}"
            )
        if st.form_submit_button(tr("ment.matches.end_submit")):
            with handled(feedback):
                ending = svc.EndMatch.of(match, ended, status, reason, version=versions[match])
                perform(ctx.db, ctx.actor, ending)
                finish(tr("ment.matches.ended"))
