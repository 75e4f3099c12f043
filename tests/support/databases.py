"""Seeded template databases, copied per test so every test starts from the same demo data.

Migrating and seeding once per run and copying (a file copy for SQLite, `CREATE DATABASE ...
TEMPLATE` for PostgreSQL) keeps each test's database real and fresh without paying for the
migrations every time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from employdash.db import Database, migrate
from employdash.seed import seed_demo

TEST_PASSWORD_ROUNDS = 4  # bcrypt cost for seeded test users; the app uses 12


def build_sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    db = Database(f"sqlite:///{path}")
    migrate(db)
    seed_demo(db, password_rounds=TEST_PASSWORD_ROUNDS)
    db.dispose()
    return path


def copy_sqlite(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def build_pg_template(server_url: str, name: str = "employdash_template") -> str:
    from tests.support.postgres import create_database

    url = create_database(server_url, name)
    db = Database(url)
    migrate(db)
    seed_demo(db, password_rounds=TEST_PASSWORD_ROUNDS)
    db.dispose()
    return name
