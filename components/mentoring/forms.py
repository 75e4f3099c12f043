"""Mentoring entry: move one or many participants, add a participant, record a match or an
outcome, and import a file with its preview. Shown to managers of the locality and admins; the
services check again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import FormFeedback, feedback_form, handled, required
from components.common.localized import DATE_FORMAT
from components.common.pickers import named, pick, pick_many
from components.common.state import Kept
from components.common.text import plain
from components.mentoring.views import (
    Labels,
    pipeline_choices,
    program_kind,
    reason_label,
    show_table,
    stage_names,
)
from components.shell.context import PageContext
from components.shell.feedback import guarded
from employdash.mentoring import operations as svc
from employdash.mentoring.imports import ImportParticipants, plan_batch, read_batch
from employdash.mentoring.vocabulary import AGE_BANDS, EVENT_KINDS, OUTCOME_KINDS, POPULATIONS

# The message of the last write, shown once by `show_flash` after the rerun.
FLASH: Kept[str] = Kept("ment_flash")
# The pipeline the page shows; it outlives the language-keyed picker.
PIPELINE: Kept[str] = Kept("ment_pipeline")


ROUNDS = "_ment_form_rounds"


def fresh(key: str) -> str:
    """The widget key of `key` in its current round. A saved form's typed-in widgets get new
    keys, so the browser draws them empty again (deleting their state would leave the browser
    showing, and sending, the old text); a refused form keeps its keys and what was typed."""
    n = st.session_state.get(ROUNDS, {}).get(key, 0)
    return key if n == 0 else f"{key}__{n}"


def finish(message: str, clear: Iterable[str] = ()) -> None:
    """After a write: rerun so every view shows the new figures, with the message on top.
    `clear` names the (base) keys of the saved form's widgets to start empty again."""
    rounds = dict(st.session_state.get(ROUNDS, {}))
    for key in clear:
        rounds[key] = rounds.get(key, 0) + 1
    st.session_state[ROUNDS] = rounds
    FLASH.put(message)
    st.rerun()


def date_field(feedback: FormFeedback, label: str, today: date, key: str | None = None) -> date:
    """A required date (field "date"), today unless changed, with its error slot under it."""
    with feedback.labelled("date", label, mandatory=True) as marked:
        return st.date_input(plain(marked), value=today, key=key, format=DATE_FORMAT)


def show_flash() -> None:
    """The message of the last write, in a slot that is always there: the tabs below keep their
    place in the page, so the tab the user was on stays open after the write's rerun."""
    slot = st.container()
    message = FLASH.take()
    if message:
        slot.success(plain(message))


def _role(ctx: PageContext, pipeline: str) -> str:
    return pipeline_choices(ctx)[pipeline].role


def _local_programs(
    ctx: PageContext, labels: Labels, pipeline: str, open_only: bool = False
) -> list[int]:
    kind = program_kind(_role(ctx, pipeline))
    return [
        p.id
        for p in labels.programs.values()
        if p.locality_code == ctx.locality_code
        and p.kind == kind
        and not (open_only and p.closed_on is not None)
    ]


def entry_tab(ctx: PageContext, labels: Labels, pipeline: str, today: date) -> None:
    """Move participants, add one, record a match (mentees) and an outcome."""
    advance_form(ctx, labels, pipeline, today)
    add_form(ctx, labels, pipeline, today)
    if _role(ctx, pipeline) == "mentee":
        match_form(ctx, labels, today)
    outcome_form(ctx, labels, pipeline, today)


