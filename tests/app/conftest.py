"""AppTest runs the real app.py against a copy of the seeded SQLite template."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.apptest import reset_caches
from tests.support.databases import copy_sqlite


@pytest.fixture
def app_db(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = copy_sqlite(sqlite_template, tmp_path / "app.db")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEMO_MODE", "true")
    reset_caches()
    yield url
    reset_caches()
