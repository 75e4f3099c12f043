"""The employer survey (model annex 2): entering responses and summarising them.

A response belongs to an employer Organisation of the locality (created when the company is new)
and is keyed by (locality, organisation, survey date), which is what makes a re-import find the
response it already holds. Summaries count respondents, so every such count goes through the
small-count suppression of `employdash.privacy`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from employdash.config import get_config
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.limits import FIELDS, strip_controls
from employdash.models import Locality, Organisation
from employdash.models.stakeholders import (
    BRANCHES,
    HIRING_HORIZONS,
    REMOTE_STANCES,
    SERVICE_CONTACTS,
    EmployerSurveyPosition,
    EmployerSurveyResponse,
)
from employdash.privacy import is_small, suppress_group, suppress_total
from employdash.services import audit
from employdash.services.access import EDITORS, Actor
from employdash.services.stakeholders_common import (
    check_choice,
    check_scale,
    check_text,
    require_read,
    require_read_all,
    require_write,
)

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class SurveyInput:
    """One employer's answers. `company` names a new employer when `organisation_id` is None."""

    survey_date: date
    branch: str
    hiring_horizon: str
    remote_work: str
    service_contact: str
    organisation_id: int | None = None
    company: str | None = None
    location: str | None = None
    employee_count: int | None = None
    recruitment_areas: list[int] = field(default_factory=list)
    positions: list[tuple[str, int]] = field(default_factory=list)
    offers_training: bool = False
    training_needs: list[str] = field(default_factory=list)
    satisfaction: int | None = None
    community_interest: bool = False
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


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


def validate(s: Session, locality_code: int, data: SurveyInput) -> dict[str, Any]:
    """Check a response and return the cleaned column values (raises ValidationError)."""
    errors: dict[str, str] = {}
    check_choice(errors, "branch", data.branch, BRANCHES)
    check_choice(errors, "hiring_horizon", data.hiring_horizon, HIRING_HORIZONS)
    check_choice(errors, "remote_work", data.remote_work, REMOTE_STANCES)
    check_choice(errors, "service_contact", data.service_contact, SERVICE_CONTACTS)
    check_scale(errors, "satisfaction", data.satisfaction, required=False)
    if data.employee_count is not None and not 0 < data.employee_count < 1_000_000:
        errors["employee_count"] = "validation.out_of_range"
    if not isinstance(data.survey_date, date) or data.survey_date > date.today():
        errors["survey_date"] = "validation.out_of_range"
    positions: dict[str, int] = {}
    for profession, count in data.positions:
        name = clean_label(profession)
        too_long = len(name) > FIELDS["survey/profession"].max_len
        if not name or too_long or not isinstance(count, int) or not 0 < count < 100_000:
            errors["positions"] = "validation.invalid"
            continue
        if name in positions:
            errors["positions"] = "validation.duplicate"
        positions[name] = count
    needs = sorted({clean_label(n) for n in data.training_needs if clean_label(n)})
    if any(len(n) > FIELDS["survey/training_need"].max_len for n in needs):
        errors["training_needs"] = "validation.too_long"
    areas = sorted(set(data.recruitment_areas))
    if areas and len(s.scalars(select(Locality.code).where(Locality.code.in_(areas))).all()) != len(
        areas
    ):
        errors["recruitment_areas"] = "validation.invalid"
    values = {
        "survey_date": data.survey_date,
        "location": check_text(errors, "location", data.location, "survey/location"),
        "branch": data.branch,
        "employee_count": data.employee_count,
        "recruitment_areas": areas,
        "hiring_horizon": data.hiring_horizon,
        "remote_work": data.remote_work,
        "offers_training": bool(data.offers_training),
        "training_needs": needs,
        "service_contact": data.service_contact,
        "satisfaction": data.satisfaction,
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
        "positions": sorted(positions.items()),
    }
    if values["contact_email"] and not EMAIL_RE.match(values["contact_email"]):
        errors["contact_email"] = "validation.invalid"
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


def employer_id(
    s: Session,
    locality_code: int,
    company: str,
    create: bool = True,
    actor: Actor | None = None,
) -> int | None:
    """The locality's organisation with this name (any sector), or a new employer (created by
    `actor`, in the audit log like every organisation)."""
    name = clean_label(company)
    found = s.scalar(
        select(Organisation.id)
        .where(Organisation.locality_code == locality_code, Organisation.name == name)
        .order_by(Organisation.id)
        .limit(1)
    )
    if found is not None or not create:
        return found
    if actor is None:
        raise ValueError("creating an employer needs the acting user")
    org = Organisation(name=name, sector="employer", locality_code=locality_code)
    s.add(org)
    s.flush()
    audit.record(
        s,
        actor,
        "create",
        "organisation",
        org.id,
        after={"name": name, "sector": org.sector, "created_from": "employer_survey"},
        locality_code=locality_code,
    )
    return org.id


def write(s: Session, row: EmployerSurveyResponse, values: dict[str, Any]) -> None:
    """Set a response's answers and replace its positions."""
    for key, value in values.items():
        if key != "positions":
            setattr(row, key, value)
    if row.id is not None:  # delete the old positions first: (response, profession) is unique
        row.positions = []
        s.flush()
    row.positions = [EmployerSurveyPosition(profession=p, count=c) for p, c in values["positions"]]