def advance_form(ctx: PageContext, labels: Labels, pipeline: str, today: date) -> None:
    tr = ctx.tr
    st.subheader(tr("ment.entry.advance"))
    programs = _local_programs(ctx, labels, pipeline)
    if not programs:
        st.info(tr("ment.entry.no_programs"))
        return
    program = pick(tr("ment.entry.program"), labels.programs_named(programs), "ment_adv_program")
    frame = svc.participants(ctx.db, ctx.actor, ctx.locality_code, pipeline, today, program)
    names = stage_names(ctx, pipeline)
    # The versions the user saw: a second click on "save" is refused, not a second move.
    seen_key = f"ment_adv_seen_{program}_{pipeline}"
    seen: dict[int, int] = st.session_state.get(seen_key, {})
    st.session_state[seen_key] = {int(r.participant_id): int(r.version) for r in frame.itertuples()}
    reasons = pipeline_choices(ctx)[pipeline].drop_reasons
    options = {
        int(r.participant_id): f"{r.code} · "
        + (tr("ment.kind.drop") if r.kind == "drop" else names.get(r.stage, r.stage))
        for r in frame.itertuples()
    }
    with feedback_form("ment_advance") as feedback:
        ids_key = f"ment_adv_ids_{ctx.lang}"
        with feedback.labelled(
            "participants", tr("ment.entry.participants"), mandatory=True
        ) as label:
            chosen = pick_many(label, options, fresh(ids_key))
        feedback.field("stage", tr("ment.col.stage"))
        c1, c2, c3 = st.columns(3)
        with c1, feedback.labelled("kind", tr("ment.entry.kind"), mandatory=True) as label:
            kind = pick(label, named(EVENT_KINDS, "ment.kind"), f"ment_adv_kind_{ctx.lang}")
        with c2, feedback.labelled("reason", tr("ment.entry.reason")) as label:
            reason = pick(
                label, {r: reason_label(ctx, r) for r in reasons}, f"ment_adv_reason_{ctx.lang}"
            )
        with c3:
            on = date_field(feedback, tr("ment.entry.date"), today, "ment_adv_date")
        if st.form_submit_button(tr("ment.entry.submit"), type="primary"):
            with handled(feedback):
                moved = perform(
                    ctx.db,
                    ctx.actor,
                    svc.Advance.of(
                        chosen,
                        on,
                        kind,
                        reason if kind == "drop" else None,
                        versions={pid: seen[pid] for pid in chosen if pid in seen},
                    ),
                )
                finish(tr("ment.entry.moved", n=len(moved)), clear=(ids_key,))


def add_form(ctx: PageContext, labels: Labels, pipeline: str, today: date) -> None:
    tr = ctx.tr
    programs = _local_programs(ctx, labels, pipeline, open_only=True)
    if not programs:
        return
    role = _role(ctx, pipeline)
    with st.expander(tr("ment.entry.add")):
        program = pick(
            tr("ment.entry.program"), labels.programs_named(programs), "ment_add_program"
        )
        cohorts = [c for c, p in labels.cohort_programs.items() if p == program]
        with feedback_form("ment_add") as feedback:
            feedback.field("program", tr("ment.entry.program"))
            c1, c2, c3, c4 = st.columns(4)
            with (
                c1,
                feedback.labelled("population", tr("ment.col.population"), mandatory=True) as label,
            ):
                population = pick(label, named(POPULATIONS, "ment.pop"), f"ment_add_pop_{ctx.lang}")
            with c2, feedback.labelled("age_band", tr("ment.col.age")) as label:
                age = pick(label, named(AGE_BANDS, "ment.age"), f"ment_add_age_{ctx.lang}")
            with c3, feedback.labelled("cohort", tr("ment.col.cohort")) as label:
                cohort = pick(
                    label,
                    {None: "—", **{c: labels.cohorts[c] for c in cohorts}},
                    "ment_add_cohort",
                )
            with c4:
                on = date_field(feedback, tr("ment.entry.date"), today, "ment_add_date")
            submitted = st.form_submit_button(tr("ment.entry.submit"))
            if submitted:
                with handled(feedback):
                    pid = perform(
                        ctx.db,
                        ctx.actor,
                        svc.AddParticipant.of(
                            program_id=program,
                            role=role,
                            population=population,
                            age_band=age,
                            entered_on=on,
                            cohort_id=cohort,
                            pipeline=pipeline,
                        ),
                    )
                    code = (
                        svc.participants(
                            ctx.db, ctx.actor, ctx.locality_code, pipeline, on, program
                        )
                        .set_index("participant_id")
                        .at[pid, "code"]
                    )
                    finish(tr("ment.entry.added", code=code))


