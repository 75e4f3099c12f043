"""Writing an import's values on PostgreSQL at the database's own speed.

Row-by-row inserts spend their time in round trips and per-row statement handling; `COPY` is the
server's bulk path. The plan's new and revised values are copied into a staging table that lives
only for the transaction, and one statement then moves every revised value's old row to the
history table, updates it and inserts the new values, set-based. It runs in the caller's
transaction, so the import stays all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

STAGING = "indicator_import_staging"
STAGED = ("replaced", "locality_code", "period", "indicator_code", "value", "status")

_CREATE = text(
    f"CREATE TEMPORARY TABLE {STAGING} (replaced integer, locality_code integer NOT NULL, "
    "period date NOT NULL, indicator_code varchar NOT NULL, value double precision, "
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
    ), revised AS (
        UPDATE indicator_value v SET value = s.value,
            status = CASE WHEN s.status = 'ok' THEN 'revised' ELSE s.status END,
            source = :source, batch_id = :batch, recorded_at = :now
        FROM {STAGING} s WHERE v.id = s.replaced
    )
    INSERT INTO indicator_value (locality_code, period, indicator_code, value, status, source,
        batch_id, recorded_at)
    SELECT locality_code, period, indicator_code, value, status, :source, :batch, :now
    FROM {STAGING} WHERE replaced IS NULL
    """
)

_REPLACED_LOCALITIES = text(
    f"SELECT DISTINCT v.locality_code FROM indicator_value v JOIN {STAGING} s ON v.id = s.replaced"
)


def stage(session: Session, rows: Iterable[tuple[Any, ...]]) -> None:
    """Copy `rows` (tuples of STAGED; `replaced` None for a new value) into the staging table."""
    session.execute(_CREATE)
    driver: Any = session.connection().connection.driver_connection
    with (
        driver.cursor() as cursor,
        cursor.copy(f"COPY {STAGING} ({', '.join(STAGED)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def replaced_localities(session: Session) -> list[int]:
    """The localities of the stored rows the staged revisions replace, as stored now."""
    return list(session.scalars(_REPLACED_LOCALITIES))


def merge(session: Session, batch_id: int, source: str, now: datetime) -> None:
    """Apply the staged values: history for the revised ones, then update and insert."""
    session.execute(_MERGE, {"now": now, "batch": batch_id, "source": source})
