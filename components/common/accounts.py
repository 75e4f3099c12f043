"""The Users page's account forms: an account's fields, and adding an account together with the
person it is (new, or picked from the register) in one form and one save.

The add form saves in its submit button's callback, before the page is drawn again: a save
clears the whole form for the next user, and every try (saved or refused) empties the password,
by giving the widgets new keys (a browser keeps the value of a widget whose state was merely
deleted). A refused save keeps everything else and shows its errors at the top and under each
field.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import FormFeedback, feedback_form
from components.common.localized import choose, choose_many
from components.common.pickers import pick_term
from components.common.state import Kept
from components.common.text import plain
from components.shell.context import PageContext
from components.shell.feedback import show_error
from employdash import people, users
from employdash.access import ROLES
from employdash.errors import DomainError, ValidationError

NEW_PERSON, NO_PERSON = -1, 0  # the person picker's choices besides the register's people
K = "new_account"  # session-state prefix of the add form
# The account just added and the locality its person record was made in, shown once.
CREATED: Kept[tuple[str, str | None]] = Kept(f"{K}_flash")


def user_fields(
    ctx: PageContext,
    prefix: str,
    current_user: dict[str, Any] | None = None,
    feedback: FormFeedback | None = None,
) -> users.UserForm:
    """An account's name, email, role and localities (inside a form); the username and password
    are the add form's own."""
    names = names_of(ctx)
    fb = feedback or FormFeedback()
    with fb.labelled("full_name", ctx.tr("admin.users.full_name"), mandatory=True) as label:
        full_name = st.text_input(
            label,
            value=(current_user or {}).get("full_name", ""),
            key=f"{prefix}_name",
        )
    with fb.labelled("email", ctx.tr("admin.users.email")) as label:
        email = st.text_input(
            label,
            value=(current_user or {}).get("email") or "",
            key=f"{prefix}_email",
        )
    with fb.labelled("role", ctx.tr("admin.users.role")) as label:
        current_role = (current_user or {}).get("role", "member")
        role = pick_term(ctx, label, ROLES, "role", current=current_role, key=f"{prefix}_role")
    with fb.labelled("localities", ctx.tr("admin.users.localities")) as label:
        scope = st.multiselect(
            label,
            list(names),
            default=[c for c in (current_user or {}).get("localities", []) if c in names],
            format_func=lambda c: names[c],
            key=f"{prefix}_scope_{ctx.lang}",
            placeholder=choose_many(names),
            help=ctx.tr("portfolio.users.scope_help"),
        )
    return users.UserForm(
        (current_user or {}).get("username", ""), full_name, role, tuple(scope), email or None
    )


def names_of(ctx: PageContext) -> dict[int, str]:
    return {loc.code: loc.name(ctx.lang) for loc in ctx.localities}


def _keys(generation: int, tries: int) -> dict[str, str]:
    """This draw's widget keys: all new after a save, the password's new after every try."""
    form = f"{K}_{generation}"
    return {"form": form, "username": f"{form}_username", "password": f"{form}_pw_{tries}"}


def create_account_form(ctx: PageContext) -> None:
    """Add a user, and with them the person they are: a new person of a chosen locality (the
    default: a forum member who logs in), one already in the register, or none."""
    ss = st.session_state
    generation, tries = int(ss.get(f"{K}_gen", 0)), int(ss.get(f"{K}_tries", 0))
    keys = _keys(generation, tries)
    names = names_of(ctx)
    if not names:
        return
    codes = list(names)
    code: int = (
        st.selectbox(
            ctx.tr("admin.users.person_locality"),
            codes,
            index=codes.index(ctx.locality_code) if ctx.locality_code in names else 0,
            format_func=lambda c: names[c],
            key=f"{keys['form']}_locality_{ctx.locality_code}",  # follows the sidebar's locality
            placeholder=choose(codes),
        )
        or codes[0]
    )
    unlinked = {
        p.id: f"{p.full_name} · {p.organisation or '—'}"
        for p in people.search_people(ctx.db, ctx.actor, code)
        if not p.users
    }
    with feedback_form(keys["form"], clear_on_submit=False) as feedback:
        with feedback.labelled("username", ctx.tr("admin.users.username"), mandatory=True) as label:
            st.text_input(label, key=keys["username"])
        user_fields(ctx, keys["form"], feedback=feedback)
        with feedback.labelled("password", ctx.tr("admin.users.password"), mandatory=True) as label:
            st.text_input(label, type="password", key=keys["password"])
        choices = [NEW_PERSON, NO_PERSON, *unlinked]
        with feedback.labelled("person", ctx.tr("admin.users.person")) as label:
            st.selectbox(
                label,
                choices,
                format_func=lambda i: (
                    ctx.tr("admin.users.person_new")
                    if i == NEW_PERSON
                    else ctx.tr("admin.users.person_none")
                    if i == NO_PERSON
                    else unlinked[i]
                ),
                key=f"{keys['form']}_person_{code}_{ctx.lang}",
                help=ctx.tr("admin.users.person_help"),
                placeholder=choose(choices),
            )
        left, right = st.columns(2)
        with left, feedback.labelled("job_title", ctx.tr("people.col.job_title")) as label:
            st.text_input(label, max_chars=160, key=f"{keys['form']}_job")
        with right, feedback.labelled("phone", ctx.tr("people.col.phone")) as label:
            st.text_input(label, key=f"{keys['form']}_phone")
        if ss.get(f"{keys['form']}_dup"):
            st.checkbox(ctx.tr("people.duplicate.confirm"), key=f"{keys['form']}_dup_ok")
        st.form_submit_button(
            ctx.tr("common.save"),
            type="primary",
            icon=":material/person_add:",
            on_click=_save,
            args=(ctx, code, keys),
        )
    refused = ss.pop(f"{K}_refused", None)
    if isinstance(refused, ValidationError):
        feedback.show(refused)
    elif isinstance(refused, DomainError):
        show_error(refused)


