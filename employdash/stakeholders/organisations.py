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
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, ReadScope, only, read_scope
from employdash.commands import Ref, Write, ref
from employdash.db import Database
from employdash.errors import NotFound
from employdash.models import Organisation
from employdash.models.stakeholders import AUDIENCES, OrganisationProfile, Stakeholder
from employdash.stakeholders.common import StakeholderChange, check_text, raise_if
from employdash.stakeholders.grid import forum_member_people
from employdash.writers import writer


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
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        ids = {m[1] for m in forum_member_people(s, scope) if m[1] is not None}
        ids |= set(
            s.scalars(
                select(Stakeholder.organisation_id).where(
                    scope.of(Stakeholder.locality_code),
                    Stakeholder.engagement == "forum_member",
                )
            )
        )
        answered = dict(
            s.execute(
                select(OrganisationProfile.organisation_id, OrganisationProfile.version).where(
                    scope.of(OrganisationProfile.locality_code)
                )
            ).all()
        )
        ids |= set(answered)
        rows = s.execute(
            select(Organisation.id, Organisation.name, Organisation.sector)
            .where(Organisation.id.in_(sorted(ids)), scope.of(Organisation.locality_code))
            .order_by(Organisation.name)
        ).all()
    return pd.DataFrame(
        [{"id": i, "name": n, "sector": sec, "answered": i in answered} for i, n, sec in rows],
        columns=["id", "name", "sector", "answered"],
    )


class ProfileAnswers(TypedDict):
    """A saved profile as the form reads it, with the ID and version its save names."""

    id: int
    goals: str | None
    activities: str | None
    audiences: list[str]
    collaborations: str | None
    programs: list[list[str | list[str]]]
    version: int


def _as_dict(profile: OrganisationProfile) -> ProfileAnswers:
    return {
        "id": profile.id,
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
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        profile = _stored(s, scope, organisation_id)
        return _as_dict(profile) if profile else None


def _validate(data: ProfileInput) -> ProfileInput:
    """The audiences and programs checked (the free texts are the pipeline's)."""
    errors: dict[str, str] = {}
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
    return ProfileInput(data.goals, data.activities, audiences, data.collaborations, programs)


def _stored(s: Session, scope: ReadScope, organisation_id: int) -> OrganisationProfile | None:
    return s.scalar(
        select(OrganisationProfile).where(
            scope.of(OrganisationProfile.locality_code),
            OrganisationProfile.organisation_id == organisation_id,
        )
    )


_NOTHING_READ: dict[str, Any] = {
    "goals": None,
    "activities": None,
    "audiences": [],
    "collaborations": None,
    "program_list": [],
}


@dataclass
class SaveProfile(
    StakeholderChange[int],
    entity="organisation_profile",
    texts={"goals": "profile/text", "activities": "profile/text", "collaborations": "profile/text"},
):
    """An organisation's answers: the first save creates its profile (no `version`), a later one
    saves over the profile read at `version` (the organisation's profile, which the form names
    as `profile`). Returns the new version."""

    locality_code: int
    organisation: Ref[Organisation]
    goals: str | None
    activities: str | None
    collaborations: str | None
    audiences: list[str]
    programs: list[tuple[str, list[str]]]
    profile: Ref[OrganisationProfile] | None = None
    version: int | None = None

    @classmethod
    def of(
        cls,
        locality_code: int,
        organisation_id: int,
        data: ProfileInput,
        version: int | None = None,
        profile_id: int | None = None,
    ) -> SaveProfile:
        return cls(
            locality_code,
            Ref(Organisation, organisation_id),
            data.goals,
            data.activities,
            data.collaborations,
            list(data.audiences),
            [(name, list(aud)) for name, aud in data.programs],
            ref(OrganisationProfile, profile_id),
            version,
        )

    def validate(self, w: Write) -> None:
        profile = w.get_optional(self.profile)
        if profile is not None and profile.organisation_id != self.organisation.id:
            raise NotFound(f"profile {profile.id} of organisation {self.organisation.id}")

    def run(self, w: Write) -> int:
        clean = _validate(
            ProfileInput(
                self.goals, self.activities, self.audiences, self.collaborations, self.programs
            )
        )
        values: dict[str, Any] = {
            "goals": clean.goals,
            "activities": clean.activities,
            "audiences": clean.audiences,
            "collaborations": clean.collaborations,
            "program_list": clean.programs,
        }
        profile = w.get_optional(self.profile)
        if profile is None:
            # A first save locks its organisation's row (an UPDATE that changes nothing: SQLite
            # has no SELECT ... FOR UPDATE), so of two first saves at once the second finds the
            # first one's profile and is refused as stale below.
            w.session.execute(
                update(Organisation)
                .where(Organisation.id == self.organisation.id)
                .values(name=Organisation.name)
            )
            profile = _stored(w.session, only(self.locality_code), self.organisation.id)
            if profile is None and self.version is not None:
                raise NotFound(f"profile of organisation {self.organisation.id}")
            if profile is None:
                return self._create(w, values).version
        # Saved over the version read (0: the form read no answers, someone saved some since).
        read = None if self.version else _NOTHING_READ
        w.update(profile, self.version or 0, values, read=read)
        return profile.version

    def _create(self, w: Write, values: dict[str, Any]) -> OrganisationProfile:
        profile = OrganisationProfile(
            organisation_id=self.organisation.id,
            locality_code=self.locality_code,
            **{k: v for k, v in values.items() if k != "program_list"},
        )
        profile.program_list = values["program_list"]
        return w.create(profile, values)


save_profile = writer(SaveProfile.of)


def audience_matrix(
    db: Database, actor: Actor, locality_code: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(matrix, summary): the matrix has one row per audience and one column per organisation,
    cells listing the programs serving it ("•" when the organisation names the audience without
    a program); the summary counts organisations per audience and flags overlaps and gaps."""
    scope = read_scope(actor, Area.STAKEHOLDERS, locality_code)
    with db.transaction() as s:
        profiles = s.execute(
            select(OrganisationProfile, Organisation.name)
            .join(Organisation, Organisation.id == OrganisationProfile.organisation_id)
            .where(scope.of(OrganisationProfile.locality_code))
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
