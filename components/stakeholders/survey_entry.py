"""The survey responses tab: the stored responses, the form to enter one, and the form to correct
one (annex 2 of the locality model, question by question)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.common.commands import perform
from components.common.downloads import download_buttons
from components.common.form_feedback import FormFeedback, handled, required
from components.common.localized import choose_many
from components.common.pickers import named, pick
from components.common.tables import data_table
from components.shell.context import PageContext
from components.shell.feedback import guarded
from components.stakeholders.page import SURVEY_FLASH
from employdash.i18n import fmt_date, plural
from employdash.stakeholders import register as stakeholders
from employdash.stakeholders import surveys
from employdash.stakeholders.surveys import SurveyInput
from employdash.stakeholders.vocabulary import (
    BRANCHES,
    HIRING_HORIZONS,
    REMOTE_STANCES,
    TRAINING_NEEDS,
    TRAINING_OFFERED,
)

NEW = -1
ADD_ROUND = "_survey_add_round"
ANSWERS: tuple[bool | None, ...] = (None, True, False)


def _answer(tr: Callable[[str], str], value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return tr("survey.answer.unasked")
    return tr("survey.answer.yes") if value else tr("survey.answer.no")


def _label(tr: Callable[[str], str], prefix: str, value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return tr("survey.answer.unasked")
    return tr(f"{prefix}.{value}")


def _numbers(column: pd.Series) -> pd.Series:
    """Whole numbers with blanks for questions not asked (not the text "None")."""
    return pd.Series(
        pd.array([None if pd.isna(v) else int(v) for v in column], dtype="Int64"),
        index=column.index,
    )


def _table(ctx: PageContext, frame: pd.DataFrame) -> pd.DataFrame:
    tr = ctx.tr
    columns = {
        tr("survey.field.company"): frame.company,
        tr("survey.field.survey_date"): [fmt_date(d, ctx.lang) for d in frame.survey_date],
        tr("survey.field.branch"): [tr(f"survey.branch.{b}") for b in frame.branch],
        tr("survey.field.employee_count"): _numbers(frame.employee_count),
        tr("survey.field.has_vacancies"): [_answer(tr, v) for v in frame.has_vacancies],
        tr("survey.field.vacancies"): _numbers(frame.vacancies),
        tr("survey.field.open_positions"): frame.professions,
        tr("survey.field.hiring_horizon"): [
            tr(f"survey.horizon.{h}") for h in frame.hiring_horizon
        ],
        tr("survey.field.recruiting_help"): [_answer(tr, v) for v in frame.recruiting_help],
        tr("survey.field.remote_work"): [_label(tr, "survey.remote", r) for r in frame.remote_work],
        tr("survey.field.training_offered"): [
            _label(tr, "survey.training_offered", v) for v in frame.training_offered
        ],
        tr("survey.field.training_need"): [
            _label(tr, "survey.training_need", v) for v in frame.training_need
        ],
        tr("survey.field.training_needs"): frame.training_needs,
        tr("survey.field.has_service_contact"): [_answer(tr, v) for v in frame.has_service_contact],
        tr("survey.field.satisfaction"): _numbers(frame.satisfaction),
        tr("survey.field.contact_consent"): [_answer(tr, v) for v in frame.contact_consent],
        tr("survey.field.community_interest"): [_answer(tr, v) for v in frame.community_interest],
    }
    if "contact_name" in frame:
        columns[tr("survey.field.contact_name")] = frame.contact_name
        columns[tr("survey.field.contact_phone")] = frame.contact_phone
    return pd.DataFrame(columns)


@dataclass(frozen=True)
class _Questions:
    """Draws one survey form's questions: each widget keyed under the form (`form_key`), labelled
    from the catalogue (`survey.field.<name>`), with its error slot right under it."""

    ctx: PageContext
    feedback: FormFeedback
    form_key: str

    @contextmanager
    def question(
        self, where: DeltaGenerator, name: str, *, mandatory: bool = False
    ) -> Iterator[str]:
        """Inside `where`: the label to draw question `name` with, its error slot under it."""
        label = self.ctx.tr(f"survey.field.{name}")
        with where, self.feedback.labelled(name, label, mandatory=mandatory) as marked:
            yield marked

    def text(self, where: DeltaGenerator, name: str, value: str | None, key: str) -> str:
        with self.question(where, name) as label:
            return st.text_input(label, value=value or "", key=f"{self.form_key}_{key}")

    def count(self, where: DeltaGenerator, name: str, value: int | None, key: str) -> int:
        """A whole number; 0 stands for not answered."""
        with self.question(where, name) as label:
            return int(
                st.number_input(
                    label, min_value=0, step=1, value=value or 0, key=f"{self.form_key}_{key}"
                )
            )

    def yes_no(self, where: DeltaGenerator, name: str, value: bool | None) -> bool | None:
        tr = self.ctx.tr
        with self.question(where, name) as label:
            return st.radio(
                label,
                ANSWERS,
                index=ANSWERS.index(value),
                horizontal=True,
                format_func=lambda v: _answer(tr, v),
                key=f"{self.form_key}_{name}_{self.ctx.lang}",
            )

    def choice(
        self,
        where: DeltaGenerator,
        name: str,
        options: tuple[str, ...],
        prefix: str,
        value: str | None,
    ) -> str | None:
        """One of `options` (named `prefix.<option>`), or not asked."""
        tr = self.ctx.tr
        choices: tuple[str | None, ...] = (None, *options)
        if value is not None and value not in options:  # an older answer (level not recorded)
            choices = (*choices, value)
        with self.question(where, name) as label:
            return st.radio(
                label,
                choices,
                index=choices.index(value),
                format_func=lambda v: _label(tr, prefix, v),
                key=f"{self.form_key}_{name}_{self.ctx.lang}",
            )


def _questions(
    ctx: PageContext,
    code: int,
    initial: SurveyInput | None,
    form_key: str,
    feedback: FormFeedback,
) -> SurveyInput:
    """Annex 2's questions in its order, prefilled from `initial` (a correction) or empty.
    Each question's error appears under it through `feedback`."""
    tr = ctx.tr
    ask = _Questions(ctx, feedback, form_key)
    places = {loc.code: loc.name(ctx.lang) for loc in ctx.localities}
    start = initial or SurveyInput(
        survey_date=date.today(), branch=BRANCHES[0], hiring_horizon=HIRING_HORIZONS[0]
    )
    c1, c2 = st.columns(2)
    with ask.question(c1, "survey_date", mandatory=True) as label:
        survey_date = st.date_input(
            label,
            value=start.survey_date,
            max_value=date.today(),
            format="DD/MM/YYYY",
            key=f"{form_key}_date",
        )
    location = ask.text(c2, "location", start.location, "location")
    with ask.question(c1, "branch", mandatory=True) as label:
        branch = pick(
            label, named(BRANCHES, "survey.branch"), f"{form_key}_branch_{ctx.lang}", start.branch
        )
    employees = ask.count(c2, "employee_count", start.employee_count, "employees")
    with feedback.labelled("recruitment_areas", tr("survey.field.recruitment_areas")) as label:
        areas = st.multiselect(
            label,
            list(places),
            default=[a for a in (start.recruitment_areas or [code]) if a in places],
            format_func=lambda c: places[c],
            key=f"{form_key}_areas_{ctx.lang}",
            placeholder=choose_many(),
        )
    c1, c2 = st.columns(2)
    has_vacancies = ask.yes_no(c1, "has_vacancies", start.has_vacancies)
    vacancies = ask.count(c2, "vacancies", start.vacancies, "vacancies")
    st.caption(tr("survey.form.positions_help"))
    with feedback.labelled("positions", tr("survey.field.open_positions")):
        positions = st.data_editor(
            pd.DataFrame(
                {
                    "profession": pd.Series([p[0] for p in start.positions], dtype="str"),
                    "count": pd.Series([p[1] for p in start.positions], dtype="int"),
                    "code": pd.Series(
                        [(p[2] if len(p) > 2 else None) or "" for p in start.positions],
                        dtype="str",
                    ),
                }
            ),
            num_rows="dynamic",
            key=f"{form_key}_positions",
            width="stretch",
            column_config={
                "profession": st.column_config.TextColumn(tr("survey.col.profession")),
                "count": st.column_config.NumberColumn(
                    tr("survey.col.positions"), min_value=1, step=1
                ),
                "code": st.column_config.TextColumn(tr("survey.col.profession_code")),
            },
        )
    c1, c2 = st.columns(2)
    with ask.question(c1, "hiring_horizon", mandatory=True) as label:
        horizon = st.radio(
            label,
            HIRING_HORIZONS,
            index=HIRING_HORIZONS.index(start.hiring_horizon),
            format_func=lambda h: tr(f"survey.horizon.{h}"),
            key=f"{form_key}_horizon_{ctx.lang}",
        )
    recruiting_help = ask.yes_no(c2, "recruiting_help", start.recruiting_help)
    remote = ask.choice(c2, "remote_work", REMOTE_STANCES, "survey.remote", start.remote_work)
    c1, c2 = st.columns(2)
    offered = ask.choice(
        c1, "training_offered", TRAINING_OFFERED, "survey.training_offered", start.training_offered
    )
    need = ask.choice(
        c2, "training_need", TRAINING_NEEDS, "survey.training_need", start.training_need
    )
    with feedback.labelled("training_needs", tr("survey.field.training_needs")) as label:
        needs = st.text_input(
            label,
            value="; ".join(start.training_needs),
            help=tr("survey.form.needs_help"),
            key=f"{form_key}_needs",
        )
    c1, c2 = st.columns(2)
    has_contact = ask.yes_no(c1, "has_service_contact", start.has_service_contact)
    # The error names the question; the widget's label also gives the scale.
    with ask.question(c2, "satisfaction"):
        satisfaction = st.select_slider(
            tr("survey.field.satisfaction_scale"),
            [None, 1, 2, 3, 4, 5],
            value=start.satisfaction,
            format_func=lambda v: "—" if v is None else str(v),
            key=f"{form_key}_satisfaction",
        )
    c1, c2 = st.columns(2)
    consent = ask.yes_no(c1, "contact_consent", start.contact_consent)
    community = c2.checkbox(
        tr("survey.field.community_interest"),
        value=start.community_interest,
        key=f"{form_key}_community",
    )
    c1, c2, c3 = st.columns(3)
    contact_name = ask.text(c1, "contact_name", start.contact_name, "cname")
    phone = ask.text(c2, "contact_phone", start.contact_phone, "phone")
    email = ask.text(c3, "contact_email", start.contact_email, "email")
    rows = positions.dropna(subset=["profession"])
    return SurveyInput(
        survey_date=survey_date,
        branch=branch,
        hiring_horizon=horizon,
        organisation_id=start.organisation_id,
        location=location,
        employee_count=employees or None,
        recruitment_areas=[int(a) for a in areas],
        has_vacancies=has_vacancies,
        vacancies=vacancies or None,
        positions=[
            (str(p), int(c), (str(k).strip() or None) if isinstance(k, str) else None)
            for p, c, k in zip(rows.profession, rows["count"], rows["code"], strict=True)
            if isinstance(p, str) and p.strip() and pd.notna(c)
        ],
        recruiting_help=recruiting_help,
        remote_work=remote,
        training_offered=offered,
        training_need=need,
        training_needs=needs.split(";"),
        has_service_contact=has_contact,
        service_contact=start.service_contact,
        satisfaction=satisfaction,
        contact_consent=consent,
        community_interest=community,
        contact_name=contact_name,
        contact_phone=phone,
        contact_email=email,
    )


