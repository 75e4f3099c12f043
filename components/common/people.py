"""The people register's UI: search, a person's form (with the likely-duplicate confirmation),
edit and deactivate. One record per person serves the forum, the stakeholder map and mentoring.

Names and other user text go into tables and text widgets, never into Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common.commands import perform
from components.common.form_feedback import FormFeedback, feedback_form, handled
from components.common.localized import choose
from components.common.pickers import pick, pick_term
from components.common.state import Kept
from components.common.tables import data_table
from components.common.text import plain
from components.shell.context import PageContext
from employdash import people, users
from employdash.people import SECTORS
from employdash.users import UserRow

# Whose record the last save wrote, named once by `flash` after the rerun.
SAVED: Kept[str] = Kept("_people_flash")
DELETED: Kept[str] = Kept("_people_deleted_flash")
NEW_ORG = -1  # the organisation picker's "a new organisation" choice


def table(ctx: PageContext, rows: list[people.PersonRow]) -> None:
    frame = pd.DataFrame(
        [
            {
                ctx.tr("people.col.name"): r.full_name,
                ctx.tr("people.col.job_title"): r.job_title or "",
                ctx.tr("people.col.organisation"): r.organisation or "",
                ctx.tr("people.col.email"): r.email or "",
                ctx.tr("people.col.phone"): r.phone or "",
                ctx.tr("people.col.user"): ", ".join(r.users),
                ctx.tr("people.col.active"): r.active,
            }
            for r in rows
        ]
    )
    data_table(frame, hide_index=True, width="stretch")


def person_fields(
    ctx: PageContext,
    key: str,
    current: people.PersonRow | None = None,
    feedback: FormFeedback | None = None,
) -> people.PersonInput:
    """The person's fields (inside a form); an organisation is picked or named new. With
    `feedback`, each field gets its slot for an error message right under it."""
    fb = feedback or FormFeedback()
    orgs = {o.id: o.name for o in people.organisations(ctx.db, ctx.actor, ctx.locality_code)}
    with fb.labelled("full_name", ctx.tr("people.col.name"), mandatory=True) as label:
        full_name = st.text_input(
            label,
            current.full_name if current else "",
            max_chars=160,
            key=f"{key}_name",
        )
    with fb.labelled("job_title", ctx.tr("people.col.job_title")) as label:
        job = st.text_input(
            label,
            (current.job_title or "") if current else "",
            max_chars=160,
            key=f"{key}_job",
        )
    choices = [None, NEW_ORG, *orgs]
    org = st.selectbox(
        ctx.tr("people.col.organisation"),
        choices,
        index=choices.index(current.organisation_id)
        if current and current.organisation_id in orgs
        else 0,
        format_func=lambda i: (
            "—" if i is None else ctx.tr("people.org.new") if i == NEW_ORG else orgs[i]
        ),
        key=f"{key}_org_{ctx.lang}",  # a keyed selectbox keeps the labels it was drawn with
        placeholder=choose(choices),
    )
    left, right = st.columns(2)
    new_org = left.text_input(ctx.tr("people.org.new_name"), max_chars=200, key=f"{key}_org_name")
    with fb.labelled("sector", ctx.tr("people.org.sector")) as label, right:
        sector = pick_term(ctx, label, SECTORS, "sector", key=f"{key}_sector")
    with fb.labelled("email", ctx.tr("people.col.email")) as label:
        email = st.text_input(label, (current.email or "") if current else "", key=f"{key}_email")
    with fb.labelled("phone", ctx.tr("people.col.phone")) as label:
        phone = st.text_input(label, (current.phone or "") if current else "", key=f"{key}_phone")
    return people.PersonInput(
        full_name,
        job,
        email,
        phone,
        org if org not in (None, NEW_ORG) else None,
        new_org if org == NEW_ORG else "",
        sector,
    )


def _duplicate_box(ctx: PageContext, key: str) -> bool:
    """After a likely-duplicate refusal: say so, and let the user confirm a different person."""
    if not st.session_state.get(f"{key}_dup"):
        return False
    st.warning(ctx.tr("people.duplicate"), icon=":material/group:")
    return st.checkbox(ctx.tr("people.duplicate.confirm"), key=f"{key}_dup_ok")


def _saved(
    ctx: PageContext, feedback: FormFeedback, key: str, command: people.PersonChange[int]
) -> bool:
    """Whether the person's form `key` saved; a likely duplicate reruns to ask for the
    confirmation (`_duplicate_box`), any other refusal shows in the form."""
    saved = False
    with handled(feedback):
        try:
            perform(ctx.db, ctx.actor, command)
            saved = True
        except people.LikelyDuplicate:
            st.session_state[f"{key}_dup"] = True
            st.rerun()
    return saved


def create_form(ctx: PageContext, key: str = "person_new") -> None:
    """A new person of the chosen locality (a likely duplicate needs a confirmation).

    After a save the form starts empty for the next person: its widgets get new keys (a
    browser keeps the values of widgets whose state was merely deleted). A refused save keeps
    everything typed and shows the errors at the top and under each field."""
    generation = int(st.session_state.get(f"{key}_gen", 0))
    form_key = f"{key}_{generation}" if generation else key
    with feedback_form(form_key, clear_on_submit=False) as feedback:
        data = person_fields(ctx, form_key, feedback=feedback)
        confirmed = _duplicate_box(ctx, form_key)
        if st.form_submit_button(
            ctx.tr("people.create"), type="primary", icon=":material/person_add:"
        ):
            command = people.CreatePerson.of(ctx.locality_code, data, confirmed)
            if _saved(ctx, feedback, form_key, command):
                for k in [k for k in st.session_state if str(k).startswith(form_key)]:
                    del st.session_state[k]
                st.session_state[f"{key}_gen"] = generation + 1
                SAVED.put(data.full_name)
                st.rerun()


def edit_form(ctx: PageContext, rows: list[people.PersonRow]) -> None:
    if not rows:
        return
    by_id = {r.id: r for r in rows}
    labels = {r.id: f"{r.full_name} · {r.organisation or ''} · #{r.id}" for r in rows}
    pid = pick(ctx.tr("people.pick"), labels, key="person_edit_pick")
    row = by_id[pid]
    key = f"person_edit_{pid}_{row.version}"
    with feedback_form(key) as feedback:
        data = person_fields(ctx, key, row, feedback)
        active = st.checkbox(ctx.tr("people.col.active"), row.active, key=f"{key}_active")
        confirmed = _duplicate_box(ctx, key)
        if st.form_submit_button(ctx.tr("common.save"), type="primary"):
            edit = people.UpdatePerson.of(pid, row.version, data, active, confirmed)
            if _saved(ctx, feedback, key, edit):
                SAVED.put(data.full_name)
                st.rerun()


def delete_form(ctx: PageContext, rows: list[people.PersonRow]) -> None:
    """A person entered by mistake goes to the trash (a manager can restore them for 90 days)."""
    by_id = {r.id: r for r in rows}
    labels = {r.id: f"{r.full_name} · {r.organisation or ''} · #{r.id}" for r in rows}
    pid = pick(ctx.tr("people.pick"), labels, key="person_delete_pick")
    key = f"person_delete_{pid}_{by_id[pid].version}"
    with feedback_form(key) as feedback:
        st.caption(ctx.tr("record.people.delete_note"))
        with feedback.labelled(
            "reason", ctx.tr("record.people.delete_reason"), mandatory=True
        ) as label:
            reason = st.text_input(label, max_chars=300, key=f"{key}_reason")
        if st.form_submit_button(ctx.tr("record.people.delete"), icon=":material/delete:"):
            with handled(feedback):
                perform(ctx.db, ctx.actor, people.DeletePerson.of(pid, by_id[pid].version, reason))
                DELETED.put(by_id[pid].full_name)
                st.rerun()


def flash(ctx: PageContext) -> None:
    name = SAVED.take()
    if name:
        st.success(plain(ctx.tr("people.saved", name=name)), icon=":material/check_circle:")
    gone = DELETED.take()
    if gone:
        st.success(plain(ctx.tr("record.people.deleted", name=gone)), icon=":material/delete:")


def link_account_form(ctx: PageContext, accounts: list[UserRow]) -> None:
    """Users page: link an account to the person it is, picking one or creating them here."""
    by_id = {a["id"]: a for a in accounts}
    if not by_id:
        return
    labels = {i: f"{a['username']} · {a['full_name']}" for i, a in by_id.items()}
    uid = pick(ctx.tr("admin.users.pick"), labels, key="link_pick")
    account = by_id[uid]
    names = {loc.code: loc.name(ctx.lang) for loc in ctx.localities}
    codes = [c for c in account["localities"] if c in names] or list(names)
    code = st.selectbox(
        ctx.tr("admin.users.person_locality"),
        codes,
        format_func=lambda c: names[c],
        key=f"link_loc_{uid}",
        placeholder=choose(codes),
    )
    found = people.search_people(ctx.db, ctx.actor, code)
    choices = {p.id: f"{p.full_name} · {p.organisation or ''}" for p in found}
    current = account.get("person_id")
    with feedback_form(f"link_{uid}_{account['version']}") as feedback:
        options = [None, NEW_ORG, *choices]
        with feedback.labelled("person", ctx.tr("admin.users.person")) as label:
            person = st.selectbox(
                label,
                options,
                index=options.index(current) if current in choices else 0,
                format_func=lambda i: (
                    "—"
                    if i is None
                    else ctx.tr("admin.users.person_new")
                    if i == NEW_ORG
                    else choices[i]
                ),
                placeholder=choose(options),
            )
        with feedback.labelled("full_name", ctx.tr("admin.users.person_new_name")) as label:
            new_name = st.text_input(label, account["full_name"], max_chars=160)
        with feedback.labelled("job_title", ctx.tr("people.col.job_title")) as label:
            new_job = st.text_input(label, max_chars=160)
        if st.form_submit_button(
            ctx.tr("admin.users.link"), type="primary", icon=":material/link:"
        ):
            saved = False
            with handled(feedback):
                if person == NEW_ORG:
                    details = people.PersonInput(new_name, new_job, account.get("email") or "")
                    person = perform(ctx.db, ctx.actor, people.CreatePerson.of(code, details))
                link = users.LinkPerson.of(uid, account["version"], person)
                perform(ctx.db, ctx.actor, link)
                saved = True
            if saved:
                SAVED.put(account["username"])
                st.rerun()
