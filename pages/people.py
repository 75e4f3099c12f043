"""People of the locality: one register the forum, the stakeholder map and mentoring share."""

import streamlit as st

from components.common import people as pw
from components.common.page import locality_page
from components.common.text import plain
from components.shell.context import current
from components.shell.feedback import guarded
from employdash import people
from employdash.access import Area

ctx = current()
locality = locality_page(ctx, "page.people", "people.pick_locality")

with guarded():
    with st.container():  # drawn every run: a confirmation coming or going moves nothing below
        pw.flash(ctx)
    st.caption(plain(ctx.tr("people.intro", locality=locality.name(ctx.lang))))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    text = left.text_input(ctx.tr("people.search"), key="people_search")
    inactive = right.checkbox(ctx.tr("people.show_inactive"), key="people_inactive")
    rows = people.search_people(ctx.db, ctx.actor, ctx.locality_code, text, inactive)
    editor = ctx.actor.can_write(Area.PEOPLE, ctx.locality_code)
    if rows:
        pw.table(ctx, rows)
    elif not text:
        st.info(
            ctx.tr("people.none" if editor else "people.none.readonly"), icon=":material/group:"
        )
    else:
        st.info(ctx.tr("people.no_match"))
    if editor:
        # Open on an empty register, and kept open once someone was added in this session
        # (the form is cleared and waits for the next person).
        adding = not rows or "person_new_gen" in st.session_state
        with st.expander(ctx.tr("people.create"), icon=":material/person_add:", expanded=adding):
            pw.create_form(ctx)
        if rows:
            with st.expander(ctx.tr("people.edit"), icon=":material/edit:"):
                pw.edit_form(ctx, rows)
            with st.expander(ctx.tr("record.people.delete"), icon=":material/delete:"):
                pw.delete_form(ctx, rows)
