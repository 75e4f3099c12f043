"""The employer survey (model annex 2): entering responses and summarising them.

A response belongs to an employer Organisation of the locality (created when the company is new)
and is keyed by (locality, organisation, survey date), which is what makes a re-import find the
response it already holds. Summaries count respondents, so every such count goes through the
small-count suppression of `employdash.privacy`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, TypedDict

import pandas as pd
from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, ReadScope, only, read_scope
from employdash.addresses import address_problem
from employdash.commands import Ref, Write, ref
from employdash.config import get_config
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.handed_ids import in_scope
from employdash.limits import FIELDS, strip_controls
from employdash.models import Locality, Organisation
from employdash.models.stakeholders import (
    BRANCHES,
    HIRING_HORIZONS,
    REMOTE_STANCES,
    SERVICE_CONTACTS,
    TRAINING_NEEDS,
    TRAINING_OFFERED,
    EmployerSurveyPosition,
    EmployerSurveyResponse,
)
from employdash.models.stakeholders import TRAINING_OFFERED_LEGACY as TRAINING_LEGACY
from employdash.privacy import is_small, suppress_group, suppress_total
from employdash.stakeholders.common import StakeholderChange, check_choice, check_scale, check_text
from employdash.writers import writer

# The answers each choice question allows, under the catalogue prefix that names them.
CHOICES = {
    "branch": ("survey.branch", BRANCHES),
    "hiring_horizon": ("survey.horizon", HIRING_HORIZONS),
    "remote_work": ("survey.remote", REMOTE_STANCES),
    "service_contact": ("survey.contact", SERVICE_CONTACTS),
    "training_offered": ("survey.training_offered", TRAINING_OFFERED),
    "training_need": ("survey.training_need", TRAINING_NEEDS),
}


@dataclass
class SurveyInput:
    """One employer's answers to annex 2. `company` names a new employer when `organisation_id`
    is None. Questions the surveyor did not ask (the annex says to skip what does not fit the
    business, or what is already known) stay None."""

    survey_date: date | None = None  # None when a row has no readable date; validate refuses it
    branch: str = ""  # Q3
    hiring_horizon: str = ""  # Q8
    organisation_id: int | None = None  # Q1
    company: str | None = None  # Q1, a new employer
    location: str | None = None  # Q2
    employee_count: int | None = None  # Q4
    recruitment_areas: list[int] = field(default_factory=list)  # Q5
    has_vacancies: bool | None = None  # Q6
    vacancies: int | None = None  # Q7: how many
    # Q7's detail: (profession, count) or (profession, count, ES profession code)
    positions: list[tuple[str, int] | tuple[str, int, str | None]] = field(default_factory=list)
    recruiting_help: bool | None = None  # Q8: needs the Employment Service's help recruiting
    remote_work: str | None = None  # Q9
    training_offered: str | None = None  # Q10
    training_need: str | None = None  # Q11
    training_needs: list[str] = field(default_factory=list)  # Q11: which training, free text
    has_service_contact: bool | None = None  # Q12
    satisfaction: int | None = None  # Q13, only when Q12 is yes
    contact_consent: bool | None = None  # Q14
    community_interest: bool = False  # Q15
    contact_name: str | None = None  # Q16
    contact_phone: str | None = None
    contact_email: str | None = None
    # Asked before the annex-2 form (how often in touch); kept for answers that have it.
    service_contact: str | None = None


@dataclass
class SurveySummary:
    respondents: int | None
    open_positions: int
    by_profession: pd.DataFrame  # profession, positions, employers (None when small)
    hiring: pd.DataFrame  # horizon, respondents
    training: pd.DataFrame  # need, respondents
    satisfaction: pd.DataFrame  # score, respondents
    satisfaction_mean: float | None
    community_interest: int | None
    per_locality: pd.DataFrame  # locality_code, respondents, open_positions, satisfaction_mean


def clean_label(text: str | None) -> str:
    return re.sub(r"\s+", " ", strip_controls(text or "").strip())


def _check_flag(errors: dict[str, str], name: str, value: object) -> None:
    if value is not None and not isinstance(value, bool):
        errors[name] = "validation.invalid"


def _check_optional(
    errors: dict[str, str], name: str, value: str | None, allowed: tuple[str, ...]
) -> None:
    if value is not None:
        check_choice(errors, name, value, allowed)


def _positions(
    errors: dict[str, str], given: list[tuple[str, int] | tuple[str, int, str | None]]
) -> list[tuple[str, int, str | None]]:
    positions: dict[str, tuple[str, int, str | None]] = {}
    for item in given:
        profession, count, extra = item[0], item[1], item[2:]
        code = clean_label(str(extra[0])) if extra and extra[0] else None
        name = clean_label(profession)
        if (
            not name
            or len(name) > FIELDS["survey/profession"].max_len
            or (code is not None and len(code) > 20)
            or not isinstance(count, int)
            or not 0 < count < 100_000
        ):
            errors["positions"] = "validation.invalid"
            continue
        if name in positions:
            errors["positions"] = "validation.duplicate"
        positions[name] = (name, count, code or None)
    return sorted(positions.values())


def validate(s: Session, locality_code: int, data: SurveyInput) -> dict[str, Any]:
    """Check a response and return the cleaned column values (raises ValidationError)."""
    errors: dict[str, str] = {}
    check_choice(errors, "branch", data.branch, BRANCHES)
    check_choice(errors, "hiring_horizon", data.hiring_horizon, HIRING_HORIZONS)
    _check_optional(errors, "remote_work", data.remote_work, REMOTE_STANCES)
    _check_optional(
        errors, "training_offered", data.training_offered, (*TRAINING_OFFERED, TRAINING_LEGACY)
    )
    _check_optional(errors, "training_need", data.training_need, TRAINING_NEEDS)
    _check_optional(errors, "service_contact", data.service_contact, SERVICE_CONTACTS)
    for name in ("has_vacancies", "recruiting_help", "has_service_contact", "contact_consent"):
        _check_flag(errors, name, getattr(data, name))
    check_scale(errors, "satisfaction", data.satisfaction, required=False)
    if data.employee_count is not None and not 0 < data.employee_count < 1_000_000:
        errors["employee_count"] = "validation.out_of_range"
    if data.vacancies is not None and (
        isinstance(data.vacancies, bool)
        or not isinstance(data.vacancies, int)
        or not 0 <= data.vacancies < 100_000
    ):
        errors["vacancies"] = "validation.out_of_range"
    if not isinstance(data.survey_date, date) or data.survey_date > date.today():
        errors["survey_date"] = "validation.out_of_range"
    positions = _positions(errors, data.positions)
    has_vacancies = data.has_vacancies
    if has_vacancies is None and (positions or data.vacancies):
        has_vacancies = True  # open positions were listed: Q6 was a yes
    if has_vacancies is False and (positions or data.vacancies):
        errors["has_vacancies"] = "validation.invalid"  # Q6 "no" skips Q7
    has_contact = data.has_service_contact
    if has_contact is None and data.service_contact is not None:
        has_contact = data.service_contact != "none"
    if data.satisfaction is not None and has_contact is False:
        errors["satisfaction"] = "validation.invalid"  # Q13 is asked only after a yes to Q12
    needs = sorted({clean_label(n) for n in data.training_needs if clean_label(n)})
    if any(len(n) > FIELDS["survey/training_need"].max_len for n in needs):
        errors["training_needs"] = "validation.too_long"
    areas = sorted(set(data.recruitment_areas))
    if areas and len(s.scalars(select(Locality.code).where(Locality.code.in_(areas))).all()) != len(
        areas
    ):
        errors["recruitment_areas"] = "validation.invalid"
    values: dict[str, Any] = {
        "survey_date": data.survey_date,
        "location": check_text(errors, "location", data.location, "survey/location"),
        "branch": data.branch,
        "employee_count": data.employee_count,
        "recruitment_areas": areas,
        "has_vacancies": has_vacancies,
        "vacancies": data.vacancies,
        "hiring_horizon": data.hiring_horizon,
        "recruiting_help": data.recruiting_help,
        "remote_work": data.remote_work,
        "training_offered": data.training_offered,
        "training_need": data.training_need,
        "training_needs": needs,
        "has_service_contact": has_contact,
        "service_contact": data.service_contact,
        "satisfaction": data.satisfaction,
        "contact_consent": data.contact_consent,
        "community_interest": bool(data.community_interest),
        "contact_name": check_text(
            errors, "contact_name", data.contact_name, "survey/contact_name"
        ),
        "contact_phone": check_text(
            errors, "contact_phone", data.contact_phone, "survey/contact_phone"
        ),
        "contact_email": check_text(
            errors, "contact_email", data.contact_email, "survey/contact_email"
        ),
        "positions": positions,
    }
    values["contact_email"], problem = address_problem(values["contact_email"])
    if problem:
        errors["contact_email"] = problem
    if data.organisation_id is None and not clean_label(data.company):
        errors["company"] = "validation.required"
    elif len(clean_label(data.company)) > FIELDS["survey/company"].max_len:
        errors["company"] = "validation.too_long"
    if data.organisation_id is not None:
        org = s.get(Organisation, data.organisation_id)
        if org is None or org.locality_code != locality_code:
            errors["company"] = "validation.invalid"
    if errors:
        raise ValidationError(errors)
    return values


def find_employer(s: Session, scope: ReadScope, company: str) -> int | None:
    """The locality's organisation with this name (any sector), if there is one."""
    return s.scalar(
        select(Organisation.id)
        .where(scope.of(Organisation.locality_code), Organisation.name == clean_label(company))
        .order_by(Organisation.id)
        .limit(1)
    )


