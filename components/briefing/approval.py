"""The mayor's approval of the work plan, on the briefing: a dated record, leadership's one write.

Shown to whoever the policy lets write PLAN_APPROVAL (leadership and admins) when the locality
has a forum; the briefing's forum panel then shows the approval.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.common.cache import clear_area
from components.shell.context import PageContext
from components.shell.feedback import guarded
from employdash.access import Area
from employdash.briefing.build import Briefing
from employdash.forum import approval

FLASH = "_approval_flash"


def approval_form(ctx: PageContext, briefing: Briefing) -> None:
    if st.session_state.pop(FLASH, False):
        st.success(ctx.tr("brief.approve.done"), icon=":material/verified:")
    if briefing.forum is None or not ctx.actor.can_write(Area.PLAN_APPROVAL, ctx.locality_code):
        return
    with (
        st.expander(ctx.tr("brief.approve.title"), icon=":material/verified:"),
        st.form("plan_approve", clear_on_submit=True),
    ):
        on = st.date_input(ctx.tr("brief.approve.on"), date.today(), format="DD/MM/YYYY")
        note = st.text_area(ctx.tr("brief.approve.note"), max_chars=2000)
        if st.form_submit_button(ctx.tr("brief.approve.button"), type="primary"):
            with guarded():
                approval.approve_plan(ctx.db, ctx.actor, ctx.locality_code, on, note)
                clear_area(Area.BRIEFING)  # the cached briefing must show the new approval
                st.session_state[FLASH] = True
                st.rerun()
