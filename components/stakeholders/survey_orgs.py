"""The organisation mapping tab: the questionnaire per member organisation and the matrix of
who serves which audience with which program."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common.commands import perform
from components.common.downloads import download_buttons
from components.common.form_feedback import FormFeedback, handled
from components.common.localized import choose_many
from components.common.pickers import pick
from components.common.tables import data_table
from components.common.text import plain
from components.shell.context import PageContext
from components.stakeholders.page import SURVEY_FLASH
from employdash.stakeholders import organisations
from employdash.stakeholders.organisations import ProfileAnswers, ProfileInput, SaveProfile
from employdash.stakeholders.vocabulary import AUDIENCES

# what the form starts from for an organisation that has not answered yet
BLANK_PROFILE: ProfileAnswers = {
    "id": 0,
    "goals": None,
    "activities": None,
    "audiences": [],
    "collaborations": None,
    "programs": [],
    "version": 0,
}


def _matrix(ctx: PageContext, code: int) -> None:
    matrix, summary = organisations.audience_matrix(ctx.db, ctx.actor, code)
    st.subheader(ctx.tr("org.matrix.title"))
    if matrix.shape[1] <= 1:
        st.info(ctx.tr("org.none"))
        return
    st.caption(ctx.tr("org.matrix.caption"))
    status = dict(zip(summary.audience, summary.status, strict=True))
    gaps = [plain(ctx.tr(f"org.audience.{a}")) for a in AUDIENCES if status[a] == "gap"]
    overlaps = [plain(ctx.tr(f"org.audience.{a}")) for a in AUDIENCES if status[a] == "overlap"]
    if gaps:
        st.warning(
            ctx.tr("org.matrix.gaps", audiences=", ".join(plain(g) for g in gaps)),
            icon=":material/warning:",
        )
    if overlaps:
        st.info(ctx.tr("org.matrix.overlaps", audiences=", ".join(plain(o) for o in overlaps)))
    counts = dict(zip(summary.audience, summary.organisations, strict=True))
    shown = matrix.assign(
        audience=[f"{ctx.tr(f'org.audience.{a}')} ({counts[a]})" for a in matrix.audience]
    )
    shown = shown.rename(columns={"audience": ctx.tr("org.col.audience")})
    data_table(shown, hide_index=True, width="stretch")
    download_buttons(shown, f"organisation-matrix-{code}", "org_matrix")


def _form(ctx: PageContext, code: int, org_id: int, can_edit: bool) -> None:
    tr = ctx.tr
    saved = organisations.get_profile(ctx.db, ctx.actor, code, org_id)
    # None: no profile yet, the save creates it
    version, profile_id = (saved["version"], saved["id"]) if saved else (None, None)
    answers = saved or BLANK_PROFILE
    with st.form(f"org_profile_{org_id}_{version}"):
        feedback = FormFeedback()
        with feedback.labelled("goals", tr("org.goals")) as label:
            goals = st.text_area(label, value=answers["goals"] or "")
        with feedback.labelled("activities", tr("org.activities")) as label:
            activities = st.text_area(label, value=answers["activities"] or "")
        with feedback.labelled("audiences", tr("org.audiences")) as label:
            audiences = st.multiselect(
                label,
                AUDIENCES,
                default=answers["audiences"],
                format_func=lambda a: tr(f"org.audience.{a}"),
                key=f"org_audiences_{org_id}_{version}_{ctx.lang}",
                placeholder=choose_many(AUDIENCES),
            )
        with feedback.labelled("collaborations", tr("org.collaborations")) as label:
            collaborations = st.text_area(label, value=answers["collaborations"] or "")
        st.markdown(f"**{tr('org.programs')}**")
        programs = st.data_editor(
            pd.DataFrame(
                {
                    "name": [p[0] for p in answers["programs"]],
                    "audiences": [list(p[1]) for p in answers["programs"]],
                },
                columns=["name", "audiences"],
            ),
            num_rows="dynamic",
            width="stretch",
            key=f"org_programs_{org_id}_{version}",
            disabled=not can_edit,
            column_config={
                "name": st.column_config.TextColumn(tr("org.program_name")),
                "audiences": st.column_config.MultiselectColumn(
                    tr("org.program_audiences"),
                    options=list(AUDIENCES),
                    format_func=lambda a: tr(f"org.audience.{a}"),
                ),
            },
        )
        feedback.field("programs", tr("org.programs"))
        # Each program row's error names its row ("Program name 2: Required"), under the table.
        for k in range(len(programs) + 1):
            feedback.field(f"programs.{k}", f"{tr('org.program_name')} {k + 1}")
        if st.form_submit_button(tr("common.save"), type="primary", disabled=not can_edit):
            rows = programs.dropna(subset=["name"])
            data = ProfileInput(
                goals,
                activities,
                list(audiences),
                collaborations,
                [
                    (str(n), list(a) if isinstance(a, list | tuple) else [])
                    for n, a in zip(rows.name, rows.audiences, strict=True)
                ],
            )
            with handled(feedback):
                command = SaveProfile.of(code, org_id, data, version, profile_id)
                perform(ctx.db, ctx.actor, command)
                SURVEY_FLASH.put(tr("common.saved"))
                st.rerun()


def section(ctx: PageContext, code: int, can_edit: bool) -> None:
    members = organisations.member_organisations(ctx.db, ctx.actor, code)
    if members.empty:
        st.info(ctx.tr("org.no_members"))
    else:
        done = int(members.answered.sum())
        st.caption(ctx.tr("org.answered", done=done, total=len(members)))
        names = {int(r.id): ("✓ " if r.answered else "○ ") + r.name for r in members.itertuples()}
        org_id = pick(ctx.tr("org.pick"), names, "org_pick")
        _form(ctx, code, org_id, can_edit)
    _matrix(ctx, code)