def employer(w: Write, locality_code: int, company: str) -> int:
    """The locality's organisation with this name, or a new employer (audited as created)."""
    found = find_employer(w.session, only(locality_code), company)
    if found is not None:
        return found
    name = clean_label(company)
    org = Organisation(name=name, sector="employer", locality_code=locality_code)
    after = {"name": name, "sector": "employer", "via": "employer_survey"}
    return w.create(org, after, entity="organisation", locality_code=locality_code).id


COLUMNS = (
    "survey_date",
    "location",
    "branch",
    "employee_count",
    "recruitment_areas",
    "has_vacancies",
    "vacancies",
    "hiring_horizon",
    "recruiting_help",
    "remote_work",
    "training_offered",
    "training_need",
    "training_needs",
    "has_service_contact",
    "service_contact",
    "satisfaction",
    "contact_consent",
    "community_interest",
    "contact_name",
    "contact_phone",
    "contact_email",
)
# The free texts of a response, bounded by the pipeline (the company names a new employer).
TEXTS = {
    "company": "survey/company",
    "location": "survey/location",
    "contact_name": "survey/contact_name",
    "contact_phone": "survey/contact_phone",
    "contact_email": "survey/contact_email",
}


def new_response(
    w: Write, locality_code: int, organisation_id: int, values: dict[str, Any]
) -> EmployerSurveyResponse:
    """A response with the checked `values` (from `validate`), not yet added."""
    return EmployerSurveyResponse(
        locality_code=locality_code,
        organisation_id=organisation_id,
        created_by=w.actor.username,
        position_list=values["positions"],
        **{k: values[k] for k in COLUMNS},
    )


