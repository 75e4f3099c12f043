"""The Employment Service's published table as it is, in Windows-1255 and
UTF-8: every measure lands in a catalogue indicator, every column not read is named, a name
written two ways with the same figures is one value reported as a duplicate (only a differing
figure is rejected), and a totals row is skipped and reported, not an unknown locality."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database
from employdash.indicators.catalogue import BY_CODE
from employdash.indicators.imports import commit_import, preview_import
from employdash.indicators.layouts import WIDE_COLUMNS
from employdash.models import AuditEntry
from employdash.models.indicators import IndicatorValue

FILES = Path(__file__).parent / "files"
TODAY = date(2026, 11, 23)
JAN = date(2022, 1, 1)
PUBLISHED = {  # the published measures (data/README.md) and the indicator each one fills
    'סה"כ דורשי עבודה': "job_seekers",
    "גברים": "job_seekers.gender.men",
    "נשים": "job_seekers.gender.women",
    "אקדמאים": "job_seekers.education.academic",
    "אינם אקדמאים": "job_seekers.education.non_academic",
    "הבטחת הכנסה": "job_seekers.income_support.recipients",
    "דורשי עבודה שאינם עובדים": "job_seekers.employment_status.not_employed",
    "השמות מתוך הפניות": "placements",
}


def test_every_published_measure_maps_to_a_catalogue_indicator() -> None:
    from employdash.indicators.matching import normalise

    for header, code in PUBLISHED.items():
        assert WIDE_COLUMNS[normalise(header)] == code
        assert code in BY_CODE
    assert BY_CODE["placements"].higher_is_better
    assert BY_CODE["job_seekers.income_support.recipients"].parent_code == "job_seekers"


def _value(
    db: Database, code: int, indicator: str, period: date = JAN
) -> tuple[float | None, str] | None:
    with db.transaction() as s:
        row = s.execute(
            select(IndicatorValue.value, IndicatorValue.status).where(
                IndicatorValue.locality_code == code,
                IndicatorValue.indicator_code == indicator,
                IndicatorValue.period == period,
            )
        ).first()
    return (row.value, row.status) if row else None


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("ies_published_cp1255.csv", "cp1255"), ("ies_published_utf8.csv", "utf-8")],
)
def test_published_table_preview_and_commit(
    db: Database, actors: dict[str, Actor], name: str, encoding: str
) -> None:
    admin, data = actors["admin"], (FILES / name).read_bytes()
    plan = preview_import(db, admin, name, data, TODAY)
    assert (plan.layout, plan.encoding, plan.rows_read) == ("wide", encoding, 7)
    assert plan.ignored_columns == [
        ('מחוז למ"ס', "ind.import.column.context"),
        ("יישוב / מועצה איזורית", "ind.import.column.context"),
        ("הערות", "ind.import.column.unknown"),
    ]
    assert len(plan.to_add) == 3 * 8  # three locality-months, eight measures each
    # line 5: קרית שמונה written another way, the same figures: one value, a duplicate
    # line 6: once more, with one differing figure: the whole line is rejected
    assert [(d.line, d.reason, d.detail) for d in plan.duplicates] == [
        (5, "ind.import.duplicate.same", "4"),
    ]
    assert [(r.line, r.reason.rsplit(".", 1)[-1]) for r in plan.rejected] == [
        (6, "duplicate"),
        (8, "unknown_locality"),
    ]
    assert plan.rejected[0].indicators == ("job_seekers.income_support.recipients",)
    assert plan.rejected[0].detail == "4"  # the earlier line
    assert plan.totals_skipped == [7]  # סה"כ: skipped, not an unknown locality

    result = commit_import(db, admin, name, data, "IES", TODAY)
    assert (result.added, result.rejected) == (24, 2)
    assert _value(db, 1031, "job_seekers") == (812.0, "ok")
    assert _value(db, 1031, "job_seekers.education.non_academic") == (642.0, "ok")
    assert _value(db, 1031, "job_seekers.income_support.recipients") == (95.0, "ok")
    assert _value(db, 1031, "job_seekers.employment_status.not_employed") == (610.0, "ok")
    assert _value(db, 1031, "placements") == (41.0, "ok")
    assert _value(db, 1031, "job_seekers.income_support.recipients", date(2022, 2, 1)) == (
        None,
        "suppressed",
    )
    assert _value(db, 2800, "job_seekers.income_support.recipients") == (60.0, "ok")
    with db.transaction() as s:
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "import_batch")
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None and entry.after is not None
        assert entry.after["totals_skipped"] == [7] and entry.after["duplicates"] == 1
        assert entry.after["ignored_columns"] == ['מחוז למ"ס', "יישוב / מועצה איזורית", "הערות"]
