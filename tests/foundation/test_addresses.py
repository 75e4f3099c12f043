"""An e-mail address typed on the person, user or survey form: refused when it is not an
address (nothing saved), stored in its normal form when it is."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from employdash import people, users
from employdash.access import Actor
from employdash.addresses import INVALID, address_problem
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.models import Person, User
from employdash.models.stakeholders import EmployerSurveyResponse
from employdash.stakeholders import surveys
from tests.foundation.command_samples import SEDEROT

pytestmark = pytest.mark.rolled_back

NOT_ADDRESSES = [
    "dana",
    "dana@",
    "dana@@example.org",
    "dana@example",  # no top-level domain
    "dana levi@example.org",
    "dana@example..org",
    "dana@localhost",  # a special-use name: no mail is delivered there
    "dana@example.org\r\nBcc: all@example.org",  # a header smuggled into an address
]


@pytest.mark.parametrize("typed", NOT_ADDRESSES)
def test_what_is_not_an_address_is_refused(typed: str) -> None:
    assert address_problem(typed) == (typed, INVALID)


def test_an_address_is_kept_in_its_normal_form() -> None:
    assert address_problem("Dana.Levi@Sderot.MUNI.il") == ("Dana.Levi@sderot.muni.il", None)
    assert address_problem("") == (None, None) and address_problem(None) == (None, None)


def _count(db: Database, model: type[Person] | type[User]) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_the_person_form_refuses_a_bad_address_and_normalises_a_good_one(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    before = _count(db, Person)
    with pytest.raises(ValidationError) as refused:
        people.create_person(db, manager, SEDEROT, people.PersonInput("Dana", email="dana@@x.org"))
    assert refused.value.fields == {"email": "validation.email"}
    assert _count(db, Person) == before
    made = people.create_person(
        db, manager, SEDEROT, people.PersonInput("Dana Levi", email="Dana@Example.ORG")
    )
    with db.transaction() as s:
        person = s.get_one(Person, made)
        assert person.email == "Dana@example.org"
        version = person.version
    with pytest.raises(ValidationError) as edited:
        people.update_person(
            db, manager, SEDEROT, made, version, people.PersonInput("Dana Levi", email="dana@")
        )
    assert edited.value.fields == {"email": "validation.email"}


def test_the_user_form_refuses_a_bad_address_and_normalises_a_good_one(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin, member = actors["admin"], actors["member"]
    before = _count(db, User)
    bad = users.UserForm("noa.levi", "Noa", "member", (SEDEROT,), "noa@example", "long-password-1")
    with pytest.raises(ValidationError) as refused:
        users.create_user(db, admin, bad)
    assert refused.value.fields == {"email": "validation.email"}
    assert _count(db, User) == before
    with db.transaction() as s:
        version = s.get_one(User, member.user_id).version
    form = users.UserForm("member", "Member", "member", (SEDEROT,), "bad address@example.org")
    with pytest.raises(ValidationError) as edited:
        users.update_user(db, admin, member.user_id, form, active=True, version=version)
    assert edited.value.fields == {"email": "validation.email"}
    good = users.UserForm("member", "Member", "member", (SEDEROT,), "Member@EXAMPLE.org")
    users.update_user(db, admin, member.user_id, good, active=True, version=version)
    with db.transaction() as s:
        assert s.get_one(User, member.user_id).email == "Member@example.org"


def test_the_survey_form_refuses_a_bad_contact_address_and_normalises_a_good_one(
    db: Database, actors: dict[str, Actor]
) -> None:
    def answer(company: str, address: str) -> surveys.SurveyInput:
        return surveys.SurveyInput(
            survey_date=date(2026, 9, 1),
            branch="logistics",
            hiring_horizon="1_2",
            remote_work="not_relevant",
            has_service_contact=True,
            company=company,
            contact_email=address,
        )

    manager = actors["manager"]
    with pytest.raises(ValidationError) as refused:
        surveys.create_response(db, manager, SEDEROT, answer("Sapir Logistics", "avi@sapir"))
    assert refused.value.fields == {"contact_email": "validation.email"}
    made = surveys.create_response(
        db, manager, SEDEROT, answer("Sapir Logistics", "Avi@SAPIR.co.il")
    )
    with db.transaction() as s:
        assert s.get_one(EmployerSurveyResponse, made).contact_email == "Avi@sapir.co.il"