def _form(ctx: PageContext, code: int) -> None:
    tr = ctx.tr
    employers = {
        o.id: o.name
        for o in stakeholders.options(ctx.db, ctx.actor, code).organisations
        if o.sector == "employer"
    }
    with (
        st.expander(tr("survey.form.title"), icon=":material/add_business:"),
        st.form("survey_add", clear_on_submit=False),
    ):
        feedback = FormFeedback()
        feedback.note()
        c1, c2 = st.columns(2)
        with c1:
            org = pick(
                required(tr("survey.field.company")),
                {NEW: tr("survey.form.new_company"), **employers},
                f"survey_add_org_{ctx.lang}",
            )
        # A saved form's widgets get new keys (a new round), so the browser draws them empty;
        # a refused one keeps its keys and every answer typed.
        rounds = st.session_state.get(ADD_ROUND, 0)
        prefix = "survey_add" if not rounds else f"survey_add{rounds}"
        # The error names the company; the widget asks for a new one's name.
        with c2, feedback.labelled("company", tr("survey.field.company")):
            company = st.text_input(tr("survey.form.new_company_name"), key=f"{prefix}_company")
        data = _questions(ctx, code, None, prefix, feedback)
        if st.form_submit_button(tr("survey.form.submit"), type="primary"):
            data.organisation_id = None if org == NEW else int(org)
            data.company = company
            with handled(feedback):
                perform(ctx.db, ctx.actor, surveys.CreateResponse.of(code, data))
                SURVEY_FLASH.put(tr("survey.form.created"))
                st.session_state[ADD_ROUND] = rounds + 1
                st.rerun()


