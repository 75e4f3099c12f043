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
from employdash.users import CHEAP

# Seeded test users' password hashes are Argon2id at CHEAP parameters (8 KiB, one pass): building
# a template costs nothing. The app hashes at OWASP's; a test that logs in through the form
# upgrades its copy's hash to OWASP's on that login, as the app does with any outdated hash.
TEST_PASSWORD_HASHING = CHEAP


def build_sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    db = Database(f"sqlite:///{path}")
    migrate(db)
    seed_demo(db, hashing=TEST_PASSWORD_HASHING)
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
    seed_demo(db, hashing=TEST_PASSWORD_HASHING)
    db.dispose()
    return name
