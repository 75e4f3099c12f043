"""The organisation mapping questionnaire (model annex 4, meeting 2) and the audience matrix.

Each member organisation answers: goals, activities, target audiences, programs (each serving
some audiences) and collaborations. The matrix puts audiences against organisations with the
programs in the cells, so an audience served by several organisations (overlap) or by none (gap)
stands out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_read, require_write
from employdash.db import Database, rowcount
from employdash.errors import NotFound, StaleVersion
from employdash.handed_ids import in_locality
from employdash.models import Organisation
from employdash.models.base import utcnow
from employdash.models.stakeholders import (
    AUDIENCES,
    OrganisationProfile,
    OrganisationProgram,
    Stakeholder,
)
from employdash.stakeholders.common import check_text, raise_if
from employdash.stakeholders.grid import forum_member_people


@dataclass
class ProfileInput:
    goals: str | None = None
    activities: str | None = None
    audiences: list[str] = field(default_factory=list)
    collaborations: str | None = None
    programs: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, audiences)


def member_organisations(db: Database, actor: Actor, locality_code: int) -> pd.DataFrame:
    """Organisations the questionnaire is for: those of forum members (forum teams, or marked as
    forum members in the stakeholder register) and any that already answered."""
    require_read(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        ids = {m[1] for m in forum_member_people(s, locality_code) if m[1] is not None}
        ids |= set(
            s.scalars(
                select(Stakeholder.organisation_id).where(
                    Stakeholder.locality_code == locality_code,
                    Stakeholder.engagement == "forum_member",
                )
            )
        )
        answered = dict(
            s.execute(
                select(OrganisationProfile.organisation_id, OrganisationProfile.version).where(
                    OrganisationProfile.locality_code == locality_code
                )
            ).all()
        )
        ids |= set(answered)
        rows = s.execute(
            select(Organisation.id, Organisation.name, Organisation.sector)
            .where(Organisation.id.in_(sorted(ids)))
            .order_by(Organisation.name)
        ).all()
    return pd.DataFrame(
        [{"id": i, "name": n, "sector": sec, "answered": i in answered} for i, n, sec in rows],
        columns=["id", "name", "sector", "answered"],
    )


class ProfileAnswers(TypedDict):
    """A saved profile as the form reads it (and as the audit row records it). Programs stay
    `[name, audiences]` lists so the audit JSON is unchanged."""

    goals: str | None
    activities: str | None
    audiences: list[str]
    collaborations: str | None
    programs: list[list[str | list[str]]]
    version: int


def _as_dict(profile: OrganisationProfile) -> ProfileAnswers:
    return {
        "goals": profile.goals,
        "activities": profile.activities,
        "audiences": list(profile.audiences or []),
        "collaborations": profile.collaborations,
        "programs": [[p.name, list(p.audiences or [])] for p in profile.programs],
        "version": profile.version,
    }


def get_profile(
    db: Database, actor: Actor, locality_code: int, organisation_id: int
) -> ProfileAnswers | None:
    require_read(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        profile = s.scalar(
            select(OrganisationProfile).where(
                OrganisationProfile.locality_code == locality_code,
                OrganisationProfile.organisation_id == organisation_id,
            )
        )
        return _as_dict(profile) if profile else None


def _validate(data: ProfileInput) -> ProfileInput:
    errors: dict[str, str] = {}
    goals = check_text(errors, "goals", data.goals, "profile/text")
    activities = check_text(errors, "activities", data.activities, "profile/text")
    collaborations = check_text(errors, "collaborations", data.collaborations, "profile/text")
    if any(a not in AUDIENCES for a in data.audiences):
        errors["audiences"] = "validation.invalid"
    programs = []
    for k, (name, audiences) in enumerate(data.programs):
        clean = check_text(errors, f"programs.{k}", name, "profile/program", required=True)
        if any(a not in AUDIENCES for a in audiences):
            errors[f"programs.{k}"] = "validation.invalid"
        programs.append((clean or "", sorted(set(audiences), key=AUDIENCES.index)))
    if len({n for n, _ in programs}) < len(programs):
        errors["programs"] = "validation.duplicate"
    raise_if(errors)
    audiences = sorted(
        set(data.audiences) | {a for _, aud in programs for a in aud}, key=AUDIENCES.index
    )
    return ProfileInput(goals, activities, audiences, collaborations, programs)


def save_profile(
    db: Database,
    actor: Actor,
    locality_code: int,
    organisation_id: int,
    data: ProfileInput,
    version: int | None,
) -> int:
    """Create (version None) or update the answers read at `version`; returns the new version.

    The version is checked in the UPDATE's WHERE clause (and the row count read), so two managers
    saving the same profile on two replicas cannot both win; two first saves meet the unique key.
    """
    require_write(actor, Area.STAKEHOLDERS, locality_code)
    clean = _validate(data)
    after = {
        "goals": clean.goals,
        "activities": clean.activities,
        "audiences": clean.audiences,
        "collaborations": clean.collaborations,
        "programs": [[n, a] for n, a in clean.programs],
    }
    try:
        with db.transaction() as s:
            in_locality(s, actor, Organisation, organisation_id, locality_code)
            return _save(s, actor, locality_code, organisation_id, clean, after, version)
    except IntegrityError as exc:  # someone else created the profile first
        with db.transaction() as s:
            current = s.scalar(
                select(OrganisationProfile.version).where(
                    OrganisationProfile.locality_code == locality_code,
                    OrganisationProfile.organisation_id == organisation_id,
                )
            )
        raise StaleVersion({}, current or 1) from exc


def _save(
    s: Session,
    actor: Actor,
    locality_code: int,
    organisation_id: int,
    clean: ProfileInput,
    after: dict[str, Any],
    version: int | None,
) -> int:
    profile = s.scalar(
        select(OrganisationProfile).where(
            OrganisationProfile.locality_code == locality_code,
            OrganisationProfile.organisation_id == organisation_id,
        )
    )
    fields = {
        "goals": clean.goals,
        "activities": clean.activities,
        "audiences": clean.audiences,
        "collaborations": clean.collaborations,
    }
    if profile is None:
        if version is not None:
            raise NotFound(f"profile of organisation {organisation_id}")
        profile = OrganisationProfile(
            organisation_id=organisation_id, locality_code=locality_code, version=1, **fields
        )
        s.add(profile)
        s.flush()
        before: dict[str, Any] = {}
        new_version = 1
    else:
        before = {k: v for k, v in _as_dict(profile).items() if k != "version"}
        if version != profile.version:
            changes = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
            raise StaleVersion(changes, profile.version)
        result = s.execute(
            update(OrganisationProfile)
            .where(OrganisationProfile.id == profile.id, OrganisationProfile.version == version)
            .values(**fields, version=version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:  # a save on another replica slipped in after our read
            s.rollback()
            raise StaleVersion({}, version + 1)
        s.refresh(profile)
        new_version = version + 1
    profile.programs = [OrganisationProgram(name=n, audiences=a) for n, a in clean.programs]
    s.flush()
    old, new = audit.changed_fields(before, after)
    audit.record(
        s,
        actor,
        "update" if before else "create",
        "organisation_profile",
        profile.id,
        before=old or None,
        after=new,
        locality_code=locality_code,
    )
    return new_version


def audience_matrix(
    db: Database, actor: Actor, locality_code: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(matrix, summary): the matrix has one row per audience and one column per organisation,
    cells listing the programs serving it ("•" when the organisation names the audience without
    a program); the summary counts organisations per audience and flags overlaps and gaps."""
    require_read(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        profiles = s.execute(
            select(OrganisationProfile, Organisation.name)
            .join(Organisation, Organisation.id == OrganisationProfile.organisation_id)
            .where(OrganisationProfile.locality_code == locality_code)
            .order_by(Organisation.name)
        ).all()
        data = [
            (name, list(p.audiences or []), [(g.name, list(g.audiences or [])) for g in p.programs])
            for p, name in profiles
        ]
    orgs = [name for name, _, _ in data]
    cells = {a: {o: "" for o in orgs} for a in AUDIENCES}
    for name, audiences, programs in data:
        for audience in audiences:
            served = [g for g, aud in programs if audience in aud]
            cells[audience][name] = "; ".join(served) if served else "•"
    matrix = pd.DataFrame.from_dict(cells, orient="index", columns=orgs)
    matrix.index.name = "audience"
    counts = [(a, sum(1 for v in cells[a].values() if v)) for a in AUDIENCES]
    summary = pd.DataFrame(
        [
            {
                "audience": a,
                "organisations": n,
                "status": "gap" if n == 0 else "overlap" if n > 1 else "single",
            }
            for a, n in counts
        ]
    )
    return matrix.reset_index(), summary
