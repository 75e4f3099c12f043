"""The register tab: the stakeholder table, and the forms to add, edit or remove a stakeholder."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.common.commands import perform
from components.common.downloads import download_buttons
from components.common.form_feedback import FormFeedback, handled
from components.common.pickers import named, pick
from components.common.tables import data_table
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
    orgs = {o.id: o.name for o in opts.organisations}
    if not current:
        orgs = {NEW: tr("stake.form.new_org"), **orgs}
    people: dict[int | None, str] = {None: "—", **{p.id: p.name for p in opts.people}}

    def coded(
        where: DeltaGenerator, field: str, codes: tuple[str, ...], prefix: str, new: str
    ) -> str:
        """A vocabulary field, on its current code (a new stakeholder's: `new`)."""
        value: str = cur.get(field, new)
        with where:
            return pick(
                tr(f"stake.col.{field}"), named(codes, prefix), f"{key}_{field}_{ctx.lang}", value
            )

    c1, c2 = st.columns(2)
    with (
        c1,
        feedback.labelled("organisation_id", tr("stake.col.organisation"), mandatory=True) as label,
    ):
        org_id = pick(label, orgs, f"{key}_org_{ctx.lang}", cur.get("organisation_id"))
    new_org = None
    if not current:
        with c2, feedback.labelled("new_organisation", tr("stake.form.new_org_name")) as label:
            new_org = st.text_input(label, key=f"{key}_new_org")
    with c1:
        person = pick(tr("stake.col.person"), people, f"{key}_person", cur.get("person_id"))
    sector = coded(c2, "sector", SECTORS, "sector", "municipality")
    with c1, feedback.labelled("role", tr("stake.col.role")) as label:
        role = st.text_input(label, value=cur.get("role") or "", key=f"{key}_role")
    with c2:
        owner = pick(tr("stake.col.owner"), people, f"{key}_owner", cur.get("owner_person_id"))
    power = c1.slider(tr("stake.col.power"), 1, 5, int(cur.get("power", 3)), key=f"{key}_power")
    interest = c2.slider(
        tr("stake.col.interest"), 1, 5, int(cur.get("interest", 3)), key=f"{key}_interest"
    )
    stance = coded(c1, "stance", STANCES, "stake.stance", "neutral")
    engagement = coded(c2, "engagement", ENGAGEMENTS, "stake.engagement", "not_contacted")
    with c1, feedback.labelled("last_contact", tr("stake.col.last_contact")) as label:
        last = st.date_input(
            label,
            value=cur.get("last_contact"),
            max_value=date.today(),
            key=f"{key}_last",
            format="DD/MM/YYYY",
        )
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
        chosen = pick(ctx.tr("stake.form.pick"), names, "stake_edit_pick")
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
    data_table(table, hide_index=True, width="stretch")
    download_buttons(table, f"stakeholders-{code}", "stake_register")
    if not can_edit:
        return
    opts = stakeholders.options(ctx.db, ctx.actor, code)
    _add(ctx, code, opts)
    if len(frame):
        _edit(ctx, frame, opts)
