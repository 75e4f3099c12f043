"""The survey responses tab: the stored responses and the form to enter one (annex 2)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from components.common.downloads import download_buttons
from components.shell.context import PageContext
from components.shell.feedback import guarded
from components.stakeholders import data as stakeholder_data
from employdash.i18n import fmt_date
from employdash.stakeholders import register as stakeholders
from employdash.stakeholders import surveys
from employdash.stakeholders.vocabulary import (
    BRANCHES,
    HIRING_HORIZONS,
    REMOTE_STANCES,
    SERVICE_CONTACTS,
)

NEW = -1


def _table(ctx: PageContext, frame: pd.DataFrame) -> pd.DataFrame:
    tr = ctx.tr
    columns = {
        tr("survey.field.company"): frame.company,
        tr("survey.field.survey_date"): [fmt_date(d, ctx.lang) for d in frame.survey_date],
        tr("survey.field.branch"): [tr(f"survey.branch.{b}") for b in frame.branch],
        tr("survey.field.employee_count"): frame.employee_count,
        tr("survey.col.positions"): frame.open_positions,
        tr("survey.field.open_positions"): frame.professions,
        tr("survey.field.hiring_horizon"): [
            tr(f"survey.horizon.{h}") for h in frame.hiring_horizon
        ],
        tr("survey.field.remote_work"): [tr(f"survey.remote.{r}") for r in frame.remote_work],
        tr("survey.field.training_needs"): frame.training_needs,
        tr("survey.field.service_contact"): [
            tr(f"survey.contact.{c}") for c in frame.service_contact
        ],
        tr("survey.field.satisfaction"): frame.satisfaction,
    }
    if "contact_name" in frame:
        columns[tr("survey.field.contact_name")] = frame.contact_name
        columns[tr("survey.field.contact_phone")] = frame.contact_phone
    return pd.DataFrame(columns)


def _form(ctx: PageContext, code: int) -> None:
    tr = ctx.tr
    employers = {
        o[0]: o[1]
        for o in stakeholders.options(ctx.db, ctx.actor, code).organisations
        if o[2] == "employer"
    }
    places = {loc.code: loc.name(ctx.lang) for loc in ctx.localities}
    with (
        st.expander(tr("survey.form.title"), icon=":material/add_business:"),
        st.form("survey_add", clear_on_submit=True),
    ):
        c1, c2 = st.columns(2)
        org = c1.selectbox(
            tr("survey.field.company"),
            [NEW, *employers],
            format_func=lambda i: tr("survey.form.new_company") if i == NEW else employers[i],
        )
        company = c2.text_input(tr("survey.form.new_company_name"))
        survey_date = c1.date_input(
            tr("survey.field.survey_date"),
            value=date.today(),
            max_value=date.today(),
            format="DD/MM/YYYY",
        )
        location = c2.text_input(tr("survey.field.location"))
        branch = c1.selectbox(
            tr("survey.field.branch"), BRANCHES, format_func=lambda b: tr(f"survey.branch.{b}")
        )
        employees = c2.number_input(tr("survey.field.employee_count"), min_value=0, step=1, value=0)
        areas = st.multiselect(
            tr("survey.field.recruitment_areas"),
            list(places),
            default=[code],
            format_func=lambda c: places[c],
        )
        st.caption(tr("survey.form.positions_help"))
        positions = st.data_editor(
            pd.DataFrame(
                {"profession": pd.Series([], dtype="str"), "count": pd.Series([], dtype="int")}
            ),
            num_rows="dynamic",
            key="survey_positions",
            width="stretch",
            column_config={
                "profession": st.column_config.TextColumn(tr("survey.col.profession")),
                "count": st.column_config.NumberColumn(
                    tr("survey.col.positions"), min_value=1, step=1
                ),
            },
        )
        c1, c2 = st.columns(2)
        horizon = c1.radio(
            tr("survey.field.hiring_horizon"),
            HIRING_HORIZONS,
            format_func=lambda h: tr(f"survey.horizon.{h}"),
        )
        remote = c2.radio(
            tr("survey.field.remote_work"),
            REMOTE_STANCES,
            format_func=lambda r: tr(f"survey.remote.{r}"),
        )
        offers = c1.checkbox(tr("survey.field.offers_training"))
        needs = c2.text_input(tr("survey.field.training_needs"), help=tr("survey.form.needs_help"))
        contact = c1.radio(
            tr("survey.field.service_contact"),
            SERVICE_CONTACTS,
            format_func=lambda c: tr(f"survey.contact.{c}"),
        )
        satisfaction = c2.select_slider(
            tr("survey.field.satisfaction"),
            [None, 1, 2, 3, 4, 5],
            format_func=lambda v: "—" if v is None else str(v),
        )
        community = st.checkbox(tr("survey.field.community_interest"))
        c1, c2, c3 = st.columns(3)
        contact_name = c1.text_input(tr("survey.field.contact_name"))
        phone = c2.text_input(tr("survey.field.contact_phone"))
        email = c3.text_input(tr("survey.field.contact_email"))
        if st.form_submit_button(tr("survey.form.submit"), type="primary"):
            rows = positions.dropna(how="all")
            data = surveys.SurveyInput(
                survey_date=survey_date,
                branch=branch,
                hiring_horizon=horizon,
                remote_work=remote,
                service_contact=contact,
                organisation_id=None if org == NEW else int(org),
                company=company,
                location=location,
                employee_count=int(employees) or None,
                recruitment_areas=[int(a) for a in areas],
                positions=[
                    (str(p), int(c))
                    for p, c in zip(rows.profession, rows["count"], strict=True)
                    if isinstance(p, str) and pd.notna(c)
                ],
                offers_training=offers,
                training_needs=needs.split(";"),
                satisfaction=satisfaction,
                community_interest=community,
                contact_name=contact_name,
                contact_phone=phone,
                contact_email=email,
            )
            with guarded():
                surveys.create_response(ctx.db, ctx.actor, code, data)
                stakeholder_data.clear()
                st.session_state["survey_flash"] = tr("survey.form.created")
                st.rerun()


def section(ctx: PageContext, code: int, can_edit: bool) -> None:
    frame = surveys.responses(ctx.db, ctx.actor, code)
    st.caption(ctx.tr("survey.responses.count", count=len(frame)))
    if len(frame):
        table = _table(ctx, frame)
        st.dataframe(table, hide_index=True, width="stretch")
        download_buttons(table, f"employer-survey-{code}", "survey_responses")
    if can_edit:
        _form(ctx, code)
