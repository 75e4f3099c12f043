"""Samples of the organisation questionnaire's and the employer survey's commands."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.models import Organisation
from employdash.models.stakeholders import EmployerSurveyResponse, OrganisationProfile
from employdash.stakeholders import organisations, survey_import, surveys
from employdash.stakeholders.organisations import ProfileInput
from employdash.stakeholders.surveys import SurveyInput
from tests.foundation.command_samples import SEDEROT, first, sample


def _first(db: Database, model: type[EmployerSurveyResponse | OrganisationProfile]) -> Any:
    """The first record of `model` in Sederot: its id, version and organisation."""
    with db.transaction() as s:
        found = s.execute(
            select(model.id, model.version, model.organisation_id)
            .where(model.locality_code == SEDEROT)
            .order_by(model.id)
            .limit(1)
        ).first()
    assert found is not None, f"the demo data has no {model.__name__} in Sederot"
    return found


def _response(db: Database) -> tuple[int, int]:
    """The first survey response of Sederot and its version."""
    rid, version, _ = _first(db, EmployerSurveyResponse)
    return rid, version


def _answers(company: str | None = None, organisation_id: int | None = None) -> SurveyInput:
    return SurveyInput(
        survey_date=date(2026, 9, 1),
        branch="logistics",
        hiring_horizon="1_2",
        organisation_id=organisation_id,
        company=company,
        location="Industrial zone",
        positions=[("Drivers", 3)],
        has_service_contact=True,
        satisfaction=4,
        contact_name="Avi",
        contact_phone="050-1234567",
        contact_email="avi@example.org",
    )


@sample("employdash.stakeholders.organisations.SaveProfile")
def _save_profile(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    pid, version, org = _first(db, OrganisationProfile)
    data = ProfileInput("Jobs", "Training", ["youth"], "The college", [("Bridge", ["youth"])])
    return organisations.SaveProfile.of(SEDEROT, org, data, version, pid)


@sample("employdash.stakeholders.surveys.CreateResponse")
def _create_response(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    org = first(db, Organisation, Organisation.locality_code == SEDEROT)
    return surveys.CreateResponse.of(SEDEROT, _answers(organisation_id=org))


@sample("employdash.stakeholders.surveys.UpdateResponse")
def _update_response(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    rid, version = _response(db)
    data, _ = surveys.get_response(db, actors["manager"], rid)
    data.satisfaction, data.contact_phone = 5 if data.satisfaction != 5 else 4, "050-7654321"
    data.has_service_contact = True
    return surveys.UpdateResponse.of(rid, version, data)


@sample("employdash.stakeholders.surveys.DeleteResponse")
def _delete_response(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    return surveys.DeleteResponse.of(*_response(db))


@sample("employdash.stakeholders.survey_import.ImportSurveys")
def _import(db: Database, actors: dict[str, Actor]) -> Command[Any]:
    """A file of two rows: a new employer, and a revision of a stored response."""
    rid, version = _response(db)
    stored, _ = surveys.get_response(db, actors["manager"], rid)
    with db.transaction() as s:
        name = s.get_one(EmployerSurveyResponse, rid).organisation_id
        company = s.get_one(Organisation, name).name
    stored.has_service_contact, stored.contact_name = True, "Dana"
    stored.satisfaction = 5 if stored.satisfaction != 5 else 4
    revised = survey_import.ParsedRow(3, SEDEROT, company, stored, rid, version)
    added = survey_import.ParsedRow(2, SEDEROT, "Imported Co", _answers("Imported Co"))
    preview = survey_import.SurveyPreview(
        "survey.csv", SEDEROT, rows_read=2, to_add=[added], to_revise=[revised]
    )
    return survey_import.ImportSurveys.of(preview)
