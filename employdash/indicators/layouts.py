"""The two layouts an import understands, and the parsing of their cells.

Long (canonical): one value per row, columns `locality_code` (or a locality name), `period`,
`indicator`, `value`, optional `status`. Wide: the Israel Employment Service's table of job
seekers by locality and month, one row per locality and month and one column per indicator,
with Hebrew headers; `WIDE_COLUMNS` maps them (docs/indicators-import.md lists the mapping).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from datetime import date
from operator import itemgetter
from typing import NamedTuple

from employdash.indicators.catalogue import breakdown_code
from employdash.indicators.matching import normalise
from employdash.reading import Table

SUPPRESSED_MARKS = {"", "-", "*", "**", "..", "x", "n/a", "na", "חסוי"}
# How the Employment Service's published tables write a count too small to show.
SUPPRESSED_NUMBER = -1.0
_SMALL = re.compile(r"^<\s*=?\s*\d+$")
MONTHS = {
    "ינואר": 1,
    "פברואר": 2,
    "מרץ": 3,
    "מרס": 3,
    "אפריל": 4,
    "מאי": 5,
    "יוני": 6,
    "יולי": 7,
    "אוגוסט": 8,
    "ספטמבר": 9,
    "אוקטובר": 10,
    "נובמבר": 11,
    "דצמבר": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

# Canonical long format: accepted header spellings (normalised) per field.
LONG_FIELDS = {
    "locality_code": ("locality code", "locality_code", "code", "סמל יישוב", "סמל ישוב"),
    "locality": (
        "locality",
        "locality name",
        "locality_name",
        "name",
        "שם יישוב",
        "שם ישוב",
        "יישוב",
        "ישוב",
    ),
    "period": ("period", "month", "תקופה", "חודש"),
    "indicator": ("indicator", "indicator_code", "indicator code", "מדד", "קוד מדד"),
    "value": ("value", "ערך"),
    "status": ("status", "סטטוס"),
}

# Israel Employment Service wide layout: Hebrew header (normalised) → indicator code.
WIDE_COLUMNS = {
    "סהכ דורשי עבודה": "job_seekers",
    "דורשי עבודה": "job_seekers",
    "שיעור אבטלה": "unemployment_rate",
    "משרות פנויות": "open_positions",
    "גברים": breakdown_code("gender", "men"),
    "נשים": breakdown_code("gender", "women"),
    "עד 24": breakdown_code("age_group", "18_24"),
    "18 24": breakdown_code("age_group", "18_24"),
    "25 34": breakdown_code("age_group", "25_34"),
    "35 44": breakdown_code("age_group", "35_44"),
    "45 54": breakdown_code("age_group", "45_54"),
    "55+": breakdown_code("age_group", "55_plus"),
    "55 ומעלה": breakdown_code("age_group", "55_plus"),
    "עד 12 שנות לימוד": breakdown_code("education", "up_to_12"),
    "על תיכונית": breakdown_code("education", "post_secondary"),
    "על תיכוני": breakdown_code("education", "post_secondary"),
    "אקדמאים": breakdown_code("education", "academic"),
    "אקדמית": breakdown_code("education", "academic"),
    "אינם אקדמאים": breakdown_code("education", "non_academic"),
    "לא אקדמאים": breakdown_code("education", "non_academic"),
    "הבטחת הכנסה": breakdown_code("income_support", "recipients"),
    "מקבלי הבטחת הכנסה": breakdown_code("income_support", "recipients"),
    "דורשי עבודה שאינם עובדים": breakdown_code("employment_status", "not_employed"),
    "שאינם עובדים": breakdown_code("employment_status", "not_employed"),
    "השמות מתוך הפניות": "placements",
    "השמות": "placements",
    "שיעור אבטלה מוערך": "ies_unemployment_estimate",
    "אחוז אבטלה מוערך": "ies_unemployment_estimate",
    "שיעור אבטלה משוער": "ies_unemployment_estimate",
    "יהודים ואחרים": breakdown_code("population_group", "general"),
    "כללי": breakdown_code("population_group", "general"),
    "חרדים": breakdown_code("population_group", "haredi"),
    "ערבים": breakdown_code("population_group", "arab"),
}
# Columns the Employment Service's table carries that describe the row, not a measure: known, read
# for nothing, and named in the preview as such.
CONTEXT_COLUMNS = {
    normalise(h)
    for h in ('מחוז למ"ס', "מחוז", "נפה", "יישוב / מועצה איזורית", "מועצה אזורית", "מועצה איזורית")
}
# What a totals row says instead of a locality: skipped and reported, not an unknown locality.
_TOTALS = re.compile(r"^(סהכ|סך הכל|סך הכול|כל הארץ|ארצי|total|grand total|national)\b")

WIDE_KEYS = {
    "locality_code": LONG_FIELDS["locality_code"],
    "locality": LONG_FIELDS["locality"],
    "period": ("חודש", "תקופה", "period", "month"),
    "year": ("שנה", "year"),
}


class RawValue(NamedTuple):
    """One value as the file gives it, before validation (a tuple: files have millions)."""

    line: int
    locality_code: object
    locality_name: object
    period: object
    indicator: str
    value: object
    status: object = None
    year: object = None


class Rejected(Exception):
    """A cell that cannot be read; `reason` is a catalogue key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _find(header: list[str], names: tuple[str, ...]) -> str | None:
    wanted = {normalise(n) for n in names}
    return next((h for h in header if normalise(h) in wanted), None)


