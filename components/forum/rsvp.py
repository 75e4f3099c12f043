"""Answering an invitation: the meeting as its invitee sees it, three answers and the current
one; and the invitee's next invitations on their tasks page, each with the way to answer it."""

from __future__ import annotations

import streamlit as st

from components.common.commands import perform
from components.common.state import Kept
from components.common.text import plain
from components.forum import data
from components.forum.forms import leave_flash, show_flash
from components.forum.planning import details, when
from components.shell.context import PageContext
from components.shell.feedback import show_error
from employdash.errors import DomainError, NotFound, PermissionDenied
from employdash.forum import planning
from employdash.forum.planning import ANSWERS, InvitationView

FLASH: Kept[str] = Kept("_rsvp_flash")
RSVP_PAGE = "pages/rsvp.py"
ICONS = {
    "coming": ":material/check_circle:",
    "not_coming": ":material/cancel:",
    "maybe": ":material/help:",
}


def _answer_label(ctx: PageContext, answer: str | None) -> str:
    return ctx.tr(f"planning.answer.{answer or 'none'}")


def answer_page(ctx: PageContext, token: str) -> None:
    """The invitation the link's token names, or why it cannot be answered here."""
    show_flash(ctx, FLASH)
    if not token:
        st.info(ctx.tr("planning.rsvp.no_token"))
        return
    try:
        found = planning.invitation(ctx.db, ctx.actor, token)
    except PermissionDenied:
        st.error(ctx.tr("planning.rsvp.not_yours"), icon=":material/block:")
        return
    except NotFound:
        st.error(ctx.tr("planning.rsvp.unknown"), icon=":material/link_off:")
        return
    meeting = found.meeting
    st.subheader(plain(meeting.team), divider=False)
    details(ctx, meeting)
    st.caption(ctx.tr("planning.rsvp.your_answer", answer=plain(_answer_label(ctx, found.answer))))
    if meeting.status != "planned":
        st.warning(ctx.tr(f"planning.rsvp.{meeting.status}"), icon=":material/event_busy:")
        return
    st.markdown(f"**{ctx.tr('planning.rsvp.question')}**")
    columns = st.columns(len(ANSWERS))
    for column, answer in zip(columns, ANSWERS, strict=True):
        if column.button(
            _answer_label(ctx, answer),
            key=f"rsvp_{answer}",
            icon=ICONS[answer],
            type="primary" if found.answer == answer else "secondary",
            width="stretch",
        ):
            _answer(ctx, found, answer)


def _answer(ctx: PageContext, found: InvitationView, answer: str) -> None:
    command = planning.AnswerInvitation.of(found.invitee_id, found.token, answer)
    try:
        perform(ctx.db, ctx.actor, command)
    except DomainError as exc:
        show_error(exc)
    else:
        leave_flash(FLASH, "planning.rsvp.answered")


def my_invitations(ctx: PageContext) -> None:
    """The user's next invitations with their answer and a link to answer (the tasks page)."""
    mine = data.my_invitations(ctx.db, ctx.actor)
    if not mine:
        return
    st.subheader(ctx.tr("planning.my.heading"), divider=False)
    for found in mine:
        with st.container(border=True):
            st.text(f"{when(ctx, found.meeting)} · {found.meeting.team}")
            st.caption(
                ctx.tr("planning.rsvp.your_answer", answer=plain(_answer_label(ctx, found.answer)))
            )
            st.page_link(
                RSVP_PAGE,
                label=ctx.tr("planning.my.answer_link"),
                icon=":material/reply:",
                query_params={"token": found.token},
            )
