"""Which account a sign-in with the identity provider lands in: the one active user with the
e-mail it vouches for, in any case; none for an unknown, inactive or shared address (never a new
one); and which e-mail a provider's answer vouches for."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from components.shell.oidc import email_of
from employdash.config import load_config
from employdash.db import Database
from employdash.errors import ConfigError
from employdash.models import User
from employdash.users import username_for_email

pytestmark = pytest.mark.rolled_back


def _accounts(db: Database) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(User)) or 0)


def test_the_account_is_matched_by_email_in_any_case(db: Database) -> None:
    before = _accounts(db)
    assert username_for_email(db, "manager@example.org") == "manager"
    assert username_for_email(db, " MANAGER@Example.Org ") == "manager"
    assert username_for_email(db, "stranger@example.org") is None
    assert _accounts(db) == before  # never an account made


def test_an_inactive_or_shared_address_lands_nowhere(db: Database) -> None:
    with db.transaction() as s:
        s.execute(update(User).where(User.username == "mayor").values(active=False))
        s.execute(update(User).where(User.username == "admin").values(email="Member@example.org"))
    assert username_for_email(db, "mayor@example.org") is None
    assert username_for_email(db, "member@example.org") is None  # which of the two: a guess


def test_the_vouched_email() -> None:
    assert email_of({"email": "a@b.org"}) == "a@b.org"
    assert email_of({"email": "a@b.org", "email_verified": False}) is None
    assert email_of({"preferred_username": "a@b.org"}) == "a@b.org"  # Entra ID's sign-in name
    assert email_of({"preferred_username": "a-user"}) is None
    assert email_of({"sub": "x"}) is None


def test_a_provider_needs_its_client(tmp_path: Path) -> None:
    none, key = tmp_path / "none.toml", tmp_path / "k"
    issuer = {"OIDC_ISSUER": "https://login.example.org/tenant/v2.0"}
    with pytest.raises(ConfigError, match="OIDC_CLIENT_ID and OIDC_CLIENT_SECRET"):
        load_config({**issuer, "OIDC_CLIENT_ID": "app"}, none, key)
    both = {**issuer, "OIDC_CLIENT_ID": "app", "OIDC_CLIENT_SECRET": "s"}
    assert load_config(both, none, key).OIDC_CLIENT_ID == "app"
    with pytest.raises(ConfigError, match="COOKIE_EXPIRY_DAYS"):  # its sign-in ends in the cookie
        load_config({**both, "COOKIE_EXPIRY_DAYS": "0"}, none, key)
    assert load_config({}, none, key).OIDC_ISSUER == ""  # no provider: passwords only
