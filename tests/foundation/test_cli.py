"""The command line a new installation uses, run as real processes on an empty SQLite file and an
empty PostgreSQL database: `migrate` (again and again), `create-admin` with the password typed
twice on stdin, and `localities` search / enable / disable."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from employdash.db import Database
from employdash.models import AuditEntry, User
from tests.support.install import ROOT, empty_database

PASSWORD = "Strong-pass-2026"


@pytest.fixture(params=["sqlite", "pg"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from empty_database(request, tmp_path)


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


def test_create_admin_asks_twice_and_refuses_a_mismatch_or_a_weak_password(empty_url: str) -> None:
    assert _cli(empty_url, "migrate").returncode == 0
    differ = _cli(empty_url, "create-admin", "chief", typed=f"{PASSWORD}\n{PASSWORD}x\n")
    assert differ.returncode == 1
    assert "error: password: The two passwords differ" in differ.stderr
    weak = _cli(empty_url, "create-admin", "chief", typed="short\nshort\n")
    assert weak.returncode == 1 and "At least 10 characters" in weak.stderr
    assert _users(empty_url) == []
    made = _cli(empty_url, "create-admin", "chief", typed=f"{PASSWORD}\n{PASSWORD}\n")
    assert made.returncode == 0 and "administrator chief created" in made.stdout
    assert "Password: " in made.stderr and "Password again: " in made.stderr
    assert _users(empty_url) == ["chief"]


def test_migrate_runs_again_after_users_exist_and_localities_are_chosen(empty_url: str) -> None:
    first = _cli(empty_url, "migrate")
    assert "1228 localities added" in first.stdout
    _cli(empty_url, "create-admin", "chief", typed=f"{PASSWORD}\n{PASSWORD}\n")
    found = _cli(empty_url, "localities", "search", "שדרות")
    assert found.returncode == 0 and "1031  Sederot / שדרות  (Southern)  -" in found.stdout
    enabled = _cli(empty_url, "localities", "enable", "1031", "246")
    assert enabled.stdout.splitlines() == ["1031: enabled", "246: enabled"]
    again = _cli(empty_url, "migrate")
    assert again.returncode == 0
    assert "0 localities added, 0 refreshed; 0 indicator definitions added" in again.stdout
    listed = _cli(empty_url, "localities", "list").stdout
    assert "1031  Sederot" in listed and "246  Netivot" in listed
    assert _cli(empty_url, "localities", "disable", "246").stdout.strip() == "246: disabled"
    assert _users(empty_url) == ["chief"]
    db = Database(empty_url)
    with db.transaction() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.username == "command-line")
        ).all()
        assert sorted(actions) == ["disable_locality", "enable_locality", "enable_locality"]
        assert s.scalar(select(func.count()).select_from(User)) == 1
    db.dispose()


def test_an_unknown_locality_code_is_a_clear_error(empty_url: str) -> None:
    _cli(empty_url, "migrate")
    unknown = _cli(empty_url, "localities", "enable", "1031", "99999")
    assert unknown.returncode == 1
    assert "not found" in unknown.stderr and "Locality 99999" in unknown.stderr
    assert "no locality is served yet" in _cli(empty_url, "localities", "list").stdout
