"""The mapping questionnaire and the audience matrix (overlaps and gaps)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound, PermissionDenied, StaleVersion, ValidationError
from employdash.models import AuditEntry
from employdash.models.stakeholders import AUDIENCES, OrganisationProfile
from employdash.stakeholders import organisations
from employdash.stakeholders.organisations import ProfileInput
from tests.stakeholders.conftest import add_org, add_stakeholder

pytestmark = pytest.mark.rolled_back


def test_matrix_shows_who_serves_which_audience_with_overlaps_and_gaps(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    college = add_org(db, "מכללה", "academia_training")
    ngo = add_org(db, "עמותה", "ngo")
    organisations.save_profile(
        db,
        admin,
        empty_code,
        college,
        ProfileInput(goals="הכשרה", programs=[("קורס תוכנה", ["youth", "graduates"])]),
        None,
    )
    organisations.save_profile(
        db,
        admin,
        empty_code,
        ngo,
        ProfileInput(audiences=["women"], programs=[("ליווי", ["youth"]), ("חונכות", ["youth"])]),
        None,
    )
    matrix, summary = organisations.audience_matrix(db, admin, empty_code)
    cells = matrix.set_index("audience")
    assert cells.loc["youth", "מכללה"] == "קורס תוכנה"
    assert cells.loc["youth", "עמותה"] == "ליווי; חונכות"
    assert cells.loc["women", "עמותה"] == "•"
    assert cells.loc["haredi", "עמותה"] == ""
    status = dict(zip(summary.audience, summary.status, strict=True))
    assert status["youth"] == "overlap" and status["graduates"] == "single"
    assert {a for a, s in status.items() if s == "gap"} == set(AUDIENCES) - {
        "youth",
        "graduates",
        "women",
    }


def test_profile_versions_audit_and_access(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    org = add_org(db, "ארגון", "ngo")
    add_stakeholder(db, admin, "ארגון חבר", "ngo", 3, 3, engagement="forum_member")
    v1 = organisations.save_profile(
        db, admin, empty_code, org, ProfileInput(goals="א", audiences=["arab"]), None
    )
    v2 = organisations.save_profile(
        db, admin, empty_code, org, ProfileInput(goals="ב", audiences=["arab"]), v1
    )
    with pytest.raises(StaleVersion) as err:
        organisations.save_profile(db, admin, empty_code, org, ProfileInput(goals="ג"), v1)
    assert err.value.changes["goals"] == ("ב", "ג")
    profile = organisations.get_profile(db, admin, empty_code, org)
    assert profile is not None and profile["goals"] == "ב"
    assert v2 == 2
    with pytest.raises(ValidationError):
        organisations.save_profile(
            db, admin, empty_code, org, ProfileInput(audiences=["martians"]), v2
        )
    with pytest.raises(PermissionDenied):
        organisations.save_profile(db, actors["mayor"], 1031, org, ProfileInput(), None)
    with pytest.raises(PermissionDenied):
        organisations.member_organisations(db, actors["member"], 1031)
    members = organisations.member_organisations(db, admin, empty_code)
    assert set(members.name) == {"ארגון", "ארגון חבר"}
    with db.transaction() as s:
        actions = s.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == "organisation_profile")
            .order_by(AuditEntry.id)
        ).all()
    assert actions == ["create", "update"]


def test_save_profile_refuses_another_localitys_organisation(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A handed organisation ID of another locality is refused like a missing one."""
    foreign = add_org(db, "ארגון בקריית שמונה", "ngo", 2800)
    with pytest.raises(NotFound):
        organisations.save_profile(
            db, actors["manager"], 1031, foreign, ProfileInput(goals="x"), None
        )
    with db.transaction() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(OrganisationProfile)
                .where(OrganisationProfile.organisation_id == foreign)
            )
            == 0
        )
