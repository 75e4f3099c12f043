"""The programme's notes on a locality: the form its staff write one with, and the list the
locality's manager (and the programme) read. Note text is the user's: shown with st.text."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import expander_form, handled
from components.common.localized import DATE_FORMAT, dated
from components.common.pickers import pick
from components.common.text import plain
from components.portfolio.data import cached_notes
from components.shell.context import PageContext
from employdash.access import Area
from employdash.i18n import local_today
from employdash.limits import FIELDS
from employdash.portfolio.notes import AddProgrammeNote


def note_form(ctx: PageContext, names: Mapping[int, str]) -> int | None:
    """A dated note on one of `names`' localities; returns the locality chosen."""
    if not names or not ctx.actor.can_write(Area.PROGRAMME_NOTES):
        return None
    code: int | None = None
    with expander_form(
        ctx.tr("portfolio.note.add"), ":material/note_add:", "portfolio_note"
    ) as feedback:
        with feedback.labelled("locality_code", ctx.tr("portfolio.col.locality")) as label:
            code = pick(label, names, key=f"portfolio_note_locality_{ctx.lang}")
        with feedback.labelled("noted_on", ctx.tr("portfolio.note.date"), mandatory=True) as label:
            noted_on = st.date_input(label, local_today(), format=DATE_FORMAT)
        with feedback.labelled("body", ctx.tr("portfolio.note.body"), mandatory=True) as label:
            body = st.text_area(label, max_chars=FIELDS["programme/note"].max_len)
        if st.form_submit_button(ctx.tr("portfolio.note.save"), icon=":material/save:"):
            with handled(feedback):
                perform(ctx.db, ctx.actor, AddProgrammeNote(code, noted_on, body))
                st.success(ctx.tr("portfolio.note.saved"))
    return code


def notes_list(ctx: PageContext, locality_code: int, name: str) -> None:
    """The locality's notes, newest first, under its name (the portfolio page)."""
    st.subheader(ctx.tr("portfolio.notes.title", name=plain(name)))
    _notes(ctx, locality_code)


def notes_folded(ctx: PageContext, locality_code: int) -> None:
    """The locality's notes folded under one line (the forum page, for its manager); nothing
    when there are none or the role does not read them."""
    if not ctx.actor.can_read(Area.PROGRAMME_NOTES, locality_code):
        return
    if cached_notes(ctx.db, ctx.actor, locality_code):
        with st.expander(ctx.tr("portfolio.notes.section"), icon=":material/sticky_note_2:"):
            _notes(ctx, locality_code)


def _notes(ctx: PageContext, locality_code: int) -> None:
    listed = cached_notes(ctx.db, ctx.actor, locality_code)
    if not listed:
        st.caption(ctx.tr("portfolio.notes.none"))
    for note in listed:
        st.caption(plain(dated("portfolio.note.by", note.noted_on, author=note.author_name)))
        st.text(note.body)
