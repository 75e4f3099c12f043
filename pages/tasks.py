"""Work plan and tasks: "my tasks" first (a member's landing page), then board, timeline, lists."""

import streamlit as st

from components.common.downloads import download_buttons
from components.common.localized import date_columns
from components.common.tables import data_table
from components.common.tabs import shown_tab
from components.common.text import plain
from components.forum import data as forum_data
from components.forum import record_panels as rp
from components.forum import rsvp, task_notes
from components.forum import setup as fs
from components.forum import target_status as ts
from components.forum import tasks as tw
from components.shell.context import current
from components.shell.feedback import guarded
from employdash.access import Area
from employdash.forum import structure as forum_service
from employdash.forum.stages import STAGE_KEYS
from employdash.i18n import plural

ctx = current()
st.header(ctx.tr("page.tasks"))
tw.flash(ctx)

with guarded():
    linked = tw.linked_task_id()
    if linked is not None:
        tw.linked_card(ctx, linked)
    # The linked task's card is drawn above; once is enough (and its widgets' keys are unique).
    mine = [r for r in forum_data.my_tasks(ctx.db, ctx.actor) if r["id"] != linked]
    if ctx.actor.person_id is None and ctx.actor.writes_own_only(Area.TASKS):
        fs.unlinked_account(ctx)
    if ctx.actor.person_id is not None:
        open_mine = [r for r in mine if r["status"] not in ("done", "cancelled")]
        done_mine = [r for r in mine if r["status"] == "done"]
        # Members land here for their tasks; for managers the plan below matters more.
        with (
            task_notes.read_together(ctx, [r["id"] for r in mine]),
            st.expander(
                plural(len(open_mine), "task.my.title", ctx.lang),
                expanded=ctx.actor.writes_own_only(Area.TASKS),
                icon=":material/person:",
            ),
        ):
            if not open_mine:
                st.info(ctx.tr("task.my.none"))
            for task in open_mine:
                tw.quick_card(ctx, task)
            if done_mine:
                st.caption(ctx.tr("task.my.done", n=len(done_mine)))
                for task in done_mine:
                    tw.quick_card(ctx, task)

    rsvp.my_invitations(ctx)
    if ctx.locality is None:
        st.stop()
    view = forum_data.overview(ctx.db, ctx.actor, ctx.locality_code)
    if view is None:
        fs.lead_to_setup(ctx)
        st.stop()
    rows = forum_data.list_tasks(ctx.db, ctx.actor, ctx.locality_code)
    st.subheader(ctx.tr("task.plan.title", locality=plain(ctx.locality.name(ctx.lang))))
    st.caption(
        ctx.tr("forum.current_stage", stage=int(view.stage), name=ctx.tr(STAGE_KEYS[view.stage]))
    )
    ts.plan_summary(
        ctx, view.focuses, forum_data.metric_statuses(ctx.db, ctx.actor, ctx.locality_code)
    )
    # Only the open tab's content runs (the tabs rerun the page when switched): the board,
    # the timeline, the lists and the table with its forms are each a page's worth of elements.
    keys = ("task.tab.board", "task.tab.timeline", "task.tab.due", "task.tab.all")
    shown, tab = shown_tab(ctx, keys, "tasks_tabs")  # kept across a save
    with tab:
        match shown:
            case "task.tab.board":
                tw.board(ctx, rows)
            case "task.tab.timeline":
                tw.timeline(ctx, [r for r in rows if r["status"] not in ("done", "cancelled")])
            case "task.tab.due":
                tw.due_lists(ctx, rows)
            case "task.tab.all":
                table = tw.frame(ctx, rows)
                data_table(
                    table, hide_index=True, width="stretch", column_config=date_columns(table)
                )
                download_buttons(table, "tasks", "tasks_all")
                rp.task_panels(
                    ctx,
                    {r["id"]: f"{r['title']} · #{r['id']}" for r in rows},
                    ctx.actor.can_write(Area.FORUM, ctx.locality_code),
                )
                if ctx.actor.can_write(Area.FORUM, ctx.locality_code):
                    people = forum_service.people_of(ctx.db, ctx.actor, ctx.locality_code)
                    with st.expander(ctx.tr("task.edit.title")):
                        tw.edit_form(ctx, rows, people, view.teams, view.focuses)
                    with st.expander(ctx.tr("task.create")):
                        tw.new_task_form(ctx, people, view.teams, view.focuses)
