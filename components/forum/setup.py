"""Setting the forum up in the UI: the empty state that creates the forum (or says whom to ask),
the forum's name, its teams (kind, name, lead, focus; renamed or deactivated) and the fixed
vocabulary of forum roles.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import FormFeedback, feedback_form, handled
from components.common.localized import choose
from components.common.pickers import pick, pick_or_none, pick_term
from components.common.state import Kept
from components.forum.forms import form_key, leave_flash, renew, show_flash
from components.shell.context import PageContext
from employdash.access import Area
from employdash.forum import setup as setup_service
from employdash.forum import structure as forum_service
from employdash.forum.structure import Overview
from employdash.forum.vocabulary import FORUM_ROLES, TEAM_KINDS

FLASH: Kept[str] = Kept("_setup_flash")


def role_label(ctx: PageContext, role: str | None) -> str:
    """A role of the fixed vocabulary in the reader's language; older free text as written."""
    if not role:
        return ""
    return ctx.tr(f"forum.role.{role}") if role in FORUM_ROLES else role


def flash(ctx: PageContext) -> None:
    show_flash(ctx, FLASH)


def _done(key: str) -> None:
    leave_flash(FLASH, key)


def no_forum(ctx: PageContext) -> None:
    """The empty state: a user who may set the forum up gets the form; others are told whom to
    ask."""
    if not ctx.actor.can_write(Area.FORUM, ctx.locality_code):
        st.info(ctx.tr("forum.none.readonly"), icon=":material/groups:")
        return
    st.info(ctx.tr("forum.none.setup"), icon=":material/groups:")
    with feedback_form("forum_create") as feedback:
        with feedback.labelled("name", ctx.tr("forum.setup.name"), mandatory=True) as label:
            name = st.text_input(
                label,
                ctx.tr("forum.setup.default_name", locality=ctx.locality.name(ctx.lang))
                if ctx.locality
                else "",
                max_chars=200,
            )
        with feedback.labelled(
            "started_on", ctx.tr("forum.setup.started_on"), mandatory=True
        ) as label:
            started = st.date_input(label, date.today(), format="DD/MM/YYYY")
        with feedback.labelled("stage", ctx.tr("forum.setup.stage"), mandatory=True) as label:
            stage = st.selectbox(
                label,
                (1, 2, 3),
                format_func=lambda n: f"{n}. {ctx.tr(f'forum.stage.{n}')}",
                placeholder=choose(),
            )
        if st.form_submit_button(
            ctx.tr("forum.setup.create"), type="primary", icon=":material/add:"
        ):
            with handled(feedback):
                command = setup_service.CreateForum(ctx.locality_code, name, started, stage)
                perform(ctx.db, ctx.actor, command)
                _done("forum.setup.created")


def team_label(ctx: PageContext, kind: str, name: str) -> str:
    """A team as the forum's pages name it: its kind, then its name."""
    return f"{ctx.tr('forum.kind.' + kind)}: {name}"


