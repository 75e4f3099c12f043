"""Forum tracker: stage, health with its reasons, structure, milestones, focuses, attendance,
quarterly reviews and meetings with their minutes."""

import streamlit as st

from components.common.text import plain
from components.forum import views as fv
from components.shell.context import current
from components.shell.feedback import guarded
from employdash.access import Area
from employdash.forum import health as forum_health
from employdash.forum import meetings
from employdash.forum import quarterly as forum_quarterly
from employdash.forum import structure as forum_service
from employdash.forum import targets as forum_targets

ctx = current()
st.header(ctx.tr("page.forum"))
if ctx.locality is None:
    st.stop()

with guarded():
    view = forum_service.overview(ctx.db, ctx.actor, ctx.locality_code)
    if view is None:
        st.info(ctx.tr("forum.none"))
        st.stop()
    st.caption(plain(view.name))
    fv.stage_header(ctx, view)
    fv.health(ctx, forum_health.forum_health(ctx.db, ctx.actor, ctx.locality_code))
    tabs = st.tabs(
        [
            ctx.tr(f"forum.tab.{k}")
            for k in ("focuses", "structure", "stages", "attendance", "quarterly", "meetings")
        ]
    )
    with tabs[0]:
        fv.focuses(ctx, view, forum_targets.metric_progress(ctx.db, ctx.actor, ctx.locality_code))
        if ctx.actor.can_write(Area.FORUM, ctx.locality_code):
            fv.focus_forms(ctx, view)
    with tabs[1]:
        fv.structure(ctx, forum_service.members(ctx.db, ctx.actor, ctx.locality_code))
        if ctx.actor.can_write(Area.FORUM, ctx.locality_code):
            fv.member_form(ctx, view)
    with tabs[2]:
        fv.milestones(ctx, view)
    with tabs[3]:
        fv.attendance(
            ctx,
            meetings.list_meetings(ctx.db, ctx.actor, ctx.locality_code),
            meetings.member_attendance(ctx.db, ctx.actor, ctx.locality_code),
        )
    with tabs[4]:
        fv.quarterly(ctx, forum_quarterly.reviews(ctx.db, ctx.actor, ctx.locality_code))
    with tabs[5]:
        fv.meetings_list(ctx, meetings.list_meetings(ctx.db, ctx.actor, ctx.locality_code))
