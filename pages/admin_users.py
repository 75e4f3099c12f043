"""Administration of users: add, deactivate, reset a password, set role and locality scope."""

import pandas as pd
import streamlit as st

from components.common import people as pw
from components.common.form_feedback import FormFeedback, drawn_with, handled, required
from components.common.localized import choose, choose_many
from components.common.text import plain
from components.shell.context import current
from components.shell.feedback import guarded
from employdash import users
from employdash.access import ROLES
from employdash.errors import StaleVersion

ctx = current()
st.header(ctx.tr("admin.users.title"))
names = {loc.code: loc.name(ctx.lang) for loc in ctx.localities}


def _scope_label(codes: list[int], role: str) -> str:
    if role == "admin":
        return ctx.tr("admin.users.all_localities")
    return ", ".join(names.get(c, str(c)) for c in codes)


def _user_fields(
    prefix: str, current_user: dict | None = None, feedback: FormFeedback | None = None
) -> users.UserForm:
    full_name = st.text_input(
        required(ctx.tr("admin.users.full_name")),
        value=(current_user or {}).get("full_name", ""),
        key=f"{prefix}_name",
    )
    if feedback:
        feedback.field("full_name", ctx.tr("admin.users.full_name"))
    email = st.text_input(
        ctx.tr("admin.users.email"),
        value=(current_user or {}).get("email") or "",
        key=f"{prefix}_email",
    )
    role = st.selectbox(
        ctx.tr("admin.users.role"),
        ROLES,
        format_func=lambda r: ctx.tr(f"role.{r}"),
        index=ROLES.index((current_user or {}).get("role", "member")),
        key=f"{prefix}_role_{ctx.lang}",  # keyed choices keep the labels they were drawn with
        placeholder=choose(ROLES),
    )
    if feedback:
        feedback.field("role", ctx.tr("admin.users.role"))
    scope = st.multiselect(
        ctx.tr("admin.users.localities"),
        list(names),
        default=[c for c in (current_user or {}).get("localities", []) if c in names],
        format_func=names.get,
        key=f"{prefix}_scope_{ctx.lang}",
        placeholder=choose_many(),
    )
    if feedback:
        feedback.field("localities", ctx.tr("admin.users.localities"))
    return users.UserForm(
        (current_user or {}).get("username", ""), full_name, role, tuple(scope), email or None
    )


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
    st.dataframe(table, hide_index=True, width="stretch")

    # The confirmation sits in a container drawn on every run, and the tabs are keyed: a
    # confirmation appearing or going must not move the tabs (a moved, unkeyed tab bar opens
    # its first tab again, in the middle of the admin's work).
    with st.container():
        pw.flash(ctx)
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
    with create, st.form("create_user", clear_on_submit=False):
        feedback = FormFeedback()
        feedback.note()
        username = st.text_input(required(ctx.tr("admin.users.username")), key="new_username")
        feedback.field("username", ctx.tr("admin.users.username"))
        form = _user_fields("new", feedback=feedback)
        password = st.text_input(
            required(ctx.tr("admin.users.password")), type="password", key="new_pw"
        )
        feedback.field("password", ctx.tr("admin.users.password"))
        if st.form_submit_button(ctx.tr("common.save")):
            with handled(feedback):
                users.create_user(
                    ctx.db,
                    ctx.actor,
                    users.UserForm(
                        username.strip().lower(),
                        form.full_name,
                        form.role,
                        form.localities,
                        form.email,
                        password,
                    ),
                )
                st.success(ctx.tr("admin.users.created", username=plain(username)))

    by_id = {r["id"]: r for r in rows}
    with edit:
        chosen = st.selectbox(
            ctx.tr("admin.users.pick"),
            list(by_id),
            format_func=lambda i: by_id[i]["username"],
            key="edit_pick",
            placeholder=choose(),
        )
        seen_key = f"edit_user_seen_{chosen}"
        seen = drawn_with(seen_key, lambda: by_id[chosen]["version"])
        with st.form("edit_user"):
            edit_feedback = FormFeedback()
            edit_feedback.note()
            form = _user_fields(f"edit_{chosen}", by_id[chosen], edit_feedback)
            active = st.checkbox(
                ctx.tr("admin.users.active"),
                value=by_id[chosen]["active"],
                key=f"edit_{chosen}_active",
            )
            if st.form_submit_button(ctx.tr("common.save")):
                with handled(edit_feedback):
                    try:
                        users.update_user(ctx.db, ctx.actor, chosen, form, active, version=seen)
                    except StaleVersion:  # shown as a refusal; the next draw starts from now
                        del st.session_state[seen_key]
                        raise
                    del st.session_state[seen_key]
                    st.success(ctx.tr("admin.users.updated"))
    with link:
        pw.link_account_form(ctx, rows)
    with reset:
        chosen_reset = st.selectbox(
            ctx.tr("admin.users.pick"),
            list(by_id),
            format_func=lambda i: by_id[i]["username"],
            key="reset_pick",
            placeholder=choose(),
        )
        with st.form("reset_password"):
            reset_feedback = FormFeedback()
            reset_feedback.note()
            new_password = st.text_input(
                required(ctx.tr("admin.users.new_password")), type="password", key="reset_pw"
            )
            reset_feedback.field("password", ctx.tr("admin.users.new_password"))
            if st.form_submit_button(ctx.tr("common.save")):
                with handled(reset_feedback):
                    users.reset_password(ctx.db, ctx.actor, chosen_reset, new_password)
                    st.success(ctx.tr("admin.users.password_reset"))
