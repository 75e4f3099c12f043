"""The mayor's approval of the work plan, on the briefing: a dated record, leadership's one write.

Shown to whoever the policy lets write PLAN_APPROVAL (leadership and admins) when the locality
has a forum; the briefing's forum panel then shows the approval.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import expander_form, handled
from components.common.state import Kept
from components.shell.context import PageContext
from employdash.access import Area
from employdash.briefing.build import Briefing
from employdash.forum import approval
from employdash.forum.structure import forum_id_of

# Set by an approval, shown once after the rerun.
APPROVED: Kept[bool] = Kept("_approval_flash")
# Bumped by each approval: the next form has a new key, so it starts empty.
ROUND: Kept[int] = Kept("_approval_flash_n")


def approval_form(ctx: PageContext, briefing: Briefing) -> None:
    if APPROVED.take():
        st.success(ctx.tr("brief.approve.done"), icon=":material/verified:")
    if briefing.forum is None or not ctx.actor.can_write(Area.PLAN_APPROVAL, ctx.locality_code):
        return
    with expander_form(
        ctx.tr("brief.approve.title"), ":material/verified:", f"plan_approve_{ROUND.get() or 0}"
    ) as feedback:
        with feedback.labelled("approved_on", ctx.tr("brief.approve.on"), mandatory=True) as label:
            on = st.date_input(label, date.today(), format="DD/MM/YYYY")
        with feedback.labelled("note", ctx.tr("brief.approve.note")) as label:
            note = st.text_area(label, max_chars=2000)
        if st.form_submit_button(ctx.tr("brief.approve.button"), type="primary"):
            with handled(feedback):
                forum_id = forum_id_of(ctx.db, ctx.actor, ctx.locality_code)
                perform(ctx.db, ctx.actor, approval.ApprovePlan.of(forum_id, on, note))
                APPROVED.put(True)
                ROUND.put((ROUND.get() or 0) + 1)
                st.rerun()
