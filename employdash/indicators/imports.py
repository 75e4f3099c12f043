"""Importing indicator files: a preview that writes nothing, then an atomic commit.

Admins import for every locality, managers for the localities on their record: a line naming
another locality is rejected with that reason, and the commit (`ImportIndicators`, whose input
is the previewed plan) checks each row it writes against the importer's scope again and sorts
the values again against what is stored then, so a value someone else changed in between is
compared with its new value. One audit entry per committed batch carries the counts; the batch
itself records the file's hash, so "which file did this value come from" is always answerable.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict

from sqlalchemy import or_, select, union

from employdash.access import Actor, Area, read_scope
from employdash.commands import Command, Ref, Write, execute
from employdash.db import Database
from employdash.errors import PermissionDenied, ValidationError
from employdash.indicators.catalogue import ensure_catalogue
from employdash.indicators.import_plan import (
    ImportPlan,
    Planned,
    apply_plan,
    build_plan,
    quiet_gc,
    refreshed,
)
from employdash.indicators.layouts import READERS
from employdash.limits import INDICATOR_UPLOAD, clean_text
from employdash.models import Locality
from employdash.models.base import as_row
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


def _check(filename: str, data: bytes) -> None:
    if not data:
        raise ValidationError({"file": "import.error.empty"})
    if len(data) > MAX_BYTES or len(filename) > MAX_FILENAME:
        raise ValidationError({"file": "validation.too_long"})


def preview_import(
    db: Database, actor: Actor, filename: str, data: bytes, today: date | None = None
) -> ImportPlan:
    """What importing the file would do, for the importer's scope; writes nothing."""
    if not actor.can_write(Area.INDICATOR_IMPORTS):
        raise PermissionDenied(f"{actor.username} ({actor.role}) may not import indicators")
    _check(filename, data)
    with db.transaction() as s, quiet_gc():
        ensure_catalogue(s)
        return build_plan(s, filename, data, today or date.today(), actor.localities)


_SHA256 = re.compile("[0-9a-f]{64}")


@dataclass
class ImportIndicators(
    Command[ImportResult],
    area=Area.INDICATOR_IMPORTS,
    entity="import_batch",
    texts={"source": "indicator/source"},
    invalidates=frozenset({Area.INDICATORS, Area.BRIEFING}),
):
    """Commit a previewed file, all or nothing. Its values are sorted again against what is
    stored now (a value changed since the preview is compared with its new value), and every
    value's locality is checked against the importer's scope where it is written. One audit row
    for the batch carries the counts and the file's hash, and one per locality its values."""

    plan: ImportPlan = dataclasses.field(repr=False)
    source: str
    localities: tuple[Ref[Locality], ...]

    @classmethod
    def of(cls, plan: ImportPlan, source: str) -> ImportIndicators:
        codes = sorted({p.locality_code for p in plan.accepted})
        return cls(plan, source, tuple(Ref(Locality, c) for c in codes))

    def where(self) -> None:
        return None  # a file of many localities: each is resolved in the importer's scope

    def validate(self, w: Write) -> None:
        if not self.source:
            raise ValidationError({"source": "validation.required"})
        clean_text(self.plan.filename, "import/filename")  # its audit row names the file
        # The batch keeps the file's hash and layout: a hash, and a layout the importer reads.
        if not _SHA256.fullmatch(self.plan.sha256) or self.plan.layout not in READERS:
            raise ValidationError({"file": "validation.invalid"}, "not a planned file")
        if {p.locality_code for p in self.plan.accepted} != {r.id for r in self.localities}:
            raise ValidationError({"file": "validation.invalid"})

    def run(self, w: Write) -> ImportResult:
        plan = refreshed(w.session, self.plan)
        batch_id = apply_plan(w.session, plan, w.actor, self.source)
        result = ImportResult(
            batch_id, len(plan.to_add), len(plan.to_revise), plan.unchanged, plan.rejected_lines
        )
        if batch_id is None:
            return result
        touched = _values_by_locality(plan)
        w.audit(
            "import",
            batch_id,
            after={
                "filename": plan.filename,
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
            locality_code=next(iter(touched)) if len(touched) == 1 else None,
        )
        for code, (before, after) in sorted(touched.items()):
            w.audit(
                "import_values",
                f"{batch_id}/{code}",
                before=before or None,
                after=after,
                entity="indicator_value",
                locality_code=code,
            )
        return result


def commit_import(
    db: Database, actor: Actor, filename: str, data: bytes, source: str, today: date | None = None
) -> ImportResult:
    """Preview `data` and commit it at once (the command line's and the tests' import)."""
    plan = preview_import(db, actor, filename, data, today)
    with quiet_gc():
        return execute(db, actor, ImportIndicators.of(plan, source)).value


Values = dict[str, list[Any]]


def _values_by_locality(plan: ImportPlan) -> dict[int, tuple[Values, Values]]:
    """Per locality the import touched, the values it replaced (before) and the values it wrote
    (after), keyed `indicator/YYYY-MM`, so each locality's log is whole. A file has few months
    and many values: each month is formatted once."""
    months: dict[date, str] = {}

    def key(value: Planned) -> str:
        month = months.get(value.period) or months.setdefault(value.period, f"{value.period:%Y-%m}")
        return f"{value.indicator_code}/{month}"

    found: dict[int, tuple[Values, Values]] = {}
    for old in plan.to_revise:
        found.setdefault(old.new.locality_code, ({}, {}))[0][key(old.new)] = [
            old.old_value,
            old.old_status,
        ]
    for new in [*plan.to_add, *(r.new for r in plan.to_revise)]:
        found.setdefault(new.locality_code, ({}, {}))[1][key(new)] = [new.value, new.status]
    return found


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
    scope = read_scope(actor, Area.INDICATOR_IMPORTS)
    with db.transaction() as s:
        query = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
        if scope.codes is not None:
            touched = union(
                select(IndicatorValue.batch_id).where(scope.of(IndicatorValue.locality_code)),
                select(IndicatorValueHistory.batch_id).where(
                    scope.of(IndicatorValueHistory.locality_code)
                ),
            )
            query = query.where(
                or_(ImportBatch.id.in_(touched), ImportBatch.username == actor.username)
            )
        rows = s.scalars(query)
        renamed = {
            "added": "rows_added",
            "revised": "rows_revised",
            "unchanged": "rows_unchanged",
            "rejected": "rows_rejected",
        }
        return [as_row(BatchRow, b, **renamed) for b in rows]