def setup_tab(ctx: PageContext, view: Overview) -> None:
    """Editors: the forum's name, a new team, and a team renamed, re-led or deactivated."""
    people = {
        p["id"]: p["full_name"]
        for p in forum_service.people_of(ctx.db, ctx.actor, ctx.locality_code)
    }
    focuses = {f["id"]: f["title"] for f in view.focuses}
    if not people:
        st.info(ctx.tr("forum.setup.no_people"), icon=":material/contacts:")
        st.page_link("pages/people.py", label=ctx.tr("page.people"), icon=":material/contacts:")
    with st.form(form_key("team_new")):
        st.markdown(f"**{ctx.tr('forum.setup.team_new')}**")
        feedback = FormFeedback()
        feedback.note()
        with feedback.labelled("name", ctx.tr("forum.setup.team_name"), mandatory=True) as label:
            name = st.text_input(label, max_chars=200)
        with feedback.labelled("kind", ctx.tr("forum.setup.kind"), mandatory=True) as label:
            kind = pick_term(ctx, label, TEAM_KINDS, "forum.kind")
        with feedback.labelled("lead", ctx.tr("forum.setup.lead")) as label:
            lead = pick_or_none(label, people)
        st.caption(ctx.tr("forum.setup.lead_seated"))
        with feedback.labelled("focus", ctx.tr("forum.col.focus")) as label:
            focus = pick_or_none(label, focuses)
        if st.form_submit_button(ctx.tr("forum.setup.team_create"), icon=":material/group_add:"):
            with handled(feedback):
                command = setup_service.CreateTeam.of(ctx.locality_code, kind, name, lead, focus)
                perform(ctx.db, ctx.actor, command)
                renew("team_new")
                _done("forum.setup.team_created")
    teams = {t.id: t for t in setup_service.list_teams(ctx.db, ctx.actor, ctx.locality_code)}
    if teams:
        inactive = f" ({ctx.tr('forum.setup.inactive')})"
        labels = {
            i: team_label(ctx, t.kind, t.name) + ("" if t.active else inactive)
            for i, t in teams.items()
        }
        with st.expander(ctx.tr("forum.setup.team_edit"), icon=":material/edit:"):
            tid = pick(ctx.tr("forum.col.team"), labels, key="team_edit_pick")
            team = teams[tid]
            with feedback_form(f"team_edit_{tid}_{team.version}") as feedback:
                with feedback.labelled(
                    "name", ctx.tr("forum.setup.team_name"), mandatory=True
                ) as label:
                    name = st.text_input(label, team.name, max_chars=200)
                lead = pick_or_none(ctx.tr("forum.setup.lead"), people, team.lead_person_id)
                st.caption(ctx.tr("forum.setup.lead_seated"))
                focus = pick_or_none(ctx.tr("forum.col.focus"), focuses, team.focus_id)
                active = st.checkbox(ctx.tr("forum.setup.active"), team.active)
                if st.form_submit_button(ctx.tr("common.save"), type="primary"):
                    with handled(feedback):
                        values = {
                            "name": name,
                            "lead_person_id": lead,
                            "focus_id": focus,
                            "active": active,
                        }
                        perform(
                            ctx.db,
                            ctx.actor,
                            setup_service.UpdateTeam.of(tid, team.version, values),
                        )
                        _done("common.saved")
    with st.expander(ctx.tr("forum.setup.rename"), icon=":material/edit:"):
        version = setup_service.forum_version(ctx.db, ctx.actor, ctx.locality_code)
        with feedback_form(f"forum_rename_{version}") as feedback:
            with feedback.labelled("name", ctx.tr("forum.setup.name"), mandatory=True) as label:
                name = st.text_input(label, view.name, max_chars=200)
            if st.form_submit_button(ctx.tr("common.save")):
                with handled(feedback):
                    rename = setup_service.RenameForum.of(view.forum_id, version, name)
                    perform(ctx.db, ctx.actor, rename)
                    _done("common.saved")


def lead_to_setup(ctx: PageContext, no_teams: bool = False) -> None:
    """The empty state of the forum's other pages: where the forum is set up, or whom to ask.
    `no_teams`: the forum exists but has no team yet (a meeting is a team's meeting)."""
    if ctx.actor.can_write(Area.FORUM, ctx.locality_code):
        st.info(
            ctx.tr("forum.none.go_teams" if no_teams else "forum.none.go_setup"),
            icon=":material/groups:",
        )
        st.page_link("pages/forum.py", label=ctx.tr("page.forum"), icon=":material/groups:")
    else:
        st.info(
            ctx.tr("forum.none.teams_readonly" if no_teams else "forum.none.readonly"),
            icon=":material/groups:",
        )


def unlinked_account(ctx: PageContext) -> None:
    """A member whose account is not yet linked to a person sees no tasks: say whom to ask."""
    st.info(ctx.tr("task.my.unlinked"), icon=":material/link_off:")
