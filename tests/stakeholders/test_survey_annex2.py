"""The employer survey as annex 2 of the locality model gives it:
every question with its scale, correcting a response (version-checked, audited with before and
after), the import following the same questions, and the audit of what an import overwrote."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import NotFound, StaleVersion, ValidationError
from employdash.models import AuditEntry, Organisation
from employdash.models.stakeholders import (
    REMOTE_STANCES,
    TRAINING_NEEDS,
    TRAINING_OFFERED,
    EmployerSurveyResponse,
)
from employdash.stakeholders import survey_import, surveys
from employdash.stakeholders.surveys import SurveyInput
from tests.stakeholders.conftest import add_org
from tests.support.concurrency import race

SEDEROT, OUTSIDE = 1031, 2800
DAY = date(2026, 9, 1)


def full(company: str = "מפעל הדרום") -> SurveyInput:
    return SurveyInput(
        survey_date=DAY,
        branch="industry",  # Q3
        hiring_horizon="1_2",  # Q8
        company=company,  # Q1
        location="אזור התעשייה",  # Q2
        employee_count=120,  # Q4
        recruitment_areas=[SEDEROT, 246],  # Q5
        has_vacancies=True,  # Q6
        vacancies=7,  # Q7
        positions=[("מפעילי מכונות", 5, "8211"), ("מחסנאים", 2)],  # Q7's detail
        recruiting_help=True,  # Q8: needs help recruiting
        remote_work="not_relevant",  # Q9
        training_offered="occasional",  # Q10
        training_need="onboarding",  # Q11
        has_service_contact=True,  # Q12
        satisfaction=4,  # Q13
        contact_consent=True,  # Q14
        community_interest=True,  # Q15
        contact_name="מיכל לוי",  # Q16
        contact_phone="08-6600000",
        contact_email="michal@example.org",
    )


def _audits(db: Database, entity_id: int) -> list[AuditEntry]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.entity == "employer_survey_response",
                    AuditEntry.entity_id == str(entity_id),
                )
                .order_by(AuditEntry.id)
            )
        )


def test_the_scales_are_the_annexs() -> None:
    assert REMOTE_STANCES == ("hybrid", "considering", "not_relevant")  # Q9: three answers
    assert len(TRAINING_OFFERED) == 4 and TRAINING_OFFERED[-1] == "none"  # Q10: four levels
    assert TRAINING_NEEDS == ("none", "onboarding", "training")  # Q11: three


def test_every_question_is_stored_and_read_back(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    rid = surveys.create_response(db, manager, SEDEROT, full())
    data, version = surveys.get_response(db, manager, rid)
    assert version == 1
    assert (data.has_vacancies, data.vacancies, data.recruiting_help) == (True, 7, True)
    assert (data.remote_work, data.training_offered, data.training_need) == (
        "not_relevant",
        "occasional",
        "onboarding",
    )
    assert (data.has_service_contact, data.satisfaction, data.contact_consent) == (True, 4, True)
    assert sorted(data.positions) == [("מחסנאים", 2, None), ("מפעילי מכונות", 5, "8211")]
    frame = surveys.responses(db, manager, SEDEROT)
    row = frame[frame.id == rid].iloc[0]
    assert row.contact_consent and row.recruiting_help and "[8211]" in row.professions
    # the organisation the survey created is audited like any other change
    with db.transaction() as s:
        org_id = s.get_one(EmployerSurveyResponse, rid).organisation_id
        entry = s.scalar(
            select(AuditEntry).where(
                AuditEntry.entity == "organisation", AuditEntry.entity_id == str(org_id)
            )
        )
        assert entry is not None and entry.locality_code == SEDEROT


def test_skip_rules_of_the_annex_are_enforced(db: Database, actors: dict[str, Actor]) -> None:
    manager = actors["manager"]
    with pytest.raises(ValidationError) as err:  # Q6 "no" skips Q7
        surveys.create_response(db, manager, SEDEROT, replace(full(), has_vacancies=False))
    assert "has_vacancies" in err.value.fields
    with pytest.raises(ValidationError) as err:  # Q13 only after a yes to Q12
        surveys.create_response(db, manager, SEDEROT, replace(full(), has_service_contact=False))
    assert "satisfaction" in err.value.fields
    with pytest.raises(ValidationError) as err:
        surveys.create_response(
            db, manager, SEDEROT, replace(full(), training_offered="sometimes", remote_work="no")
        )
    assert {"training_offered", "remote_work"} <= set(err.value.fields)
    # questions not asked stay empty
    rid = surveys.create_response(
        db,
        manager,
        SEDEROT,
        SurveyInput(survey_date=DAY, branch="care", hiring_horizon="none", company="מעון"),
    )
    data, _ = surveys.get_response(db, manager, rid)
    assert (data.remote_work, data.training_offered, data.contact_consent) == (None, None, None)


def test_correcting_a_response_is_version_checked_and_audited(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, admin = actors["manager"], actors["admin"]
    rid = surveys.create_response(db, manager, SEDEROT, full())
    data, version = surveys.get_response(db, manager, rid)
    fixed = replace(data, contact_phone="050-1234567", satisfaction=5, positions=[("מחסנאים", 3)])
    assert surveys.update_response(db, manager, rid, version, fixed) == 2
    with pytest.raises(StaleVersion) as err:  # a second correction from the old version
        surveys.update_response(db, admin, rid, version, replace(data, satisfaction=1))
    assert err.value.current_version == 2 and err.value.changes["satisfaction"] == (5, 1)
    stored, v = surveys.get_response(db, manager, rid)
    assert (stored.contact_phone, stored.satisfaction, stored.positions, v) == (
        "050-1234567",
        5,
        [("מחסנאים", 3, None)],
        2,
    )
    update = [a for a in _audits(db, rid) if a.action == "update"]
    assert len(update) == 1
    assert update[0].before is not None and update[0].after is not None
    assert update[0].before["contact_phone"] == "08-6600000"
    assert update[0].after["contact_phone"] == "050-1234567"
    assert update[0].before["satisfaction"] == 4 and update[0].locality_code == SEDEROT
    assert "employee_count" not in update[0].after  # only what changed
    assert surveys.update_response(db, manager, rid, 2, stored) == 2  # nothing changed


def test_correcting_refuses_other_localities_and_read_only_roles(
    db: Database, actors: dict[str, Actor]
) -> None:
    rid = surveys.create_response(db, actors["admin"], OUTSIDE, full())
    data, version = surveys.get_response(db, actors["admin"], rid)
    with pytest.raises(NotFound):  # another locality's response: as if missing
        surveys.update_response(db, actors["manager"], rid, version, data)
    with pytest.raises(NotFound):
        surveys.get_response(db, actors["manager"], rid)
    foreign = add_org(db, "מעסיק בקריית שמונה", "employer", OUTSIDE)
    with pytest.raises(NotFound):  # a handed organisation of another locality
        surveys.create_response(
            db, actors["manager"], SEDEROT, replace(full(), organisation_id=foreign)
        )


def test_concurrent_corrections_keep_exactly_the_accepted_one(
    db: Database, actors: dict[str, Actor]
) -> None:
    rid = surveys.create_response(db, actors["admin"], SEDEROT, full())
    data, version = surveys.get_response(db, actors["admin"], rid)

    def correct(db: Database, actor: Actor, n: int) -> None:
        surveys.update_response(db, actor, rid, version, replace(data, employee_count=100 + n))

    results = race(db.url, "manager", correct, [1, 2, 3, 4, 5])
    assert all(r in ("ok", "stale", "busy") for r in results.values()), results
    accepted = [n for n, r in results.items() if r == "ok"]
    assert len(accepted) == 1, results
    stored, v = surveys.get_response(db, actors["admin"], rid)
    assert (stored.employee_count, v) == (100 + accepted[0], 2)
    assert len([a for a in _audits(db, rid) if a.action == "update"]) == 1


HEADER = (
    "company,survey_date,branch,employee_count,has_vacancies,vacancies,open_positions,"
    "hiring_horizon,recruiting_help,remote_work,training_offered,training_need,"
    "service_contact,satisfaction,contact_consent,community_interest,contact_phone"
)


def _csv(*rows: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1255"])
def test_import_follows_the_annex_and_keeps_what_a_revision_overwrote(
    db: Database, actors: dict[str, Actor], encoding: str
) -> None:
    manager = actors["manager"]
    row = (
        "מפעל יבוא,2026-08-01,industry,80,כן,6,מפעילים:4:8211;אריזה:2,3_6,כן,"
        "לא רלוונטי לארגון,מציעים לעתים לחלק מהעובדים,צריך לעשות הכשרה,כן,4,כן,לא,08-6611111"
    )
    preview = survey_import.preview(db, manager, _csv(row, encoding=encoding), "s.csv", SEDEROT)
    assert preview.rejected == [] and len(preview.to_add) == 1
    data = preview.to_add[0].data
    assert (data.has_vacancies, data.vacancies, data.recruiting_help) == (True, 6, True)
    assert (data.remote_work, data.training_offered, data.training_need) == (
        "not_relevant",
        "occasional",
        "training",
    )
    assert (data.has_service_contact, data.contact_consent) == (True, True)
    assert ("מפעילים", 4, "8211") in data.positions
    assert survey_import.commit(db, manager, preview).added == 1
    with db.transaction() as s:
        rid = s.scalar(
            select(EmployerSurveyResponse.id)
            .join(Organisation, Organisation.id == EmployerSurveyResponse.organisation_id)
            .where(Organisation.name == "מפעל יבוא")
        )
        assert rid is not None
        org_audit = s.scalar(
            select(AuditEntry)
            .where(AuditEntry.entity == "organisation", AuditEntry.action == "create")
            .order_by(AuditEntry.id.desc())
        )
        assert org_audit is not None and org_audit.after is not None
        assert org_audit.after["name"] == "מפעל יבוא"
    # the same row again with a new phone number: a revision that keeps the old number
    changed = row.replace("08-6611111", "050-9999999").replace(",4,כן,", ",2,כן,")
    revision = survey_import.preview(
        db, manager, _csv(changed, encoding=encoding), "s.csv", SEDEROT
    )
    assert len(revision.to_revise) == 1
    assert survey_import.commit(db, manager, revision).revised == 1
    entry = [a for a in _audits(db, rid) if a.action == "import_revise"][-1]
    assert entry.before == {"contact_phone": "08-6611111", "satisfaction": 4}
    assert entry.after is not None
    assert entry.after["contact_phone"] == "050-9999999" and entry.after["satisfaction"] == 2
    stored, version = surveys.get_response(db, manager, rid)
    assert (stored.contact_phone, version) == ("050-9999999", 2)


def test_files_for_the_older_form_still_import(db: Database, actors: dict[str, Actor]) -> None:
    old = (
        "company,survey_date,branch,hiring_horizon,remote_work,offers_training,service_contact\n"
        "חברה ותיקה,2026-07-01,logistics,1_2,partial,yes,occasional\n"
        "חברה שנייה,2026-07-01,logistics,none,no,no,none\n"
    ).encode()
    preview = survey_import.preview(db, actors["manager"], old, "old.csv", SEDEROT)
    got = [
        (
            p.data.remote_work,
            p.data.training_offered,
            p.data.has_service_contact,
            p.data.service_contact,
        )
        for p in preview.to_add
    ]
    assert got == [
        ("considering", "offered", True, "occasional"),
        ("not_relevant", "none", False, "none"),
    ]