def changes(values: dict[str, Any]) -> dict[str, Any]:
    """The checked `values` as a stored response's attributes, to save over it."""
    return {**{k: values[k] for k in COLUMNS}, "position_list": values["positions"]}


def _duplicate(s: Session, scope: ReadScope, org_id: int, day: date, own: int | None) -> bool:
    found = s.scalar(
        select(EmployerSurveyResponse.id).where(
            scope.of(EmployerSurveyResponse.locality_code),
            EmployerSurveyResponse.organisation_id == org_id,
            EmployerSurveyResponse.survey_date == day,
        )
    )
    return found is not None and found != own


def snapshot(row: EmployerSurveyResponse) -> dict[str, Any]:
    """Every answer of a stored response, for the audit log's before and after."""
    return {"organisation_id": row.organisation_id, "survey_date": row.survey_date, **row.answers()}


def _answers(data: SurveyInput, *leave: str) -> dict[str, Any]:
    return {k: v for k, v in asdict(data).items() if k not in ("organisation_id", *leave)}


@dataclass
class CreateResponse(
    StakeholderChange[int],
    entity="employer_survey_response",
    texts={f"answers.{k}": v for k, v in TEXTS.items()},
):
    """One employer's answers; a new employer is created when `organisation` is None."""

    locality_code: int
    organisation: Ref[Organisation] | None
    answers: dict[str, Any]

    @classmethod
    def of(cls, locality_code: int, data: SurveyInput) -> CreateResponse:
        return cls(locality_code, ref(Organisation, data.organisation_id), _answers(data))

    def run(self, w: Write) -> int:
        org = self.organisation
        data = SurveyInput(**self.answers, organisation_id=None if org is None else org.id)
        values = validate(w.session, self.locality_code, data)
        org_id = org.id if org else employer(w, self.locality_code, data.company or "")
        if _duplicate(w.session, only(self.locality_code), org_id, values["survey_date"], None):
            raise ValidationError({"survey_date": "validation.duplicate"})
        row = new_response(w, self.locality_code, org_id, values)
        return w.create(row, snapshot(row)).id


