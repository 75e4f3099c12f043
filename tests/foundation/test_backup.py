"""`python -m employdash backup|restore` on SQLite and PostgreSQL: a restored copy equals the
original table by table, a backup taken during writes is consistent, and a non-empty target is
refused unless --force."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select, text

from employdash import logins, users
from employdash.access import Actor
from employdash.backup import BackupError, backup, pg_tool, restore, verify_restored
from employdash.db import Database
from employdash.models import AuditEntry
from tests.support.postgres import create_database, drop_database
from tests.support.present import present

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty(db: Database, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A new, empty database of the same kind as `db`."""
    if db.dialect == "sqlite":
        target = Database(f"sqlite:///{tmp_path / 'restored.db'}")
        yield target
        target.dispose()
        return
    server = request.getfixturevalue("pg_server")
    name = f"restored_{os.getpid()}_{abs(hash(str(tmp_path))) % 10**8}"
    target = Database(create_database(server, name))
    yield target
    target.dispose()
    drop_database(server, name)


def _cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "DEMO_MODE": "false"}
    return subprocess.run(
        [sys.executable, "-m", "employdash", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def _contents(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    meta = MetaData()
    meta.reflect(db.engine)
    found = {}
    with db.engine.connect() as conn:
        for table in meta.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            found[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return found


def test_backup_and_restore_give_back_every_table_under_any_file_name(
    db: Database, empty: Database, actors: dict[str, Actor], tmp_path: Path
) -> None:
    """Names are paths, never parts of a URI: a `#` (a fragment), a `?` (a query), `%`, spaces
    and Hebrew, in the folder and in the file's name."""
    logins.set_language(db, actors["member"], "en")  # a write after the seed
    file = tmp_path / "גיבויים #2 ?" / "גיבוי 100% #1?mode=rw.dump"
    done = _cli(db.url, "backup", str(file))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in file.parent.iterdir()] == [file.name]
    assert file.stat().st_size > 0
    done = _cli(empty.url, "restore", str(file))
    assert done.returncode == 0, done.stderr
    original, restored = _contents(db), _contents(empty)
    assert set(original) == set(restored)
    assert {"app_user", "audit_entry", "alembic_version"} <= set(original)
    for table in original:
        assert restored[table] == original[table], table
    assert present(users.load_actor(empty, "member")).language == "en"


def test_restore_refuses_a_database_that_is_not_empty(
    db: Database, actors: dict[str, Actor], tmp_path: Path
) -> None:
    file = backup(db, tmp_path / "b.dump")
    logins.set_language(db, actors["mayor"], "en")  # a change after the backup
    done = _cli(db.url, "restore", str(file))
    assert done.returncode == 1 and "not empty" in done.stderr and "Traceback" not in done.stderr
    assert present(users.load_actor(db, "mayor")).language == "en"  # refused: nothing was touched
    # --force replaces the contents: the change made after the backup is gone again.
    restore(db, file, force=True)
    assert present(users.load_actor(db, "mayor")).language == "he"


def test_a_backup_taken_during_writes_is_consistent(
    db: Database, empty: Database, tmp_path: Path
) -> None:
    """Writes in pairs (one transaction each) keep going during the backup; the copy never
    holds half a pair."""
    stop = threading.Event()
    written = 0

    def writer() -> None:
        nonlocal written
        writer_db = Database(db.url)
        while not stop.is_set():
            with writer_db.transaction() as s:
                for half in ("first", "second"):
                    s.add(AuditEntry(username="writer", action="pair", entity=half))
            written += 1
        writer_db.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written < 5:
            threading.Event().wait(0.01)
        file = backup(db, tmp_path / "live.dump")
    finally:
        stop.set()
        thread.join()
    restore(empty, file)
    with empty.transaction() as s:
        halves = list(s.scalars(select(AuditEntry.entity).where(AuditEntry.action == "pair")))
    assert halves.count("first") == halves.count("second") >= 5


def test_a_backup_of_one_kind_is_not_restored_into_the_other(tmp_path: Path) -> None:
    fake = tmp_path / "x.dump"
    fake.write_bytes(b"PGDMP...")
    target = Database(f"sqlite:///{tmp_path / 't.db'}")
    with pytest.raises(BackupError, match="postgresql backup"):
        restore(target, fake)
    fake.write_bytes(b"hello")
    with pytest.raises(BackupError, match="neither"):
        restore(target, fake)
    target.dispose()


def test_pg_tools_match_the_server_version(tmp_path: Path) -> None:
    for version in (13, 15, 16):
        (tmp_path / str(version) / "bin").mkdir(parents=True)
        (tmp_path / str(version) / "bin" / "pg_dump").touch()
    assert pg_tool("pg_dump", 15, str(tmp_path)).parts[-3] == "15"
    assert pg_tool("pg_dump", 14, str(tmp_path)).parts[-3] == "15"  # nearest newer
    with pytest.raises(BackupError, match="postgresql-client-17"):
        pg_tool("pg_dump", 17, str(tmp_path))


def test_a_file_that_is_no_backup_of_the_app_never_replaces_the_live_database(
    db: Database, empty: Database, tmp_path: Path
) -> None:
    """A database file of the right kind that is not the app's (or that restores no table of
    it) is refused before anything is touched, even with --force, and the live data stays."""
    with empty.transaction() as s:
        s.execute(text("CREATE TABLE unrelated (x INTEGER)"))
    other = backup(empty, tmp_path / "other.dump")
    before = _contents(db)
    done = _cli(db.url, "restore", "--force", str(other))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "not a backup" in done.stderr
    assert _contents(db) == before


def test_a_restore_names_the_tables_it_did_not_restore(
    db: Database, empty: Database, tmp_path: Path
) -> None:
    """A restore reports success only when every table of the backup is back with its rows."""
    file = backup(db, tmp_path / "b.dump")
    with pytest.raises(BackupError, match="app_user"):
        verify_restored(file, empty)  # nothing was restored into it
    restore(empty, file)
    verify_restored(file, empty)


def test_a_backup_is_readable_by_its_owner_only(db: Database, tmp_path: Path) -> None:
    target = tmp_path / "b.dump"
    target.write_bytes(b"an older backup, readable by everyone")
    target.chmod(0o644)
    backup(db, target)
    assert target.stat().st_mode & 0o777 == 0o600
    fresh = backup(db, tmp_path / "new" / "b.dump")
    assert fresh.stat().st_mode & 0o777 == 0o600
