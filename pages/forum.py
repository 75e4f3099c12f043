"""Forum tracker: stage, health with its reasons, structure, milestones, focuses, attendance,
quarterly reviews and meetings with their minutes."""

import streamlit as st

from components.briefing import next_steps
from components.common.tabs import shown_tab
from components.common.text import plain
from components.forum import data as forum_data
from components.forum import minutes_mail as mm
from components.forum import plan as fp
from components.forum import planning as fpl
from components.forum import record as fr
from components.forum import record_panels as rp
from components.forum import setup as fs
from components.forum import target_status as ts
from components.forum import views as fv
from components.forum import year_summary as fy
from components.portfolio import notes as programme_notes
from components.shell.context import current
from components.shell.feedback import guarded
from employdash.access import Area
from employdash.forum import decisions as forum_decisions
from employdash.forum import meetings
from employdash.forum import quarterly as forum_quarterly
from employdash.forum import structure as forum_service

ctx = current()
st.header(ctx.tr("page.forum"))
if ctx.locality is None:
    next_steps.show(ctx, None, expanded=True)  # a new installation: enabling one comes first
    st.stop()

with guarded():
    view = forum_data.overview(ctx.db, ctx.actor, ctx.locality_code)
    # Confirmations go in containers drawn on every run, and the tabs are keyed: a confirmation
    # coming or going must not move the tabs, or a save would throw the editor back to the
    # first tab (and fold the form they were working in).
    with st.container():
        fs.flash(ctx)
    next_steps.show(ctx, ctx.locality_code, expanded=view is None)
    if view is None:
        fs.no_forum(ctx)
        st.stop()
    with st.container():
        fr.flash(ctx)
    editor = ctx.actor.can_write(Area.FORUM, ctx.locality_code)
    st.caption(plain(view.name))
    fv.stage_header(ctx, view)
    fv.health(ctx, forum_data.forum_health(ctx.db, ctx.actor, ctx.locality_code))
    programme_notes.notes_folded(ctx, ctx.locality_code)
    linked = mm.linked_meeting()
    if linked is not None:  # a minutes e-mail's link: open the meetings tab on that meeting
        st.session_state[f"forum_tabs_{ctx.lang}"] = ctx.tr("forum.tab.meetings")
    # Only the open tab's content runs (the tabs rerun the page when switched): ten tabs of
    # forms and tables are many pages' worth of elements and queries.
    keys = (*fv.TABS, *(fv.EDITOR_TABS if editor else ()))
    shown, tab = shown_tab(ctx, keys, "forum_tabs")
    with tab:
        match shown:
            case "forum.tab.focuses":
                fv.focuses(
                    ctx,
                    view,
                    forum_data.metric_statuses(ctx.db, ctx.actor, ctx.locality_code),
                    forum_data.focus_work(ctx.db, ctx.actor, ctx.locality_code),
                )
                progress = forum_data.metric_progress(ctx.db, ctx.actor, ctx.locality_code)
                if editor:
                    fp.focus_forms(ctx, view)
                    fp.manual_metric_form(ctx, view)
                    fp.focus_edit(ctx, view)
                    fp.metric_edit(ctx, progress)
                rp.focus_panels(ctx, view, progress, editor)
            case "forum.tab.structure":
                members = forum_service.members(ctx.db, ctx.actor, ctx.locality_code)
                fv.structure(ctx, members)
                if editor:
                    fv.member_form(ctx, view)
                    fr.change_membership_form(
                        ctx,
                        members,
                        {t["id"]: fs.team_label(ctx, t["kind"], t["name"]) for t in view.teams},
                    )
                    fr.end_membership_form(ctx, members)
            case "forum.tab.stages":
                fv.milestones(ctx, view)
                rp.milestone_documents(ctx, editor)
            case "forum.tab.attendance":
                fv.attendance(
                    ctx,
                    meetings.list_meetings(ctx.db, ctx.actor, ctx.locality_code),
                    meetings.member_attendance(ctx.db, ctx.actor, ctx.locality_code),
                )
            case "forum.tab.quarterly":
                fv.quarterly(ctx, forum_quarterly.reviews(ctx.db, ctx.actor, ctx.locality_code))
            case "forum.tab.planned":
                members = forum_service.members(ctx.db, ctx.actor, ctx.locality_code)
                people = (
                    forum_service.people_of(ctx.db, ctx.actor, ctx.locality_code) if editor else []
                )
                fpl.section(ctx, view, members, people, editor)
            case "forum.tab.meetings":
                mid = fv.meetings_list(
                    ctx, meetings.list_meetings(ctx.db, ctx.actor, ctx.locality_code), linked
                )
                if mid is not None:
                    fr.read_minutes(ctx, mid)
                    rp.documents(ctx, "meeting", mid, editor)
                    rp.history(ctx, "meeting", mid)
                    if editor:
                        mm.send_minutes(ctx, mid)
                        fr.correct_form(ctx, mid)
                        fr.delete_form(ctx, mid)
            case "forum.tab.decisions":
                listed = forum_decisions.list_decisions(ctx.db, ctx.actor, ctx.locality_code)
                fr.decisions(ctx, listed, editor)
                rp.picked_history(
                    ctx, "decision", {d.id: fr.decision_label(ctx, d) for d in listed}, "decisions"
                )
            case "summary.section":
                fy.section(ctx)
            case "forum.tab.setup":
                fs.setup_tab(ctx, view)
                ts.tolerance_form(ctx)
