"""Importing indicator files: a preview that writes nothing, then an atomic commit.

Admins import for every locality, managers for the localities on their record: a line naming
another locality is rejected with that reason, and the commit checks each row it writes against
the importer's scope again. The commit validates the file again inside its own transaction
rather than trusting the preview, so a value someone else changed in between is compared
against what is stored now.
One audit entry per committed batch carries the counts; the batch itself records the file's
hash, so "which file did this value come from" is always answerable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict

from sqlalchemy import or_, select, union
from sqlalchemy.orm import Session

from employdash import audit
from employdash.access import Actor, Area, require_read, require_write, scope_clause
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.indicators.catalogue import ensure_catalogue
from employdash.indicators.import_plan import ImportPlan, apply_plan, build_plan, quiet_gc
from employdash.limits import INDICATOR_UPLOAD, strip_controls
from employdash.models.indicators import ImportBatch, IndicatorValue, IndicatorValueHistory

MAX_BYTES = INDICATOR_UPLOAD.max_bytes
MAX_FILENAME = 255  # import_batch.filename


@dataclass(frozen=True)
class ImportResult:
    batch_id: int | None
    added: int
    revised: int
    unchanged: int
    rejected: int


def _check(filename: str, data: bytes, source: str) -> None:
    errors = {}
    if not data:
        errors["file"] = "import.error.empty"
    elif len(data) > MAX_BYTES or len(filename) > MAX_FILENAME:
        errors["file"] = "validation.too_long"
    source = strip_controls(source or "")
    if not source.strip():
        errors["source"] = "validation.required"
    elif len(source.strip()) > 120:
        errors["source"] = "validation.too_long"
    if errors:
        raise ValidationError(errors)


def preview_import(
    db: Database, actor: Actor, filename: str, data: bytes, today: date | None = None
) -> ImportPlan:
    require_write(actor, Area.INDICATOR_IMPORTS)
    _check(filename, data, "-")
    with db.transaction() as s, quiet_gc():
        ensure_catalogue(s)
        return build_plan(s, filename, data, today or date.today(), actor.localities)


def commit_import(
    db: Database, actor: Actor, filename: str, data: bytes, source: str, today: date | None = None
) -> ImportResult:
    require_write(actor, Area.INDICATOR_IMPORTS)
    _check(filename, data, source)
    with db.transaction() as s, quiet_gc():
        ensure_catalogue(s)
        plan = build_plan(s, filename, data, today or date.today(), actor.localities)
        batch_id = apply_plan(s, plan, actor, strip_controls(source).strip())
        result = ImportResult(
            batch_id, len(plan.to_add), len(plan.to_revise), plan.unchanged, plan.rejected_lines
        )
        if batch_id is not None:
            audit.record(
                s,
                actor,
                "import",
                "import_batch",
                batch_id,
                after={
                    "filename": filename,
                    "layout": plan.layout,
                    "sha256": plan.sha256,
                    "added": result.added,
                    "revised": result.revised,
                    "unchanged": result.unchanged,
                    "rejected": result.rejected,
                    "duplicates": len(plan.duplicates),
                    "totals_skipped": plan.totals_skipped,
                    "ignored_columns": [h for h, _ in plan.ignored_columns],
                },
            )
            _audit_values_by_locality(s, actor, batch_id, plan)
        return result


def _audit_values_by_locality(s: Session, actor: Actor, batch_id: int, plan: ImportPlan) -> None:
    """One audit row per locality the import touched, with the values it replaced (before) and
    the values it wrote (after), keyed `indicator/YYYY-MM`, so each locality's log is whole."""
    before: dict[int, dict[str, Any]] = {}
    after: dict[int, dict[str, Any]] = {}
    for old in plan.to_revise:
        key = f"{old.new.indicator_code}/{old.new.period:%Y-%m}"
        before.setdefault(old.new.locality_code, {})[key] = [old.old_value, old.old_status]
    for new in [*plan.to_add, *(r.new for r in plan.to_revise)]:
        key = f"{new.indicator_code}/{new.period:%Y-%m}"
        after.setdefault(new.locality_code, {})[key] = [new.value, new.status]
    for code in sorted(after):
        audit.record(
            s,
            actor,
            "import_values",
            "indicator_value",
            f"{batch_id}/{code}",
            before=before.get(code),
            after=after[code],
            locality_code=code,
        )


class BatchRow(TypedDict):
    """An import as the history lists it."""

    id: int
    created_at: datetime
    username: str
    filename: str
    layout: str
    source: str
    rows_read: int
    added: int
    revised: int
    unchanged: int
    rejected: int


def list_batches(db: Database, actor: Actor, limit: int = 50) -> list[BatchRow]:
    """The latest imports; for a scoped importer, those that wrote a value of one of their
    localities (shown now or since replaced) and their own."""
    require_read(actor, Area.INDICATOR_IMPORTS)
    with db.transaction() as s:
        query = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
        if actor.localities is not None:
            touched = union(
                select(IndicatorValue.batch_id).where(
                    scope_clause(actor, IndicatorValue.locality_code)
                ),
                select(IndicatorValueHistory.batch_id).where(
                    scope_clause(actor, IndicatorValueHistory.locality_code)
                ),
            )
            query = query.where(
                or_(ImportBatch.id.in_(touched), ImportBatch.username == actor.username)
            )
        rows = s.scalars(query)
        return [
            BatchRow(
                id=b.id,
                created_at=b.created_at,
                username=b.username,
                filename=b.filename,
                layout=b.layout,
                source=b.source,
                rows_read=b.rows_read,
                added=b.rows_added,
                revised=b.rows_revised,
                unchanged=b.rows_unchanged,
                rejected=b.rows_rejected,
            )
            for b in rows
        ]
