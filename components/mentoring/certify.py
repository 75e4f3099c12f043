"""Certification of employment promoters: results per trainee and professional standard, the
cohort's skill-gap summary for the training centre's management, and (admins) the standards
list. Trainees appear under their codes only; the summary is small-count suppressed."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import drawn_with, feedback_form, handled, required
from components.common.pickers import pick
from components.mentoring.forms import date_field, finish, fresh
from components.mentoring.views import Labels, show_table
from components.shell.context import PageContext
from employdash.access import Area
from employdash.errors import StaleVersion
from employdash.i18n import fmt_date, fmt_number
from employdash.mentoring import certification as certsvc
from employdash.mentoring import operations as svc

STANDARDS_SEEN = "ment_std_seen"
RESULTS_SEEN = "ment_cert_seen"


def _count(value: int | None, lang: str) -> str:
    return "—" if value is None else fmt_number(value, lang)


def certification_tab(ctx: PageContext, labels: Labels, today: date) -> None:
    tr, lang = ctx.tr, ctx.lang
    code = ctx.locality_code
    standards = certsvc.standards(ctx.db, ctx.actor)
    names = {s.id: s.name for s in standards}
    programs = [
        p.id
        for p in labels.programs.values()
        if p.locality_code == code and p.kind == "certification"
    ]
    if ctx.actor.can_write(Area.CATALOGUE):
        standards_form(ctx)
    if not programs:
        st.info(tr("ment.entry.no_programs"))
        return
    st.subheader(tr("ment.cert.gaps"))
    cohorts = [c for c, p in labels.cohort_programs.items() if p in programs]
    if cohorts:
        cohort = pick(
            tr("ment.col.cohort"), {c: labels.cohorts[c] for c in cohorts}, "ment_cert_cohort"
        )
        gaps = certsvc.cohort_gaps(ctx.db, ctx.actor, cohort)
        show_table(
            ctx,
            {
                tr("ment.cert.standard"): [g.standard for g in gaps],
                tr("ment.cert.assessed"): [_count(g.assessed, lang) for g in gaps],
                tr("ment.cert.passed"): [_count(g.passed, lang) for g in gaps],
                tr("ment.cert.failed"): [_count(g.failed, lang) for g in gaps],
                tr("ment.cert.notes"): [fmt_number(g.notes, lang) for g in gaps],
            },
        )
    else:
        st.caption(tr("ment.cert.no_cohorts"))
    st.subheader(tr("ment.cert.record"))
    frame = pd.concat(
        [
            svc.participants(ctx.db, ctx.actor, code, p.code, today)
            for p in svc.pipelines(ctx.db, ctx.actor)
            if p.role == "trainee"
        ]
    )
    trainees = {int(r.participant_id): str(r.code) for r in frame.itertuples()}
    if not trainees or not standards:
        st.caption(tr("ment.entry.none"))
        return
    who = pick(tr("ment.entry.participant"), trainees, "ment_cert_who")
    results = certsvc.assessments(ctx.db, ctx.actor, who)
    if results:
        show_table(
            ctx,
            {
                tr("ment.cert.standard"): [names.get(r.standard_id, "—") for r in results],
                tr("ment.cert.result"): [
                    tr("ment.cert.pass") if r.passed else tr("ment.cert.fail") for r in results
                ],
                tr("ment.cert.gap_note"): [r.gap_note or "" for r in results],
                tr("ment.entry.date"): [fmt_date(r.assessed_on, lang) for r in results],
            },
        )
    # The result versions this form was first drawn with, kept across the submit's rerun:
    # reading them again then would compare a save against a result the user never saw.
    seen_key = f"{RESULTS_SEEN}_{who}"
    versions = st.session_state.setdefault(seen_key, {r.standard_id: r.version for r in results})
    with feedback_form("ment_cert_form") as feedback:
        feedback.field("participant", tr("ment.entry.participant"))
        c1, c2, c3 = st.columns(3)
        with c1, feedback.labelled("standard", tr("ment.cert.standard"), mandatory=True) as label:
            standard = pick(label, names, "ment_cert_std")
        passed = c2.radio(
            required(tr("ment.cert.result")),
            (True, False),
            format_func=lambda p: tr("ment.cert.pass") if p else tr("ment.cert.fail"),
            horizontal=True,
            key=f"ment_cert_passed_{ctx.lang}",
        )
        with c3:
            on = date_field(feedback, tr("ment.entry.date"), today, "ment_cert_date")
        with feedback.labelled("gap_note", tr("ment.cert.gap_note")) as label:
            note = st.text_input(label, max_chars=500, key=fresh("ment_cert_note"))
        if st.form_submit_button(tr("ment.cert.submit")):
            with handled(feedback):
                try:
                    command = certsvc.RecordAssessment.of(
                        ctx.db,
                        who,
                        standard,
                        bool(passed),
                        on,
                        note,
                        version=versions.get(standard),
                    )
                    perform(ctx.db, ctx.actor, command)
                except StaleVersion:  # shown as a refusal; the next draw starts from now
                    st.session_state.pop(seen_key, None)
                    raise
                st.session_state.pop(seen_key, None)
                finish(tr("ment.cert.saved"), clear=("ment_cert_note",))


def standards_form(ctx: PageContext) -> None:
    """Admins add a standard, rename one or retire it (by its code)."""
    tr = ctx.tr
    with st.expander(tr("ment.cert.standards")):
        listed = certsvc.standards(ctx.db, ctx.actor, include_inactive=True)
        show_table(
            ctx,
            {
                tr("ment.pipelines.code"): [s.code for s in listed],
                tr("ment.cert.standard"): [s.name for s in listed],
                tr("ment.cert.active"): [
                    tr("common.yes") if s.active else tr("common.no") for s in listed
                ],
            },
        )
        seen = drawn_with(STANDARDS_SEEN, lambda: certsvc.standard_versions(ctx.db, ctx.actor))
        with feedback_form("ment_std_form") as feedback:
            c1, c2, c3 = st.columns([1, 2, 1])
            with c1, feedback.labelled("code", tr("ment.pipelines.code"), mandatory=True) as label:
                code = st.text_input(label, max_chars=30, key=fresh("ment_std_code"))
            with c2, feedback.labelled("name", tr("ment.cert.standard"), mandatory=True) as label:
                name = st.text_input(label, max_chars=200, key=fresh("ment_std_name"))
            active = c3.checkbox(tr("ment.cert.active"), value=True, key=fresh("ment_std_active"))
            if st.form_submit_button(tr("ment.cert.std_submit")):
                with handled(feedback):
                    try:
                        command = certsvc.SaveStandard.of(
                            ctx.db, code, name, active, version=seen.get(code.strip())
                        )
                        perform(ctx.db, ctx.actor, command)
                    except StaleVersion:  # shown as a refusal; the next draw starts from now
                        st.session_state.pop(STANDARDS_SEEN, None)
                        raise
                    st.session_state.pop(STANDARDS_SEEN, None)
                    finish(
                        tr("ment.cert.std_saved"),
                        clear=("ment_std_code", "ment_std_name", "ment_std_active"),
                    )
