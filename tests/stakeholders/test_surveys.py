"""Employer survey summaries on known responses, with small-count suppression and scope."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied, StaleVersion, ValidationError
from employdash.models import Organisation
from employdash.models.stakeholders import EmployerSurveyResponse
from employdash.stakeholders import surveys
from employdash.stakeholders.surveys import SurveyInput

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back

DAY = date(2026, 9, 1)


def response(
    company: str,
    horizon: str = "1_2",
    satisfaction: int | None = 4,
    positions: list[tuple[str, int] | tuple[str, int, str | None]] | None = None,
    needs: list[str] | None = None,
    community: bool = False,
) -> SurveyInput:
    return SurveyInput(
        survey_date=DAY,
        branch="logistics",
        hiring_horizon=horizon,
        remote_work="not_relevant",
        has_service_contact=True,
        company=company,
        positions=positions or [],
        training_needs=needs or [],
        satisfaction=satisfaction,
        community_interest=community,
    )


def test_summary_counts_positions_and_suppresses_small_respondent_counts(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    for k in range(6):
        surveys.create_response(
            db,
            admin,
            empty_code,
            response(
                f"חברה {k}",
                horizon="1_2" if k < 5 else "3_6",
                satisfaction=4 if k < 5 else 2,
                positions=[("נהגים", 2), ("מחסנאים", 1)] if k < 5 else [("מלצרות", 7)],
                needs=["מלגזה"] if k < 5 else ["עברית לעבודה"],
                community=k < 5,
            ),
        )
    result = surveys.summary(db, admin, [empty_code])
    assert result.respondents == 6 and result.open_positions == 2 * 5 + 5 + 7
    prof = result.by_profession.set_index("profession")
    assert prof.loc["נהגים", "positions"] == 10 and prof.loc["נהגים", "employers"] == 5
    assert prof.loc["מלצרות", "positions"] == 7 and pd.isna(prof.loc["מלצרות", "employers"])
    hiring = dict(zip(result.hiring.horizon, result.hiring.respondents, strict=True))
    # "3_6" has one respondent: hidden; the total is known, so a second cell is hidden too
    assert pd.isna(hiring["3_6"]) and pd.isna(hiring["1_2"])
    assert hiring["6_plus"] == 0 and hiring["none"] == 0
    needs = dict(zip(result.training.need, result.training.respondents, strict=True))
    assert needs["מלגזה"] == 5 and pd.isna(needs["עברית לעבודה"])
    assert result.satisfaction_mean == pytest.approx((5 * 4 + 2) / 6)
    assert result.community_interest == 5
    assert result.per_locality.respondents.tolist() == [6]


def test_small_localities_hide_their_respondent_figures(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    for k in range(3):
        surveys.create_response(db, admin, empty_code, response(f"חברה {k}"))
    result = surveys.summary(db, admin, [empty_code])
    assert result.respondents is None and result.satisfaction_mean is None
    assert result.per_locality.satisfaction_mean.isna().all()
    assert result.per_locality.respondents.isna().all()


def test_region_summary_adds_the_localities_in_scope(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    assert manager.localities is not None
    codes = sorted(manager.localities)
    region = surveys.summary(db, manager, codes)
    singles = [surveys.summary(db, manager, [c]) for c in codes]
    assert region.open_positions == sum(s.open_positions for s in singles)
    with db.transaction() as s:
        stored = s.scalar(
            select(func.count())
            .select_from(EmployerSurveyResponse)
            .where(EmployerSurveyResponse.locality_code.in_(codes))
        )
    assert region.respondents == stored
    assert sorted(region.per_locality.locality_code) == codes
    with pytest.raises(PermissionDenied):
        surveys.summary(db, manager, [*codes, 2800])
    with pytest.raises(PermissionDenied):
        surveys.summary(db, actors["member"], [1031])


def test_response_validation_duplicates_and_roles(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    rid = surveys.create_response(db, admin, empty_code, response("חברה", positions=[("נהגים", 3)]))
    with pytest.raises(ValidationError) as err:
        surveys.create_response(db, admin, empty_code, response("חברה"))
    assert err.value.fields == {"survey_date": "validation.duplicate"}
    bad = response("x", satisfaction=9, positions=[("נהגים", 0)])
    bad.branch = "magic"
    with pytest.raises(ValidationError) as err:
        surveys.create_response(db, admin, empty_code, bad)
    assert {"satisfaction", "positions", "branch"} <= set(err.value.fields)
    with pytest.raises(PermissionDenied):
        surveys.create_response(db, actors["mayor"], 1031, response("חברה"))
    frame = surveys.responses(db, admin, empty_code)
    assert frame.open_positions.tolist() == [3] and "contact_name" in frame
    assert "contact_name" not in surveys.responses(db, actors["mayor"], 1031)
    surveys.delete_response(db, admin, rid, 1)
    assert surveys.responses(db, admin, empty_code).empty


def test_a_response_stores_its_texts_cleaned(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    """Control characters go from every text a response holds: the declared ones (the company,
    the contact) and those inside its lists (professions, training needs)."""
    hostile = "a\x00b\x0bc\x1bd\uffffe"
    data = response(f"Co {hostile}", positions=[(f"Driver {hostile}", 2)], needs=[hostile])
    data.contact_name = f"Avi {hostile}"
    rid = surveys.create_response(db, actors["admin"], empty_code, data)
    with db.transaction() as s:
        answer = s.get_one(EmployerSurveyResponse, rid)
        company = s.get_one(Organisation, answer.organisation_id).name
        stored = (company, answer.contact_name, answer.training_needs)
        professions = [p.profession for p in answer.positions]
    assert stored == ("Co abcde", "Avi abcde", ["abcde"])
    assert professions == ["Driver abcde"]


def test_a_correction_of_the_positions_alone_moves_the_version(
    db: Database, actors: dict[str, Actor], empty_code: int
) -> None:
    admin = actors["admin"]
    rid = surveys.create_response(db, admin, empty_code, response("חברה", positions=[("נהגים", 3)]))
    data, version = surveys.get_response(db, admin, rid)
    data.positions = [("נהגים", 4), ("מחסנאים", 1)]
    assert surveys.update_response(db, admin, rid, version, data) == version + 1
    stored, _ = surveys.get_response(db, admin, rid)
    assert sorted(stored.positions) == [("מחסנאים", 1, None), ("נהגים", 4, None)]
    with pytest.raises(StaleVersion) as stale:  # the other editor read the old positions
        surveys.update_response(db, admin, rid, version, replace(data, positions=[("נהגים", 9)]))
    assert stale.value.current_version == version + 1