@dataclass
class UpdateResponse(
    StakeholderChange[int],
    entity="employer_survey_response",
    texts={f"answers.{k}": v for k, v in TEXTS.items() if k != "company"},
):
    """A correction of a stored response (instead of deleting and typing it again): every answer
    as in `answers`, read at `version`; returns the new version. The employer stays the same."""

    response: Ref[EmployerSurveyResponse]
    version: int
    answers: dict[str, Any]

    @classmethod
    def of(cls, response_id: int, version: int, data: SurveyInput) -> UpdateResponse:
        return cls(Ref(EmployerSurveyResponse, response_id), version, _answers(data, "company"))

    def run(self, w: Write) -> int:
        row = w.get(self.response)
        data = SurveyInput(**self.answers, organisation_id=row.organisation_id)
        values = validate(w.session, row.locality_code, data)
        day = values["survey_date"]
        if _duplicate(w.session, only(row.locality_code), row.organisation_id, day, row.id):
            raise ValidationError({"survey_date": "validation.duplicate"})
        w.update(row, self.version, changes(values))
        return row.version


@dataclass
class DeleteResponse(StakeholderChange[None], entity="employer_survey_response"):
    response: Ref[EmployerSurveyResponse]
    version: int

    def run(self, w: Write) -> None:
        row = w.get(self.response)
        w.delete(row, snapshot(row), version=self.version)


create_response = writer(CreateResponse.of)


update_response = writer(UpdateResponse.of)


delete_response = writer(DeleteResponse.of)


def get_response(db: Database, actor: Actor, response_id: int) -> tuple[SurveyInput, int]:
    """A stored response as the correction form edits it (contact details included, so only for
    those who may correct it), with the version it was read at."""
    read_scope(actor, Area.STAKEHOLDERS)
    with db.transaction() as s:
        row = in_scope(s, actor, EmployerSurveyResponse, response_id)
        if not actor.can_write(Area.STAKEHOLDERS, row.locality_code):
            raise PermissionDenied(f"{actor.username} may not correct survey responses")
        data = SurveyInput(
            organisation_id=row.organisation_id,
            positions=list(row.position_list),
            **{k: getattr(row, k) for k in COLUMNS},
        )
        return data, row.version


def _position_text(p: EmployerSurveyPosition) -> str:
    code = f" [{p.profession_code}]" if p.profession_code else ""
    return f"{p.profession} ({p.count}){code}"


