"""The register tab: the stakeholder table, and the forms to add, edit or remove a stakeholder."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.common.commands import perform
from components.common.downloads import download_buttons
from components.common.form_feedback import FormFeedback, handled, required
from components.common.localized import choose
from components.shell.context import PageContext
from components.stakeholders.page import STAKE_FLASH
from employdash.i18n import fmt_date, plural
from employdash.stakeholders import register as stakeholders
from employdash.stakeholders.register import (
    CreateStakeholder,
    DeleteStakeholder,
    Options,
    StakeholderInput,
    UpdateStakeholder,
)
from employdash.stakeholders.vocabulary import ENGAGEMENTS, SECTORS, STANCES

NEW = -1
ADD_ROUND = "_stake_add_round"


def _table(ctx: PageContext, frame: pd.DataFrame) -> pd.DataFrame:
    tr = ctx.tr
    return pd.DataFrame(
        {
            tr("stake.col.organisation"): frame.organisation,
            tr("stake.col.person"): frame.person.fillna(""),
            tr("stake.col.sector"): [tr(f"sector.{s}") for s in frame.sector],
            tr("stake.col.role"): frame.role.fillna(""),
            tr("stake.col.power"): frame.power,
            tr("stake.col.interest"): frame.interest,
            tr("stake.col.quadrant"): frame.quadrant,
            tr("stake.col.stance"): [tr(f"stake.stance.{s}") for s in frame.stance],
            tr("stake.col.engagement"): [tr(f"stake.engagement.{s}") for s in frame.engagement],
            tr("stake.col.owner"): frame.owner.fillna(""),
            tr("stake.col.last_contact"): [
                fmt_date(d, ctx.lang) if isinstance(d, date) else "" for d in frame.last_contact
            ],
            tr("stake.col.notes"): frame.notes.fillna(""),
        }
    )


def _slot(where: DeltaGenerator, feedback: FormFeedback, name: str, label: str) -> None:
    """The error slot of field `name`, right under its widget in the same column."""
    with where:
        feedback.field(name, label)


def _fields(
    ctx: PageContext,
    opts: Options,
    key: str,
    current: dict[str, Any] | None,
    feedback: FormFeedback,
) -> StakeholderInput:
    """The form's widgets; `current` pre-fills them when editing. Field errors appear under
    their widgets through `feedback`."""
    tr, cur = ctx.tr, current or {}
    feedback.note()
    org_names = {o.id: o.name for o in opts.organisations}
    org_ids = ([] if current else [NEW]) + list(org_names)
    c1, c2 = st.columns(2)
    org_id = c1.selectbox(
        required(tr("stake.col.organisation")),
        org_ids,
        key=f"{key}_org_{ctx.lang}",
        index=org_ids.index(cur["organisation_id"]) if current else 0,
        format_func=lambda i: tr("stake.form.new_org") if i == NEW else org_names[i],
        placeholder=choose(org_ids),
    )
    _slot(c1, feedback, "organisation_id", tr("stake.col.organisation"))
    new_org = (
        None if current else c2.text_input(tr("stake.form.new_org_name"), key=f"{key}_new_org")
    )
    if not current:
        _slot(c2, feedback, "new_organisation", tr("stake.form.new_org_name"))
    people = {p.id: p.name for p in opts.people}
    person_ids = [None, *people]
    person = c1.selectbox(
        tr("stake.col.person"),
        person_ids,
        key=f"{key}_person",
        index=person_ids.index(cur.get("person_id")) if cur.get("person_id") in person_ids else 0,
        format_func=lambda i: "—" if i is None else people[i],
        placeholder=choose(person_ids),
    )
    sector = c2.selectbox(
        tr("stake.col.sector"),
        SECTORS,
        key=f"{key}_sector_{ctx.lang}",
        index=SECTORS.index(cur.get("sector", "municipality")),
        format_func=lambda s: tr(f"sector.{s}"),
        placeholder=choose(SECTORS),
    )
    role = c1.text_input(tr("stake.col.role"), value=cur.get("role") or "", key=f"{key}_role")
    _slot(c1, feedback, "role", tr("stake.col.role"))
    owner = c2.selectbox(
        tr("stake.col.owner"),
        person_ids,
        key=f"{key}_owner",
        index=person_ids.index(cur.get("owner_person_id"))
        if cur.get("owner_person_id") in person_ids
        else 0,
        format_func=lambda i: "—" if i is None else people[i],
        placeholder=choose(person_ids),
    )
    power = c1.slider(tr("stake.col.power"), 1, 5, int(cur.get("power", 3)), key=f"{key}_power")
    interest = c2.slider(
        tr("stake.col.interest"), 1, 5, int(cur.get("interest", 3)), key=f"{key}_interest"
    )
    stance = c1.selectbox(
        tr("stake.col.stance"),
        STANCES,
        key=f"{key}_stance_{ctx.lang}",
        index=STANCES.index(cur.get("stance", "neutral")),
        format_func=lambda s: tr(f"stake.stance.{s}"),
        placeholder=choose(STANCES),
    )
    engagement = c2.selectbox(
        tr("stake.col.engagement"),
        ENGAGEMENTS,
        key=f"{key}_eng_{ctx.lang}",
        index=ENGAGEMENTS.index(cur.get("engagement", "not_contacted")),
        format_func=lambda s: tr(f"stake.engagement.{s}"),
        placeholder=choose(ENGAGEMENTS),
    )
    last = c1.date_input(
        tr("stake.col.last_contact"),
        value=cur.get("last_contact"),
        max_value=date.today(),
        key=f"{key}_last",
        format="DD/MM/YYYY",
    )
    _slot(c1, feedback, "last_contact", tr("stake.col.last_contact"))
    with feedback.labelled("notes", tr("stake.col.notes")) as label:
        notes = st.text_area(label, value=cur.get("notes") or "", key=f"{key}_notes")
    return StakeholderInput(
        organisation_id=None if org_id == NEW else org_id,
        new_organisation=new_org or None,
        person_id=person,
        sector=sector,
        role=role,
        power=power,
        interest=interest,
        stance=stance,
        engagement=engagement,
        owner_person_id=owner,
        notes=notes,
        last_contact=last,
    )


def _add(ctx: PageContext, code: int, opts: Options) -> None:
    with (
        st.expander(ctx.tr("stake.form.add"), icon=":material/person_add:"),
        st.form("stake_add", clear_on_submit=False),
    ):
        feedback = FormFeedback()
        # A saved form's widgets get new keys (a new round), so the browser draws them empty;
        # a refused one keeps its keys and everything typed.
        rounds = st.session_state.get(ADD_ROUND, 0)
        data = _fields(
            ctx, opts, "stake_add" if not rounds else f"stake_add{rounds}", None, feedback
        )
        if st.form_submit_button(ctx.tr("stake.form.submit"), type="primary"):
            with handled(feedback):
                perform(ctx.db, ctx.actor, CreateStakeholder.of(code, data))
                STAKE_FLASH.put(ctx.tr("stake.form.created"))
                st.session_state[ADD_ROUND] = rounds + 1
                st.rerun()


def _edit(ctx: PageContext, frame: pd.DataFrame, opts: Options) -> None:
    names = dict(
        zip(
            frame.id,
            frame.organisation + frame.person.fillna("").map(lambda p: f" – {p}" if p else ""),
            strict=True,
        )
    )
    with st.expander(ctx.tr("stake.form.edit"), icon=":material/edit:"):
        chosen = st.selectbox(
            ctx.tr("stake.form.pick"),
            list(names),
            key="stake_edit_pick",
            format_func=lambda i: names[i],
            placeholder=choose(),
        )
        row = frame[frame.id == chosen].iloc[0]
        current: dict[str, Any] = {
            k: (None if pd.isna(row[k]) else row[k]) for k in stakeholders.EDITABLE
        }
        for k in ("person_id", "owner_person_id"):
            current[k] = None if current[k] is None else int(current[k])
        with st.form(f"stake_edit_{chosen}_{row.version}"):
            feedback = FormFeedback()
            data = _fields(ctx, opts, f"stake_edit_{chosen}_{row.version}", current, feedback)
            save, remove = st.columns(2)
            if save.form_submit_button(ctx.tr("common.save"), type="primary"):
                changes = {k: getattr(data, k) for k in stakeholders.EDITABLE}
                with handled(feedback):
                    command = UpdateStakeholder.of(int(chosen), int(row.version), changes)
                    perform(ctx.db, ctx.actor, command)
                    STAKE_FLASH.put(ctx.tr("common.saved"))
                    st.rerun()
            if remove.form_submit_button(ctx.tr("stake.form.delete")):
                with handled(feedback):
                    perform(ctx.db, ctx.actor, DeleteStakeholder.of(int(chosen), int(row.version)))
                    STAKE_FLASH.put(ctx.tr("stake.form.deleted"))
                    st.rerun()


def section(ctx: PageContext, code: int, can_edit: bool) -> None:
    frame = stakeholders.register(ctx.db, ctx.actor, code)
    st.caption(plural(len(frame), "stake.register.count", ctx.lang))
    table = _table(ctx, frame)
    st.dataframe(table, hide_index=True, width="stretch")
    download_buttons(table, f"stakeholders-{code}", "stake_register")
    if not can_edit:
        return
    opts = stakeholders.options(ctx.db, ctx.actor, code)
    _add(ctx, code, opts)
    if len(frame):
        _edit(ctx, frame, opts)