def create_response(db: Database, actor, locality_code: int, data: SurveyInput) -> int:  # type: ignore[no-untyped-def]
    require_write(actor, locality_code)
    with db.transaction() as s:
        values = validate(s, locality_code, data)
        org_id = data.organisation_id or employer_id(
            s, locality_code, data.company or "", actor=actor
        )
        exists = s.scalar(
            select(EmployerSurveyResponse.id).where(
                EmployerSurveyResponse.locality_code == locality_code,
                EmployerSurveyResponse.organisation_id == org_id,
                EmployerSurveyResponse.survey_date == values["survey_date"],
            )
        )
        if exists:
            raise ValidationError({"survey_date": "validation.duplicate"})
        row = EmployerSurveyResponse(
            locality_code=locality_code, organisation_id=org_id, created_by=actor.username
        )
        write(s, row, values)
        s.add(row)
        s.flush()
        audit.record(
            s,
            actor,
            "create",
            "employer_survey_response",
            row.id,
            after={"organisation_id": org_id, **row.answers()},
            locality_code=locality_code,
        )
        return row.id


def delete_response(db: Database, actor, response_id: int) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        row = s.get(EmployerSurveyResponse, response_id)
        if row is None:
            raise NotFound(f"survey response {response_id}")
        require_write(actor, row.locality_code)
        before = {
            "organisation_id": row.organisation_id,
            "survey_date": row.survey_date,
            **row.answers(),
        }
        s.delete(row)
        audit.record(
            s,
            actor,
            "delete",
            "employer_survey_response",
            response_id,
            before=before,
            locality_code=row.locality_code,
        )


def responses(db: Database, actor, locality_code: int) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The responses of a locality; contact details only for those who may edit."""
    require_read(actor, locality_code)
    with db.transaction() as s:
        rows = s.execute(
            select(EmployerSurveyResponse, Organisation.name)
            .join(Organisation, Organisation.id == EmployerSurveyResponse.organisation_id)
            .where(EmployerSurveyResponse.locality_code == locality_code)
            .order_by(EmployerSurveyResponse.survey_date.desc(), Organisation.name)
        ).all()
        records = []
        for row, name in rows:
            record = {
                "id": row.id,
                "company": name,
                "survey_date": row.survey_date,
                "branch": row.branch,
                "employee_count": row.employee_count,
                "open_positions": sum(p.count for p in row.positions),
                "professions": "; ".join(f"{p.profession} ({p.count})" for p in row.positions),
                "hiring_horizon": row.hiring_horizon,
                "remote_work": row.remote_work,
                "offers_training": row.offers_training,
                "training_needs": "; ".join(row.training_needs or []),
                "service_contact": row.service_contact,
                "satisfaction": row.satisfaction,
                "community_interest": row.community_interest,
            }
            if actor.role in EDITORS:
                record.update(
                    contact_name=row.contact_name,
                    contact_phone=row.contact_phone,
                    contact_email=row.contact_email,
                )
            records.append(record)
    return pd.DataFrame(records)


def _in(codes: list[int]):  # type: ignore[no-untyped-def]
    return EmployerSurveyResponse.locality_code.in_(codes)


def summary_queries(s: Session, codes: list[int]) -> dict[str, list]:
    """The raw aggregate queries behind the summary (also the benchmark's baseline)."""
    r, p = EmployerSurveyResponse, EmployerSurveyPosition
    positions = (
        select(p.response_id, func.sum(p.count).label("n"))
        .join(r, r.id == p.response_id)
        .where(_in(codes))
        .group_by(p.response_id)
        .subquery()
    )
    return {
        "professions": s.execute(
            select(p.profession, func.sum(p.count), func.count(func.distinct(p.response_id)))
            .join(r, r.id == p.response_id)
            .where(_in(codes))
            .group_by(p.profession)
        ).all(),
        "hiring": s.execute(
            select(r.hiring_horizon, func.count()).where(_in(codes)).group_by(r.hiring_horizon)
        ).all(),
        "satisfaction": s.execute(
            select(r.satisfaction, func.count())
            .where(_in(codes), r.satisfaction.is_not(None))
            .group_by(r.satisfaction)
        ).all(),
        "training": s.execute(select(r.training_needs).where(_in(codes))).all(),
        "community": s.execute(
            select(func.count()).where(_in(codes), r.community_interest.is_(True))
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
            .where(_in(codes))
            .group_by(r.locality_code)
        ).all(),
    }


def summary(db: Database, actor, locality_codes: list[int]) -> SurveySummary:  # type: ignore[no-untyped-def]
    """Open positions by profession, hiring outlook, training needs and satisfaction over the
    given localities (one locality, or the region: every locality in the user's scope)."""
    codes = require_read_all(actor, locality_codes)
    threshold = get_config().SUPPRESSION_THRESHOLD
    with db.transaction() as s:
        raw = summary_queries(s, codes)
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
    scores = dict(raw["satisfaction"])
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
