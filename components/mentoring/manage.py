"""Program management for the locality's managers: create, edit and close a program with its
people, cohorts with participants (on creation and in bulk), and targets per program and period;
pipeline definitions for admins. The services check role, scope and every handed ID again."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import FormFeedback, feedback_form, handled, required
from components.common.localized import DATE_FORMAT
from components.common.pickers import named, pick, pick_many
from components.common.text import plain
from components.mentoring.forms import finish, fresh
from components.mentoring.views import (
    Labels,
    pipeline_label,
    progress_table,
    show_table,
)
from components.shell.context import PageContext
from employdash.mentoring import operations as svc
from employdash.mentoring import programs as progsvc
from employdash.mentoring import targets
from employdash.mentoring.vocabulary import OPERATING_MODELS, POPULATIONS, PROGRAM_KINDS

PEOPLE_FIELDS = (
    ("coordinator_person_id", "ment.program.coordinator"),
    ("contact_person_id", "ment.program.contact"),
    ("sponsor_person_id", "ment.program.sponsor"),
    ("tevet_manager_person_id", "ment.program.tevet_manager"),
)


PROGRAM_KEYS = ("name", "started")


def _program_fields(
    ctx: PageContext, values: Mapping[str, Any], key: str, feedback: FormFeedback
) -> dict[str, Any]:
    """The widgets of a program form (inside the caller's st.form); the values chosen. Each
    field's error appears under it through `feedback`."""
    tr = ctx.tr
    code = ctx.locality_code
    assert code is not None
    # People and organisations are optional: an empty first choice.
    none: dict[int | None, str] = {None: "—"}
    people = none | {c.id: c.label for c in progsvc.people_choices(ctx.db, ctx.actor, code)}
    orgs = none | {c.id: c.label for c in progsvc.organisation_choices(ctx.db, ctx.actor, code)}
    c1, c2 = st.columns(2)
    with c1, feedback.labelled("name", tr("ment.program.name"), mandatory=True) as label:
        name = st.text_input(
            label,
            value=values.get("name", ""),
            max_chars=200,
            key=fresh(f"{key}_name"),
        )
    started = c2.date_input(
        tr("ment.program.started"),
        value=values.get("started_on"),
        key=fresh(f"{key}_started"),
        format=DATE_FORMAT,
    )
    c3, c4 = st.columns(2)
    with (
        c3,
        feedback.labelled("operating_model", tr("ment.program.model"), mandatory=True) as label,
    ):
        model = pick(
            label,
            named(OPERATING_MODELS, "ment.model"),
            f"{key}_model_{ctx.lang}",
            values.get("operating_model"),
        )
    with (
        c4,
        feedback.labelled(
            "target_population", tr("ment.program.population"), mandatory=True
        ) as label,
    ):
        population = pick(
            label,
            named([*POPULATIONS, "mixed"], "ment.pop"),
            f"{key}_pop_{ctx.lang}",
            values.get("target_population", "mixed"),
        )
    chosen: dict[str, Any] = {
        "name": name,
        "started_on": started,
        "operating_model": model,
        "target_population": population,
        "host_organisation_id": pick(
            tr("ment.program.host"), orgs, f"{key}_host", values.get("host_organisation_id")
        ),
    }
    cols = st.columns(2)
    for i, (field, label) in enumerate(PEOPLE_FIELDS):
        with cols[i % 2]:
            chosen[field] = pick(tr(label), people, f"{key}_{field}", values.get(field))
    return chosen


def programs_tab(ctx: PageContext, labels: Labels, today: date) -> None:
    tr = ctx.tr
    local = [p for p in labels.programs.values() if p.locality_code == ctx.locality_code]
    st.subheader(tr("ment.program.list"))
    if local:
        show_table(
            ctx,
            {
                tr("ment.col.program"): [p.name for p in local],
                tr("ment.program.model"): [tr(f"ment.model.{p.operating_model}") for p in local],
                tr("ment.program.status"): [
                    tr("ment.program.open")
                    if p.closed_on is None
                    else tr("ment.program.closed_on", date=str(p.closed_on))
                    for p in local
                ],
            },
        )
    with st.expander(tr("ment.program.create")), feedback_form("ment_prog_new") as feedback:
        with feedback.labelled("kind", tr("ment.program.kind"), mandatory=True) as label:
            kind = pick(
                label, named(PROGRAM_KINDS, "ment.program.kind"), f"ment_prog_new_kind_{ctx.lang}"
            )
        values = _program_fields(ctx, {}, "ment_prog_new", feedback)
        if st.form_submit_button(tr("ment.program.create_submit")):
            with handled(feedback):
                perform(
                    ctx.db,
                    ctx.actor,
                    svc.CreateProgram.of(ctx.locality_code, kind=kind, **values),
                )
                finish(
                    tr("ment.program.created", name=values["name"].strip()),
                    clear=[f"ment_prog_new_{k}" for k in PROGRAM_KEYS],
                )
    if local:
        edit_program(ctx, labels, [p.id for p in local], today)
        cohorts_section(ctx, labels, [p.id for p in local if p.closed_on is None])
        targets_form(ctx, labels, [p.id for p in local], today)


@st.fragment
def edit_program(ctx: PageContext, labels: Labels, program_ids: list[int], today: date) -> None:
    """A fragment: picking another programme reruns this editor alone; a save reruns the page."""
    tr = ctx.tr
    with st.expander(tr("ment.program.edit")):
        pid = pick(tr("ment.entry.program"), labels.programs_named(program_ids), "ment_prog_edit")
        detail = progsvc.program_detail(ctx.db, ctx.actor, pid)
        # The version as first shown: a save over someone else's newer save is refused.
        seen_key = f"ment_prog_seen_{pid}"
        seen = st.session_state.setdefault(seen_key, detail["version"])
        if detail["closed_on"] is not None:
            st.info(plain(tr("ment.program.closed_on", date=str(detail["closed_on"]))))
            return
        with feedback_form("ment_prog_edit_form") as feedback:
            values = _program_fields(ctx, detail, f"ment_prog_edit_{pid}", feedback)
            if st.form_submit_button(tr("ment.program.save")):
                with handled(feedback):
                    perform(ctx.db, ctx.actor, progsvc.UpdateProgram.of(pid, seen, values))
                    st.session_state.pop(seen_key, None)
                    finish(tr("ment.program.saved"))
        with st.form("ment_prog_close"):
            closing = FormFeedback()
            with closing.labelled("date", tr("ment.program.close_on"), mandatory=True) as label:
                closed = st.date_input(
                    label,
                    value=today,
                    key="ment_close_on",
                    format=DATE_FORMAT,
                )
            if st.form_submit_button(tr("ment.program.close")):
                with handled(closing):
                    perform(ctx.db, ctx.actor, progsvc.CloseProgram.of(pid, seen, closed))
                    st.session_state.pop(seen_key, None)
                    finish(tr("ment.program.closed"))


def _participant_options(ctx: PageContext, program_id: int) -> dict[int, str]:
    """Codes of the program's participants (every pipeline), with their cohort if any."""
    code = ctx.locality_code
    assert code is not None
    options: dict[int, str] = {}
    for info in svc.pipelines(ctx.db, ctx.actor):
        frame = svc.participants(ctx.db, ctx.actor, code, info.code, date.today(), program_id)
        for r in frame.itertuples():
            options[int(r.participant_id)] = str(r.code)
    return options


@st.fragment
def cohorts_section(ctx: PageContext, labels: Labels, program_ids: list[int]) -> None:
    """A fragment: picking another programme reruns its participants and cohorts alone; a
    cohort created or filled reruns the page."""
    tr = ctx.tr
    st.subheader(tr("ment.cohort.title"))
    if not program_ids:
        return
    program = pick(tr("ment.entry.program"), labels.programs_named(program_ids), "ment_coh_program")
    options = _participant_options(ctx, program)
    with st.expander(tr("ment.cohort.create")), feedback_form("ment_coh_new") as feedback:
        c1, c2 = st.columns(2)
        with c1, feedback.labelled("name", tr("ment.cohort.name"), mandatory=True) as label:
            name = st.text_input(label, max_chars=120, key=fresh("ment_coh_name"))
        starts = c2.date_input(
            tr("ment.cohort.starts"), value=None, key=fresh("ment_coh_starts"), format=DATE_FORMAT
        )
        with feedback.labelled("participants", tr("ment.cohort.participants")) as label:
            chosen = pick_many(label, options, fresh("ment_coh_members"))
        if st.form_submit_button(tr("ment.cohort.create_submit")):
            with handled(feedback):
                perform(ctx.db, ctx.actor, svc.CreateCohort.of(program, name, starts, chosen))
                finish(
                    tr("ment.cohort.created", name=name.strip(), n=len(chosen)),
                    clear=("ment_coh_name", "ment_coh_starts", "ment_coh_members"),
                )
    cohorts = [c for c, p in labels.cohort_programs.items() if p == program]
    if not cohorts:
        return
    with (
        st.expander(tr("ment.cohort.assign")),
        feedback_form("ment_coh_assign") as feedback,
    ):
        cohort = pick(
            required(tr("ment.col.cohort")),
            {c: labels.cohorts[c] for c in cohorts},
            "ment_coh_pick",
        )
        with feedback.labelled(
            "participants", tr("ment.cohort.participants"), mandatory=True
        ) as label:
            chosen = pick_many(label, options, fresh("ment_coh_bulk"))
        if st.form_submit_button(tr("ment.cohort.assign_submit")):
            with handled(feedback):
                n = perform(ctx.db, ctx.actor, svc.AssignCohort.of(cohort, chosen))
                finish(tr("ment.cohort.assigned", n=n), clear=("ment_coh_bulk",))


def targets_form(ctx: PageContext, labels: Labels, program_ids: list[int], today: date) -> None:
    tr = ctx.tr
    st.subheader(tr("ment.targets.title"))
    rows = targets.progress(ctx.db, ctx.actor, (ctx.locality_code,), today)
    if rows:
        show_table(ctx, progress_table(ctx, rows))
    with st.expander(tr("ment.targets.set")), feedback_form("ment_target") as feedback:
        program = pick(
            required(tr("ment.entry.program")), labels.programs_named(program_ids), "ment_tgt_prog"
        )
        c1, c2 = st.columns(2)
        start = c1.date_input(
            required(tr("ment.targets.start")),
            value=date(today.year, 1, 1),
            key="ment_tgt_start",
            format=DATE_FORMAT,
        )
        with c2, feedback.labelled("period", tr("ment.targets.end"), mandatory=True) as label:
            end = st.date_input(
                label,
                value=date(today.year, 12, 31),
                key="ment_tgt_end",
                format=DATE_FORMAT,
            )
        st.caption(tr("ment.targets.goals_note"))
        feedback.field("goals", tr("ment.targets.goals"))
        cols = st.columns(3)
        goals: dict[str, Any] = {}
        for col, metric in zip(cols, targets.METRICS, strict=True):
            with col, feedback.labelled(metric, tr(f"ment.targets.{metric}")) as label:
                goals[metric] = st.number_input(
                    label,
                    min_value=0,
                    max_value=targets.GOAL_LIMIT,
                    value=None,
                    step=1,
                    key=fresh(f"ment_tgt_{metric}"),
                )
        if st.form_submit_button(tr("ment.targets.save")):
            with handled(feedback):
                current = next(
                    (r for r in rows if r.program_id == program and r.period_start == start), None
                )
                command = targets.SetTarget.of(
                    ctx.db,
                    program,
                    start,
                    end,
                    {k: None if v is None else int(v) for k, v in goals.items()},
                    version=current.version if current else None,
                )
                perform(ctx.db, ctx.actor, command)
                finish(tr("ment.targets.saved"), clear=[f"ment_tgt_{m}" for m in targets.METRICS])


def parse_stages(text: str) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """`code | Hebrew name | English name` per line (names optional): the codes in order and the
    names given in each language."""
    stages: list[str] = []
    names: dict[str, str] = {}
    names_en: dict[str, str] = {}
    for line in text.splitlines():
        code, name, name_en = [*(p.strip() for p in line.split("|")), "", ""][:3]
        if code:
            stages.append(code)
            if name:
                names[code] = name
            if name_en:
                names_en[code] = name_en
    return stages, names, names_en


def pipelines_tab(ctx: PageContext) -> None:
    """Admins define a pipeline: ordered stages, closing stages and drop reasons."""
    tr = ctx.tr
    st.subheader(tr("ment.pipelines.title"))
    st.caption(tr("ment.pipelines.help"))
    with feedback_form("ment_pipeline_new") as feedback:
        c1, c2, c3 = st.columns(3)
        with c1, feedback.labelled("code", tr("ment.pipelines.code"), mandatory=True) as label:
            code = st.text_input(label, max_chars=30, key=fresh("ment_pl_code"))
        title = c2.text_input(tr("ment.pipelines.label"), max_chars=120, key=fresh("ment_pl_label"))
        title_en = c3.text_input(
            tr("ment.pipelines.label_en"), max_chars=120, key=fresh("ment_pl_label_en")
        )
        role = pick(
            required(tr("ment.entry.role")),
            named(svc.PIPELINE_OF_ROLE, "ment.role"),
            f"ment_pl_role_{ctx.lang}",
        )
        with feedback.labelled("stages", tr("ment.pipelines.stages"), mandatory=True) as label:
            stages_text = st.text_area(label, key=fresh("ment_pl_stages"))
        c4, c5 = st.columns(2)
        terminal = c4.text_input(tr("ment.pipelines.terminal"), key=fresh("ment_pl_terminal"))
        with c5, feedback.labelled("drop_reasons", tr("ment.pipelines.reasons")) as label:
            reasons = st.text_input(label, key=fresh("ment_pl_reasons"))
        if st.form_submit_button(tr("ment.pipelines.submit")):
            with handled(feedback):
                stages, stage_labels, stage_labels_en = parse_stages(stages_text)
                command = svc.DefinePipeline(
                    code,
                    role,
                    stages,
                    frozenset(s.strip() for s in terminal.split(",") if s.strip()),
                    list(dict.fromkeys(r.strip() for r in reasons.split(",") if r.strip())),
                    title,
                    stage_labels,
                    title_en,
                    stage_labels_en,
                )
                perform(ctx.db, ctx.actor, command)
                finish(
                    tr("ment.pipelines.saved", code=code.strip()),
                    clear=(
                        "ment_pl_code",
                        "ment_pl_label",
                        "ment_pl_label_en",
                        "ment_pl_stages",
                        "ment_pl_terminal",
                        "ment_pl_reasons",
                    ),
                )
    defined = svc.pipelines(ctx.db, ctx.actor)
    show_table(
        ctx,
        {
            tr("ment.pipelines.code"): [p.code for p in defined],
            tr("ment.pipelines.label"): [pipeline_label(ctx, p) for p in defined],
            tr("ment.pipelines.reasons"): [", ".join(p.drop_reasons) for p in defined],
        },
    )
