"""Backups of the configured database, taken while the app runs, and restores into an empty one.

SQLite: the online backup API copies a consistent snapshot page by page while other connections
keep reading and writing (WAL). PostgreSQL: `pg_dump` in custom format reads everything in one
repeatable-read snapshot, so a backup taken during a save holds all of it or none of it; the
`pg_dump`/`pg_restore` used are Debian's binaries of the server's major version (or the nearest
newer one), since `pg_dump` refuses a server newer than itself.

A restore goes into an empty database (no tables at all); a database that has tables is refused
unless `force` is given, when its contents are replaced. A backup of one kind of database cannot
be restored into the other kind: the file's first bytes say which it is.
"""

from __future__ import annotations

import glob
import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from employdash.db import Database
from employdash.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(DomainError):
    message_key = "error.backup"


def _sqlite_path(db: Database) -> Path:
    database = make_url(db.url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _libpq(db: Database) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and an environment that carries it."""
    url = make_url(db.url)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _server_major(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000


def pg_tool(name: str, server_major: int, root: str = "/usr/lib/postgresql") -> Path:
    """Debian's `pg_dump`/`pg_restore` for the server's major version, or the nearest newer."""
    found = {}
    for path in glob.glob(f"{root}/*/bin/{name}"):
        try:
            found[int(Path(path).parts[-3])] = Path(path)
        except ValueError:
            continue
    usable = sorted(v for v in found if v >= server_major)
    if not usable:
        raise BackupError(
            f"{name} for PostgreSQL {server_major} or newer is not installed "
            f"(Debian: apt-get install postgresql-client-{server_major})"
        )
    return found[usable[0]]


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup(db: Database, target: Path) -> Path:
    """Write a consistent backup of `db` to `target` (overwriting it) and return the path."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if db.dialect == "sqlite":
        source = sqlite3.connect(_sqlite_path(db), timeout=30)
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif db.dialect == "postgresql":
        uri, env = _libpq(db)
        tool = pg_tool("pg_dump", _server_major(db))
        _run([str(tool), "--format=custom", "--no-owner", f"--file={partial}", uri], env)
    else:
        raise BackupError(f"no backup method for {db.dialect}")
    partial.replace(target)  # a half-written backup never carries the final name
    return target


def is_empty(db: Database) -> bool:
    """No tables at all: a database made for the restore and never migrated."""
    return not inspect(db.engine).get_table_names()


def _kind(source: Path) -> str:
    with open(source, "rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_CUSTOM_MAGIC):
        return "postgresql"
    raise BackupError(f"{source} is neither a SQLite backup nor a pg_dump custom-format file")


def restore(db: Database, source: Path, force: bool = False) -> None:
    """Restore a backup made by `backup` into `db`, which must be empty unless `force`."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    kind = _kind(source)
    if kind != db.dialect:
        raise BackupError(f"{source} is a {kind} backup; the configured database is {db.dialect}")
    if not is_empty(db) and not force:
        raise BackupError(
            "the target database is not empty; restore into an empty one, or pass --force to "
            "replace its contents"
        )
    db.dispose()  # no pooled connection may hold the old contents open
    if kind == "sqlite":
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(db), timeout=30)
        try:
            with target:
                backup_file.backup(target)
        finally:
            target.close()
            backup_file.close()
    else:
        uri, env = _libpq(db)
        tool = pg_tool("pg_restore", _server_major(db))
        options = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        if force:
            options += ["--clean", "--if-exists"]
        _run([str(tool), *options, f"--dbname={uri}", str(source)], env)
    db.dispose()
