"""Meeting outcomes, filled in live during the meeting; saved atomically; minutes to download."""

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import FormFeedback
from components.common.text import plain
from components.forum import data as forum_data
from components.forum import meeting_form as mf
from components.forum import setup as fs
from components.forum import views as fv
from components.forum.minutes_mail import send_minutes
from components.shell.context import current
from components.shell.feedback import guarded, show_error
from employdash.errors import DomainError, ValidationError
from employdash.forum import meetings
from employdash.forum.stages import STAGE_KEYS

ctx = current()
st.header(ctx.tr("page.meeting"))
if ctx.locality is None:
    st.stop()

with guarded():
    view = forum_data.overview(ctx.db, ctx.actor, ctx.locality_code)
    if view is None or not view.teams:
        fs.lead_to_setup(ctx, no_teams=view is not None)
        st.stop()
    saved = mf.saved_notice(ctx)
    if saved:
        fv.minutes_downloads(ctx, saved, key="meet_minutes")
        send_minutes(ctx, saved)
        if st.button(ctx.tr("meet.new"), icon=":material/add:"):
            mf.SAVED.forget()
            st.rerun()
        st.stop()

    st.caption(
        f"{plain(view.name)} · "
        + ctx.tr("forum.current_stage", stage=int(view.stage), name=ctx.tr(STAGE_KEYS[view.stage]))
    )
    mf.discarded_notice(ctx)
    mf.open_draft(ctx)
    mf.from_planned(ctx, st.query_params.get("planned"))
    mf.restored_notice(ctx)
    # A refused save: the summary here at the top, each message under its part of the form.
    feedback = FormFeedback()
    feedback.note()
    labels = mf.people_labels(forum_data.people_of(ctx.db, ctx.actor, ctx.locality_code))
    team = mf.header(ctx, view.teams)
    feedback.field("team", ctx.tr("meet.team"))
    feedback.field("held_on", ctx.tr("meet.date"))
    feedback.field("number", ctx.tr("meet.number"))
    # Expected: the team's members on the meeting's day (an ended membership no longer counts).
    held_on = st.session_state.get(mf.fkey("date"))
    rows = forum_data.members(ctx.db, ctx.actor, ctx.locality_code, as_of=held_on)
    members = [r for r in rows if r["team_id"] == team["id"]]
    mf.attendance(ctx, members)
    feedback.field("attendance", ctx.tr("meet.attendance"))
    left, right = st.columns(2)
    with left, feedback.labelled("guests", ctx.tr("meet.guests")) as label:
        st.text_area(label, key=mf.fkey("guests"), help=ctx.tr("meet.guests.help"))
    with right, feedback.labelled("attachments", ctx.tr("meet.attachments")) as label:
        st.text_area(label, key=mf.fkey("attachments"), help=ctx.tr("meet.attachments.help"))
    st.text_area(ctx.tr("meet.issues"), key=mf.fkey("issues"), height=140)
    st.text_area(
        ctx.tr("meet.decisions"), key=mf.fkey("decisions"), help=ctx.tr("meet.decisions.help")
    )
    mf.tasks_table(ctx, labels, feedback)
    mf.next_dates(ctx, feedback)
    mf.persist(ctx)

    save, discard = st.columns(2)
    if save.button(ctx.tr("meet.save"), type="primary", icon=":material/save:", width="stretch"):
        try:
            data = mf.build_input(ctx, team, members, labels)
            mid = meetings.save_meeting(ctx.db, ctx.actor, data, run=perform)
        except ValidationError as exc:
            feedback.show(mf.by_part(exc))
        except DomainError as exc:
            show_error(exc)
        else:
            mf.clear()
            mf.LAST_DRAFT.forget()
            mf.SAVED.put(mid)
            st.rerun()
    mf.discard(ctx, discard)