def _edit(ctx: PageContext, code: int, frame: pd.DataFrame) -> None:
    """Correct a stored response: the form opens with its answers and saves over the version
    it was read at, so a correction saved meanwhile by someone else is never overwritten."""
    tr = ctx.tr
    labels = {
        int(r.id): f"{r.company} · {fmt_date(r.survey_date, ctx.lang)}" for r in frame.itertuples()
    }
    if not labels:
        return
    with st.expander(tr("survey.edit.title"), icon=":material/edit_note:"):
        picked = pick(tr("survey.edit.pick"), labels, f"survey_edit_pick_{ctx.lang}")
        with guarded():
            initial, version = surveys.get_response(ctx.db, ctx.actor, int(picked))
            with st.form(f"survey_edit_{picked}_{version}"):
                feedback = FormFeedback()
                feedback.note()
                data = _questions(ctx, code, initial, f"survey_edit_{picked}_{version}", feedback)
                if st.form_submit_button(tr("survey.edit.submit"), type="primary"):
                    with handled(feedback):
                        command = surveys.UpdateResponse.of(int(picked), version, data)
                        saved = perform(ctx.db, ctx.actor, command)
                        SURVEY_FLASH.put(
                            tr("survey.edit.saved" if saved != version else "survey.edit.unchanged")
                        )
                        st.rerun()


def section(ctx: PageContext, code: int, can_edit: bool) -> None:
    frame = surveys.responses(ctx.db, ctx.actor, code)
    st.caption(plural(len(frame), "survey.responses.count", ctx.lang))
    if len(frame):
        table = _table(ctx, frame)
        data_table(table, hide_index=True, width="stretch")
        download_buttons(table, f"employer-survey-{code}", "survey_responses")
    if can_edit:
        _form(ctx, code)
        if len(frame):
            _edit(ctx, code, frame)
