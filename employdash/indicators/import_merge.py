"""Writing an import's values on PostgreSQL at the database's own speed.

Row-by-row inserts spend their time in round trips and per-row statement handling; `COPY` is the
server's bulk path. New values are copied straight into the values table (each row is written
once, as a raw `COPY` of the file would write it). Revised values are copied into a staging table
that lives only for the transaction, and one statement moves each one's old row to the history
table and updates it, set-based. Rows are sent as CSV text in large blocks, built by joining
strings, not handed to the driver one by one. Everything runs in the caller's transaction, so the
import stays all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

STAGING = "indicator_import_staging"
STAGED = ("replaced", "locality_code", "period", "indicator_code", "value", "status")
NEW = (
    "locality_code",
    "period",
    "indicator_code",
    "value",
    "status",
    "source",
    "batch_id",
    "recorded_at",
)
BLOCK = 50_000  # rows per `copy.write`: a few MB of text

_CREATE = text(
    f"CREATE TEMPORARY TABLE {STAGING} (replaced integer NOT NULL, locality_code integer NOT "
    "NULL, period date NOT NULL, indicator_code varchar NOT NULL, value double precision, "
    "status varchar(12) NOT NULL) ON COMMIT DROP"
)

# A data-modifying WITH: every part sees the table as it was before the statement, so the
# history receives each revised value's old row while the update writes its new one.
_MERGE = text(
    f"""
    WITH history AS (
        INSERT INTO indicator_value_history (locality_code, period, indicator_code, value,
            status, source, batch_id, recorded_at, replaced_at, replaced_by_batch_id)
        SELECT v.locality_code, v.period, v.indicator_code, v.value, v.status, v.source,
            v.batch_id, v.recorded_at, :now, :batch
        FROM indicator_value v JOIN {STAGING} s ON v.id = s.replaced
    )
    UPDATE indicator_value v SET value = s.value,
        status = CASE WHEN s.status = 'ok' THEN 'revised' ELSE s.status END,
        source = :source, batch_id = :batch, recorded_at = :now
    FROM {STAGING} s WHERE v.id = s.replaced
    """
)

_REPLACED_LOCALITIES = text(
    f"SELECT DISTINCT v.locality_code FROM indicator_value v JOIN {STAGING} s ON v.id = s.replaced"
)


def _csv_text(value: str) -> str:
    """A text cell quoted for CSV (a quote doubled): the one free text a row carries."""
    return '"' + value.replace('"', '""') + '"'


class _Months(dict[date, str]):
    """Each month's ISO text, made once: a file has a few hundred months and millions of rows."""

    def __missing__(self, month: date) -> str:
        self[month] = month.isoformat()
        return self[month]


def _number(value: float | None) -> str:
    """A value as CSV `COPY` reads it: the float's exact digits, or an empty cell for NULL."""
    return "" if value is None else repr(value)


def _new_lines(
    rows: Iterable[tuple[int, date, str, float | None, str]], tail: str
) -> Iterator[str]:
    """CSV lines of new values, each ending with `tail` (the columns every row shares). The cells
    are numbers, months, catalogue codes and statuses: none needs quoting."""
    months = _Months()
    for code, period, indicator, value, status in rows:
        yield f"{code},{months[period]},{indicator},{_number(value)},{status}{tail}"


def _staged_lines(rows: Iterable[tuple[int, int, date, str, float | None, str]]) -> Iterator[str]:
    """CSV lines of revisions: the replaced row's id, then the new value as `_new_lines`."""
    months = _Months()
    for replaced, code, period, indicator, value, status in rows:
        yield f"{replaced},{code},{months[period]},{indicator},{_number(value)},{status}\n"


def _copy(session: Session, table: str, columns: tuple[str, ...], lines: Iterator[str]) -> None:
    """`COPY` through the session's own connection (its transaction); the driver's errors are
    raised as SQLAlchemy's, as every other statement's are (a broken key is an IntegrityError)."""
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)"
    connection = session.connection()
    driver: Any = connection.connection.driver_connection
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            while block := "".join(islice(lines, BLOCK)):
                copy.write(block)
    except dbapi_error as exc:
        raise DBAPIError.instance(statement, None, exc, dbapi_error) from exc


def insert_new(
    session: Session,
    rows: Iterable[tuple[int, date, str, float | None, str]],
    batch_id: int,
    source: str,
    now: datetime,
) -> None:
    """Copy new values (locality, month, indicator, value, status) straight into the table."""
    tail = f",{_csv_text(source)},{batch_id},{now.isoformat()}\n"
    _copy(session, "indicator_value", NEW, _new_lines(rows, tail))


def stage(session: Session, rows: Iterable[tuple[int, int, date, str, float | None, str]]) -> None:
    """Copy revisions (tuples of STAGED, `replaced` the stored row's id) into the staging table."""
    session.execute(_CREATE)
    _copy(session, STAGING, STAGED, _staged_lines(rows))


def replaced_localities(session: Session) -> list[int]:
    """The localities of the stored rows the staged revisions replace, as stored now."""
    return list(session.scalars(_REPLACED_LOCALITIES))


def merge(session: Session, batch_id: int, source: str, now: datetime) -> None:
    """Apply the staged revisions: each old row to the history, then its new value."""
    session.execute(_MERGE, {"now": now, "batch": batch_id, "source": source})