def _save(ctx: PageContext, code: int, keys: dict[str, str]) -> None:
    """The add form's submit (run before the page is drawn again; values read from the state)."""
    ss = st.session_state
    form, lang = keys["form"], ctx.lang
    person = ss.get(f"{form}_person_{code}_{lang}", NEW_PERSON)
    account = users.UserForm(
        (ss.get(keys["username"]) or "").strip().lower(),
        ss.get(f"{form}_name") or "",
        ss.get(f"{form}_role_{lang}") or "member",
        tuple(ss.get(f"{form}_scope_{lang}") or ()),
        (ss.get(f"{form}_email") or "").strip() or None,
        ss.get(keys["password"]) or "",
        person_id=person if person not in (NEW_PERSON, NO_PERSON) else None,
    )
    ss.pop(keys["password"], None)  # never kept: the next draw has a new, empty password field
    ss[f"{K}_tries"] = int(ss.get(f"{K}_tries", 0)) + 1
    try:
        if person == NEW_PERSON:
            details = people.PersonInput(
                account.full_name,
                ss.get(f"{form}_job") or "",
                account.email or "",
                ss.get(f"{form}_phone") or "",
            )
            allow = bool(ss.get(f"{form}_dup_ok"))
            perform(
                ctx.db,
                ctx.actor,
                users.CreateUserWithPerson.of(account, code, details, allow_duplicate=allow),
            )
        else:
            perform(ctx.db, ctx.actor, users.CreateUser.of(account))
    except people.LikelyDuplicate:  # said at the person picker, where the choice is made
        ss[f"{form}_dup"] = True
        ss[f"{K}_refused"] = ValidationError({"person": "admin.users.person_duplicate"})
        return
    except DomainError as exc:
        ss[f"{K}_refused"] = exc
        return
    for key in [k for k in ss if str(k).startswith(form)]:
        del ss[key]
    ss[f"{K}_gen"] = int(ss.get(f"{K}_gen", 0)) + 1
    CREATED.put((account.username, names_of(ctx).get(code) if person == NEW_PERSON else None))


def created_notice(ctx: PageContext) -> None:
    """Once, after an account was added: who, and where their person record was made."""
    done = CREATED.take()
    if not done:
        return
    username, locality = done
    key = "admin.users.created_with_person" if locality else "admin.users.created"
    st.success(
        plain(ctx.tr(key, username=username, locality=locality or "")),
        icon=":material/check_circle:",
    )


def reset_password_form(ctx: PageContext, user_id: int) -> None:
    """A new password for an account. Saved in the submit's callback, so the field is a new,
    empty one on the next draw whether the password was taken or refused."""
    ss = st.session_state
    key = f"reset_pw_{int(ss.get('reset_tries', 0))}"
    with feedback_form("reset_password") as feedback:
        with feedback.labelled(
            "password", ctx.tr("admin.users.new_password"), mandatory=True
        ) as label:
            st.text_input(label, type="password", key=key)
        st.form_submit_button(ctx.tr("common.save"), on_click=_reset, args=(ctx, user_id, key))
    outcome = ss.pop("_reset_outcome", None)
    if isinstance(outcome, ValidationError):
        feedback.show(outcome)
    elif isinstance(outcome, DomainError):
        show_error(outcome)
    elif outcome:
        st.success(ctx.tr("admin.users.password_reset"))


def _reset(ctx: PageContext, user_id: int, key: str) -> None:
    ss = st.session_state
    password = ss.pop(key, None) or ""
    ss["reset_tries"] = int(ss.get("reset_tries", 0)) + 1
    try:
        perform(ctx.db, ctx.actor, users.ResetPassword.of(user_id, password))
    except DomainError as exc:
        ss["_reset_outcome"] = exc
        return
    ss["_reset_outcome"] = True