def match_form(ctx: PageContext, labels: Labels, today: date) -> None:
    tr = ctx.tr
    st.subheader(tr("ment.entry.match"))
    waiting, idle = svc.waiting_lists(ctx.db, ctx.actor, ctx.locality_code, today)
    if waiting.empty or idle.empty:
        st.caption(tr("ment.entry.none"))
        return
    mentees, mentors = labels.participants(waiting), labels.participants(idle)
    with feedback_form("ment_match") as feedback:
        feedback.field("match", tr("ment.entry.match"))
        c1, c2, c3 = st.columns(3)
        with c1, feedback.labelled("mentee", tr("ment.entry.mentee"), mandatory=True) as label:
            mentee = pick(label, mentees)
        with c2:
            mentor = pick(required(tr("ment.entry.mentor")), mentors)
        with c3:
            on = date_field(feedback, tr("ment.entry.date"), today)
        if st.form_submit_button(tr("ment.entry.submit")):
            with handled(feedback):
                perform(ctx.db, ctx.actor, svc.RecordMatch.of(mentor, mentee, on))
                finish(tr("ment.entry.matched"))


def outcome_form(ctx: PageContext, labels: Labels, pipeline: str, today: date) -> None:
    tr = ctx.tr
    st.subheader(tr("ment.entry.outcome"))
    frame = svc.participants(ctx.db, ctx.actor, ctx.locality_code, pipeline, today)
    frame = frame[frame["kind"] != "drop"]
    if frame.empty:
        st.caption(tr("ment.entry.none"))
        return
    options = labels.participants(frame)
    with feedback_form("ment_outcome") as feedback:
        c1, c2, c3 = st.columns(3)
        with c1:
            who = pick(required(tr("ment.entry.participant")), options)
        with c2, feedback.labelled("kind", tr("ment.entry.outcome_kind"), mandatory=True) as label:
            kind = pick(label, named(OUTCOME_KINDS, "ment.outcome"), f"ment_out_kind_{ctx.lang}")
        with c3:
            on = date_field(feedback, tr("ment.entry.date"), today)
        if st.form_submit_button(tr("ment.entry.submit")):
            with handled(feedback):
                perform(ctx.db, ctx.actor, svc.RecordOutcome.of(who, kind, on))
                finish(tr("ment.entry.outcome_saved"))


def import_panel(ctx: PageContext) -> None:
    tr = ctx.tr
    st.caption(tr("ment.import.help"))
    upload = st.file_uploader(tr("ment.import.file"), type=["csv", "xlsx"], key="ment_upload")
    if upload is None:
        return
    data = upload.getvalue()
    with guarded():
        batch = read_batch(upload.name, data)
        plan = plan_batch(ctx.db, ctx.actor, batch)
        c = st.columns(4)
        c[0].metric(tr("ment.import.rows_read"), plan.rows_read)
        c[1].metric(tr("ment.import.new"), len(plan.new_participants))
        c[2].metric(tr("ment.import.events"), len(plan.events))
        c[3].metric(tr("ment.import.rejected"), len(plan.rejected))
        if plan.rejected:
            show_table(
                ctx,
                {
                    tr("ment.col.line"): [line for line, _ in plan.rejected],
                    tr("ment.col.reason"): [tr(key) for _, key in plan.rejected],
                },
            )
        if plan.events and st.button(tr("ment.import.commit"), type="primary", key="ment_commit"):
            done = perform(ctx.db, ctx.actor, ImportParticipants.of(batch, plan))
            finish(
                tr(
                    "ment.import.done",
                    events=len(done.events),
                    participants=len(done.new_participants),
                )
            )