def detect(table: Table) -> str | None:
    """'long', 'wide' or None when neither layout's columns are there."""
    if _find(table.header, LONG_FIELDS["indicator"]) and _find(table.header, LONG_FIELDS["value"]):
        return "long"
    if any(normalise(h) in WIDE_COLUMNS for h in table.header):
        return "wide"
    return None


def _indexes(table: Table, spec: dict[str, tuple[str, ...]]) -> dict[str, int | None]:
    """Position of each field's column, or None when the file lacks it."""
    found = {key: _find(table.header, names) for key, names in spec.items()}
    return {key: (None if h is None else table.header.index(h)) for key, h in found.items()}


def ignored_columns(table: Table, layout: str) -> list[tuple[str, str]]:
    """(header, reason key) of every column the import does not read, so none is dropped
    silently: a context column the table is known to carry, or one not recognised at all."""
    if layout == "long":
        used = {i for i in _indexes(table, LONG_FIELDS).values() if i is not None}
    else:
        used = {i for i in _indexes(table, WIDE_KEYS).values() if i is not None}
        used |= {i for i, h in enumerate(table.header) if normalise(h) in WIDE_COLUMNS}
    return [
        (
            h,
            "ind.import.column.context"
            if normalise(h) in CONTEXT_COLUMNS
            else "ind.import.column.unknown",
        )
        for i, h in enumerate(table.header)
        if i not in used and str(h).strip()
    ]


def is_totals_row(code: object, name: object) -> bool:
    """A row of national or district totals (`סה"כ`), which names no locality."""
    if code not in (None, "") and str(code).strip() not in ("0", "0.0"):
        return False
    return bool(_TOTALS.match(normalise(str(name or ""))))


def _cell(row: list[object], index: int | None) -> object:
    return row[index] if index is not None and index < len(row) else None


def long_values(table: Table) -> Iterator[RawValue]:
    at = _indexes(table, LONG_FIELDS)
    fields = ("locality_code", "locality", "period", "indicator", "value", "status")
    # A column the file lacks reads one past its widest column, where every row is padded with
    # None: one C-level getter a row instead of a call a cell (files have millions of rows).
    width = max((i for i in at.values() if i is not None), default=-1) + 1
    cells = itemgetter(*(width if at[f] is None else at[f] for f in fields))
    padding = [None] * (width + 1)
    for line, row in zip(table.lines, table.rows, strict=True):
        code, name, period, indicator, value, status = cells(row + padding[len(row) :])
        yield RawValue(line, code, name, period, str(indicator or "").strip(), value, status)


def wide_values(table: Table) -> Iterator[RawValue]:
    at = _indexes(table, WIDE_KEYS)
    measures = [
        (i, WIDE_COLUMNS[normalise(h)])
        for i, h in enumerate(table.header)
        if normalise(h) in WIDE_COLUMNS
    ]
    for line, row in zip(table.lines, table.rows, strict=True):
        code, name = _cell(row, at["locality_code"]), _cell(row, at["locality"])
        period, year = _cell(row, at["period"]), _cell(row, at["year"])
        for index, indicator in measures:
            yield RawValue(line, code, name, period, indicator, _cell(row, index), None, year)


READERS: dict[str, Callable[[Table], Iterator[RawValue]]] = {
    "long": long_values,
    "wide": wide_values,
}


# --- cells ------------------------------------------------------------------------------------


def parse_period(raw: object, year: object = None) -> date:
    """A month from '2026-10', '2026-10-01', '10/2026', '1/10/2026', 'אוקטובר 2026', 'Oct 2026',
    a date cell, or a month number with a separate year column."""
    if isinstance(raw, date):
        return date(raw.year, raw.month, 1)
    text = str(raw or "").strip().lower()
    if year not in (None, "") and re.fullmatch(r"\d{1,2}(\.0)?", text):
        return _month(int(float(str(year))), int(float(text)))
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?: 00:00:00)?", text):
        return _month(int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{4})", text):
        return _month(int(m[2]), int(m[1]))
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):
        return _month(int(m[3]), int(m[2]))
    if m := re.fullmatch(r"([^\d\s]+)[\s\-']+(\d{4})", text):
        month = MONTHS.get(m[1]) or MONTHS.get(m[1][:3])
        if month:
            return _month(int(m[2]), month)
    raise Rejected("ind.import.reason.bad_period")


def _month(year: int, month: int) -> date:
    if not (1 <= month <= 12 and 1990 <= year <= 2100):
        raise Rejected("ind.import.reason.bad_period")
    return date(year, month, 1)


def parse_value(raw: object, unit: str) -> float | None:
    """The number in a cell; None for a suppressed cell ('<5', '-1', '*', blank...)."""
    if raw is None:
        return None
    percent = False
    try:  # the common case: a plain number
        number = float(raw) if isinstance(raw, int | float) else float(str(raw))
    except ValueError:
        text = str(raw).strip().replace("\u200f", "").replace("\u200e", "").replace(" ", "")
        if text.lower() in SUPPRESSED_MARKS or _SMALL.match(text):
            return None
        percent = text.endswith("%")
        text = text.rstrip("%").replace("₪", "")
        if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError as exc:
            raise Rejected("ind.import.reason.bad_value") from exc
    if number == SUPPRESSED_NUMBER and not percent:
        return None
    return _checked(number, unit, percent)


def _checked(number: float, unit: str, percent: bool) -> float:
    if not math.isfinite(number) or number < 0:
        raise Rejected("ind.import.reason.bad_value")
    if unit == "fraction" and (percent or number > 1):
        number /= 100  # written as a percentage: 5.2 or 5.2% → 0.052
        if number > 1:
            raise Rejected("ind.import.reason.bad_value")
    return number
