"""Notes and document links on the stage milestones: shown under each milestone, written by
editors; the employer-survey milestone says whether survey responses exist."""

from __future__ import annotations

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import FormFeedback, handled
from components.common.localized import choose
from components.common.text import plain
from components.forum.record import done
from components.shell.context import PageContext
from employdash.forum import milestones as ms_service
from employdash.forum.milestones import NoteRow
from employdash.forum.stages import ALL_MILESTONES


def show(ctx: PageContext, key: str, notes: dict[str, NoteRow], responses: int) -> None:
    """Under one milestone: its note, its link, and (for the survey) the responses found."""
    row = notes.get(key)
    if row and row.note:
        st.text(row.note)
    if row and row.link_url:
        st.link_button(plain(row.link_title or row.link_url), row.link_url, icon=":material/link:")
    if key == "employer_survey":
        st.caption(
            plain(
                ctx.tr("forum.ms.survey_found", n=responses)
                if responses
                else ctx.tr("forum.ms.survey_none")
            )
        )


def form(ctx: PageContext, notes: dict[str, NoteRow], forum_id: int) -> None:
    with st.expander(ctx.tr("forum.ms.note_edit"), icon=":material/sticky_note_2:"):
        key = st.selectbox(
            ctx.tr("forum.ms.pick"),
            list(ALL_MILESTONES),
            format_func=lambda k: ctx.tr(f"forum.ms.{k}"),
            key="ms_note_pick",
            placeholder=choose(),
        )
        row = notes.get(key)
        with st.form(f"ms_note_{key}_{row.version if row else 0}"):
            feedback = FormFeedback()
            with feedback.labelled("note", ctx.tr("forum.ms.note")) as label:
                note = st.text_area(label, (row.note or "") if row else "")
            with feedback.labelled("link_title", ctx.tr("forum.ms.link_title")) as label:
                title = st.text_input(label, (row.link_title or "") if row else "", max_chars=200)
            with feedback.labelled("link_url", ctx.tr("forum.ms.link_url")) as label:
                url = st.text_input(label, (row.link_url or "") if row else "", max_chars=500)
            if st.form_submit_button(ctx.tr("common.save"), type="primary"):
                with handled(feedback):
                    version = row.version if row else None
                    command = ms_service.SetNote.of(forum_id, key, version, note, title, url)
                    perform(ctx.db, ctx.actor, command)
                    done("common.saved")