def responses(db: Database, actor: Actor, locality_code: int) -> pd.DataFrame:
    """The responses of a locality, one row per response with every answer; the contact details
    (Q16) only for those who may edit."""
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    may_edit = actor.can_write(Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        rows = s.execute(
            select(EmployerSurveyResponse, Organisation.name)
            .join(Organisation, Organisation.id == EmployerSurveyResponse.organisation_id)
            .where(scope.of(EmployerSurveyResponse.locality_code))
            .order_by(EmployerSurveyResponse.survey_date.desc(), Organisation.name)
        ).all()
        records = []
        for row, name in rows:
            record = {
                "id": row.id,
                "version": row.version,
                "company": name,
                "survey_date": row.survey_date,
                "branch": row.branch,
                "employee_count": row.employee_count,
                "has_vacancies": row.has_vacancies,
                "vacancies": row.vacancies,
                "open_positions": sum(p.count for p in row.positions),
                "professions": "; ".join(
                    f"{p.profession} ({p.count})"
                    + (f" [{p.profession_code}]" if p.profession_code else "")
                    for p in row.positions
                ),
                "hiring_horizon": row.hiring_horizon,
                "recruiting_help": row.recruiting_help,
                "remote_work": row.remote_work,
                "training_offered": row.training_offered,
                "training_need": row.training_need,
                "training_needs": "; ".join(row.training_needs or []),
                "has_service_contact": row.has_service_contact,
                "satisfaction": row.satisfaction,
                "contact_consent": row.contact_consent,
                "community_interest": row.community_interest,
            }
            if may_edit:
                record.update(
                    contact_name=row.contact_name,
                    contact_phone=row.contact_phone,
                    contact_email=row.contact_email,
                )
            records.append(record)
    return pd.DataFrame(records)


class SummaryRows(TypedDict):
    """The rows each aggregate query of the survey summary returns."""

    professions: Sequence[Row[str, int, int]]  # profession, open positions, employers
    hiring: Sequence[Row[str, int]]  # horizon, respondents
    satisfaction: Sequence[Row[int | None, int]]  # score, respondents
    training: Sequence[Row[list[str]]]  # one row of needs per response
    community: Sequence[Row[int]]  # one row: respondents interested
    # locality, respondents, mean satisfaction, rated, open positions
    localities: Sequence[Row[int, int, Any, int, Any]]


def summary_queries(s: Session, scope: ReadScope) -> SummaryRows:
    """The raw aggregate queries behind the summary (also the benchmark's baseline)."""
    r, p = EmployerSurveyResponse, EmployerSurveyPosition
    within = scope.of(r.locality_code)
    positions = (
        select(p.response_id, func.sum(p.count).label("n"))
        .join(r, r.id == p.response_id)
        .where(within)
        .group_by(p.response_id)
        .subquery()
    )
    return {
        "professions": s.execute(
            select(p.profession, func.sum(p.count), func.count(func.distinct(p.response_id)))
            .join(r, r.id == p.response_id)
            .where(within)
            .group_by(p.profession)
        ).all(),
        "hiring": s.execute(
            select(r.hiring_horizon, func.count()).where(within).group_by(r.hiring_horizon)
        ).all(),
        "satisfaction": s.execute(
            select(r.satisfaction, func.count())
            .where(within, r.satisfaction.is_not(None))
            .group_by(r.satisfaction)
        ).all(),
        "training": s.execute(select(r.training_needs).where(within)).all(),
        "community": s.execute(
            select(func.count()).where(within, r.community_interest.is_(True))
        ).all(),
        "localities": s.execute(
            select(
                r.locality_code,
                func.count(),
                func.avg(r.satisfaction),
                func.count(r.satisfaction),
                func.coalesce(func.sum(positions.c.n), 0),
            )
            .outerjoin(positions, positions.c.response_id == r.id)
            .where(within)
            .group_by(r.locality_code)
        ).all(),
    }


def summary(db: Database, actor: Actor, locality_codes: list[int]) -> SurveySummary:
    """Open positions by profession, hiring outlook, training needs and satisfaction over the
    given localities (one locality, or the region: every locality in the user's scope)."""
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_codes)
    threshold = get_config().SUPPRESSION_THRESHOLD
    with db.transaction() as s:
        raw = summary_queries(s, scope)
    professions = sorted(raw["professions"], key=lambda t: (-t[1], t[0]))
    by_profession = pd.DataFrame(
        [
            {
                "profession": name,
                "positions": int(n),
                "employers": None if is_small(e, threshold) else e,
            }
            for name, n, e in professions
        ],
        columns=["profession", "positions", "employers"],
    )
    hiring_counts = dict(raw["hiring"])
    hiring_cells = suppress_group({h: hiring_counts.get(h, 0) for h in HIRING_HORIZONS}, threshold)
    hiring = pd.DataFrame(
        {"horizon": list(hiring_cells), "respondents": list(hiring_cells.values())}
    )
    needs = Counter(n for (row,) in raw["training"] for n in set(row or []))
    training = pd.DataFrame(
        [
            {"need": n, "respondents": None if is_small(c, threshold) else c}
            for n, c in sorted(needs.items(), key=lambda t: (-t[1], t[0]))
        ],
        columns=["need", "respondents"],
    )
    scores = {k: n for k, n in raw["satisfaction"] if k is not None}  # the query drops None
    score_cells = suppress_group({str(k): scores.get(k, 0) for k in range(1, 6)}, threshold)
    satisfaction = pd.DataFrame(
        {"score": list(range(1, 6)), "respondents": list(score_cells.values())}
    )
    rated = sum(scores.values())
    mean = (sum(k * v for k, v in scores.items()) / rated) if rated >= threshold else None
    per_locality = pd.DataFrame(
        [
            {
                "locality_code": code,
                "respondents": suppress_total(n, threshold),
                "open_positions": int(pos or 0),
                "satisfaction_mean": float(avg)
                if avg is not None and rated_n >= threshold
                else None,
            }
            for code, n, avg, rated_n, pos in sorted(raw["localities"])
        ],
        columns=["locality_code", "respondents", "open_positions", "satisfaction_mean"],
    )
    total = sum(n for _, n, _, _, _ in raw["localities"])
    for frame, column in (
        (by_profession, "employers"),
        (hiring, "respondents"),
        (training, "respondents"),
        (satisfaction, "respondents"),
        (per_locality, "respondents"),
    ):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    return SurveySummary(
        respondents=suppress_total(total, threshold),
        open_positions=int(by_profession.positions.sum()) if len(by_profession) else 0,
        by_profession=by_profession,
        hiring=hiring,
        training=training,
        satisfaction=satisfaction,
        satisfaction_mean=mean,
        community_interest=suppress_total(raw["community"][0][0], threshold),
        per_locality=per_locality,
    )
