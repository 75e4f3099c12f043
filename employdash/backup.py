"""Backups of the configured database, taken while the app runs, and restores into an empty one.

SQLite: the online backup API copies a consistent snapshot page by page while other connections
keep reading and writing (WAL). PostgreSQL: `pg_dump` in custom format reads everything in one
repeatable-read snapshot, so a backup taken during a save holds all of it or none of it; the
`pg_dump`/`pg_restore` used are Debian's binaries of the server's major version (or the nearest
newer one), since `pg_dump` refuses a server newer than itself.

A restore goes into an empty database (no tables at all); a database that has tables is refused
unless `force` is given, when its contents are replaced. A backup of one kind of database cannot
be restored into the other kind: the file's first bytes say which it is. A file of the right kind
that is no backup of the app (it holds no `alembic_version` table) is refused before anything is
touched, and a restore succeeds only once every table of the backup is found in the database
(SQLite: with as many rows).

File names are paths, never spliced into a URI (a `#` or `?` in a name once opened another,
empty file), and a backup, which holds every record, is readable by its owner only.
"""

from __future__ import annotations

import glob
import os
import re
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from employdash.db import Database
from employdash.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# The table every migrated database of the app has (Alembic's): a backup without it is not ours.
APP_TABLE = "alembic_version"
# A table's entry in `pg_restore --list`: "215; 1259 16390 TABLE public app_user postgres".
_PG_TABLE_ENTRY = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ", re.MULTILINE)


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


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
    return result.stdout


def _owner_only(path: Path) -> None:
    """Create `path` empty and readable and writable by its owner only: the backup tools then
    write into it and keep its mode."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(handle, 0o600)  # whatever the umask
    finally:
        os.close(handle)


def _quoted(name: str) -> str:
    """A table name as an SQL identifier (a backup file's names are not trusted)."""
    return '"' + name.replace('"', '""') + '"'


def _read_only(source: Path) -> sqlite3.Connection:
    """The SQLite file at `source`, opened read-only through a URI that quotes its path."""
    return sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)


def backup(db: Database, target: Path) -> Path:
    """Write a consistent backup of `db` to `target` (overwriting it) and return the path."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _owner_only(partial)
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
        partial.unlink()
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


def backup_tables(source: Path, db: Database) -> dict[str, int | None]:
    """The tables the backup at `source` holds, with their rows where the file says (SQLite;
    a pg_dump file's table of contents names tables, not their rows)."""
    if _kind(source) == "sqlite":
        backup_file = _read_only(source)
        try:
            names = [
                str(row[0])
                for row in backup_file.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {
                name: int(
                    backup_file.execute(f"SELECT count(*) FROM {_quoted(name)}").fetchone()[0]
                )
                for name in names
            }
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a readable SQLite backup: {exc}") from exc
        finally:
            backup_file.close()
    tool = pg_tool("pg_restore", _server_major(db))
    listing = _run([str(tool), "--list", str(source.resolve())])
    return {name: None for _, name in _PG_TABLE_ENTRY.findall(listing)}


def verify_restored(source: Path, db: Database) -> None:
    """Refuse to call a restore done unless every table of the backup at `source` is in `db`
    (and, where the backup says, with its rows)."""
    expected = backup_tables(Path(source), db)
    present = set(inspect(db.engine).get_table_names())
    missing = sorted(name for name in expected if name not in present)
    with db.engine.connect() as conn:
        short = sorted(
            name
            for name, rows in expected.items()
            if rows is not None
            and name in present
            and conn.execute(text(f"SELECT count(*) FROM {_quoted(name)}")).scalar_one() != rows
        )
    db.dispose()
    if missing or short:
        raise BackupError(
            f"the restore from {source} is incomplete: tables missing {missing}, "
            f"tables without all their rows {short}"
        )


def restore(db: Database, source: Path, force: bool = False) -> None:
    """Restore a backup made by `backup` into `db`, which must be empty unless `force`."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    kind = _kind(source)
    if kind != db.dialect:
        raise BackupError(f"{source} is a {kind} backup; the configured database is {db.dialect}")
    if APP_TABLE not in backup_tables(source, db):
        raise BackupError(f"{source} is not a backup of this app (it has no {APP_TABLE} table)")
    if not is_empty(db) and not force:
        raise BackupError(
            "the target database is not empty; restore into an empty one, or pass --force to "
            "replace its contents"
        )
    db.dispose()  # no pooled connection may hold the old contents open
    if kind == "sqlite":
        backup_file = _read_only(source)
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
        _run([str(tool), *options, f"--dbname={uri}", str(source.resolve())], env)
    db.dispose()
    verify_restored(source, db)
