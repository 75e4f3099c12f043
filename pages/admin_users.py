"""Administration of users: add, deactivate, reset a password, set role and locality scope."""

import pandas as pd
import streamlit as st

from components.common import accounts
from components.common import people as pw
from components.common.commands import perform
from components.common.form_feedback import drawn_with, feedback_form, handled
from components.common.localized import choose
from components.common.tables import data_table
from components.shell.context import current
from components.shell.feedback import guarded
from employdash import users
from employdash.access import sees_every_locality
from employdash.errors import StaleVersion

ctx = current()
st.header(ctx.tr("admin.users.title"))
names = {loc.code: loc.name(ctx.lang) for loc in ctx.localities}


def _scope_label(codes: list[int], role: str) -> str:
    if sees_every_locality(role, codes):
        return ctx.tr(
            "admin.users.all_localities" if role == "admin" else "portfolio.users.all_localities"
        )
    return ", ".join(names.get(c, str(c)) for c in codes)


with guarded():
    rows = users.list_users(ctx.db, ctx.actor)
    table = pd.DataFrame(
        {
            ctx.tr("admin.users.username"): [r["username"] for r in rows],
            ctx.tr("admin.users.full_name"): [r["full_name"] for r in rows],
            ctx.tr("admin.users.role"): [ctx.tr(f"role.{r['role']}") for r in rows],
            ctx.tr("admin.users.active"): [r["active"] for r in rows],
            ctx.tr("admin.users.localities"): [
                _scope_label(r["localities"], r["role"]) for r in rows
            ],
            ctx.tr("admin.users.person"): [
                ctx.tr("admin.users.linked") if r["person_id"] else "—" for r in rows
            ],
        }
    )
    st.subheader(ctx.tr("admin.users.list"))
    data_table(table, hide_index=True, width="stretch")

    # The confirmation sits in a container drawn on every run, and the tabs are keyed: a
    # confirmation appearing or going must not move the tabs (a moved, unkeyed tab bar opens
    # its first tab again, in the middle of the admin's work).
    with st.container():
        pw.flash(ctx)
        accounts.created_notice(ctx)
    create, edit, link, reset = st.tabs(
        [
            ctx.tr("admin.users.create"),
            ctx.tr("admin.users.edit"),
            ctx.tr("admin.users.link_tab"),
            ctx.tr("admin.users.reset"),
        ],
        key=f"users_tabs_{ctx.lang}",  # labels change with the language: a widget per language
        on_change="rerun",
    )
    with create:
        accounts.create_account_form(ctx)

    by_id = {r["id"]: r for r in rows}

    def pick_user(key: str) -> int:
        """An account picked by its username (the edit and reset tabs each keep their own)."""
        return st.selectbox(
            ctx.tr("admin.users.pick"),
            list(by_id),
            format_func=lambda i: by_id[i]["username"],
            key=key,
            placeholder=choose(),
        )

    with edit:
        chosen = pick_user("edit_pick")
        seen_key = f"edit_user_seen_{chosen}"
        seen = drawn_with(seen_key, lambda: by_id[chosen]["version"])
        with feedback_form("edit_user") as edit_feedback:
            form = accounts.user_fields(ctx, f"edit_{chosen}", dict(by_id[chosen]), edit_feedback)
            active = st.checkbox(
                ctx.tr("admin.users.active"),
                value=by_id[chosen]["active"],
                key=f"edit_{chosen}_active",
            )
            if st.form_submit_button(ctx.tr("common.save")):
                with handled(edit_feedback):
                    try:
                        command = users.UpdateUser.of(chosen, seen, form, active)
                        perform(ctx.db, ctx.actor, command)
                    except StaleVersion:  # shown as a refusal; the next draw starts from now
                        del st.session_state[seen_key]
                        raise
                    del st.session_state[seen_key]
                    st.success(ctx.tr("admin.users.updated"))
    with link:
        pw.link_account_form(ctx, rows)
    with reset:
        chosen_reset = pick_user("reset_pick")
        accounts.reset_password_form(ctx, chosen_reset)
