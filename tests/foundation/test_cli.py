"""The command line a new installation uses, run as real processes on an empty SQLite file and an
empty PostgreSQL database: `migrate` (again and again), `create-admin` with the password typed
twice on stdin, and `localities` search / enable / disable."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from employdash.db import Database
from employdash.models import AuditEntry, User
from tests.support.databases import copy_sqlite
from tests.support.install import ROOT, empty_database
from tests.support.postgres import create_database, drop_database

PASSWORD = "Strong-pass-2026"


@dataclass(frozen=True)
class Migrated:
    """An empty database the command line migrated, and what `migrate` said."""

    url: str
    first_migrate: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def migrated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Migrated]:
    """`migrate` on an empty database once per module and kind; each test runs on a copy (the
    first migration, 1,228 localities, took a process of its own in every test)."""
    databases = empty_database(request, tmp_path_factory.mktemp("migrated"))
    url = next(databases)
    yield Migrated(url, _cli(url, "migrate"))
    next(databases, None)  # drops the PostgreSQL database


@pytest.fixture
def migrated_url(migrated: Migrated, tmp_path: Path) -> Iterator[str]:
    """A copy of the module's migrated database, for one test."""
    if migrated.url.startswith("sqlite:///"):
        yield copy_sqlite(Path(migrated.url.removeprefix("sqlite:///")), tmp_path / "copy.db")
        return
    server, template = migrated.url.rsplit("/", 1)
    name = f"cli_{tmp_path.name[-12:].lower().replace('-', '_')}"
    yield create_database(server, name, template=template)
    drop_database(server, name)


def _cli(url: str, *args: str, typed: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEMO_MODE": "false",
        "COOKIE_KEY": secrets.token_urlsafe(32),
    }
    return subprocess.run(
        [sys.executable, "-m", "employdash", *args],
        cwd=ROOT,
        env=env,
        input=typed,
        capture_output=True,
        text=True,
        start_new_session=True,  # no terminal: getpass reads stdin
        timeout=300,
    )


def _users(url: str) -> list[str]:
    db = Database(url)
    try:
        with db.transaction() as s:
            return list(s.scalars(select(User.username)))
    finally:
        db.dispose()


def test_create_admin_asks_twice_and_refuses_a_mismatch_or_a_weak_password(
    migrated: Migrated, migrated_url: str
) -> None:
    assert migrated.first_migrate.returncode == 0
    differ = _cli(migrated_url, "create-admin", "chief", typed=f"{PASSWORD}\n{PASSWORD}x\n")
    assert differ.returncode == 1
    assert "error: password: The two passwords differ" in differ.stderr
    weak = _cli(migrated_url, "create-admin", "chief", typed="short\nshort\n")
    assert weak.returncode == 1 and "At least 10 characters" in weak.stderr
    assert _users(migrated_url) == []
    made = _cli(migrated_url, "create-admin", "chief", typed=f"{PASSWORD}\n{PASSWORD}\n")
    assert made.returncode == 0 and "administrator chief created" in made.stdout
    assert "Password: " in made.stderr and "Password again: " in made.stderr
    assert _users(migrated_url) == ["chief"]


def test_migrate_runs_again_after_users_exist_and_localities_are_chosen(
    migrated: Migrated, migrated_url: str
) -> None:
    assert "1228 localities added" in migrated.first_migrate.stdout
    _cli(migrated_url, "create-admin", "chief", typed=f"{PASSWORD}\n{PASSWORD}\n")
    found = _cli(migrated_url, "localities", "search", "שדרות")
    assert found.returncode == 0 and "1031  Sederot / שדרות  (Southern)  -" in found.stdout
    enabled = _cli(migrated_url, "localities", "enable", "1031", "246")
    assert enabled.stdout.splitlines() == ["1031: enabled", "246: enabled"]
    again = _cli(migrated_url, "migrate")
    assert again.returncode == 0
    assert "0 localities added, 0 refreshed; 0 indicator definitions added" in again.stdout
    listed = _cli(migrated_url, "localities", "list").stdout
    assert "1031  Sederot" in listed and "246  Netivot" in listed
    assert _cli(migrated_url, "localities", "disable", "246").stdout.strip() == "246: disabled"
    assert _users(migrated_url) == ["chief"]
    db = Database(migrated_url)
    with db.transaction() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.username == "command-line")
        ).all()
        assert sorted(actions) == ["disable_locality", "enable_locality", "enable_locality"]
        assert s.scalar(select(func.count()).select_from(User)) == 1
    db.dispose()


def test_an_unknown_locality_code_is_a_clear_error(migrated_url: str) -> None:
    unknown = _cli(migrated_url, "localities", "enable", "1031", "99999")
    assert unknown.returncode == 1
    assert "not found" in unknown.stderr and "Locality 99999" in unknown.stderr
    assert "no locality is served yet" in _cli(migrated_url, "localities", "list").stdout
