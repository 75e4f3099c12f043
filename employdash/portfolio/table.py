"""The portfolio as a table in the reader's language: typed columns for the page and Excel
(numbers sort as numbers, dates as dates), text cells for the A4-landscape PDF; and the filters
the page offers (district, size band, stage)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

import pandas as pd

from employdash.forum.stages import STAGE_KEYS
from employdash.i18n import fmt_date, fmt_number, fmt_percent, t
from employdash.portfolio.board import INDICATORS, PortfolioRow

NO_FORUM = 0  # the stage filter's value for a locality with no forum yet
EMPTY = "—"
# Names and units of the compared indicators: {code: (Hebrew, English, unit)}.
Definitions = dict[str, tuple[str, str, str]]
FIXED = (
    "locality",
    "district",
    "size",
    "stage",
    "months",
    "last",
    "next",
    "attendance",
    "decisions",
    "overdue",
    "on_track",
    "at_risk",
    "off_track",
    "participants",
    "placements",
)


def stage_of(row: PortfolioRow) -> int:
    return row.stage if row.stage is not None else NO_FORUM


def stage_name(stage: int, lang: str) -> str:
    return t(STAGE_KEYS[stage], lang) if stage in STAGE_KEYS else t("portfolio.no_forum", lang)


def filtered(
    rows: Sequence[PortfolioRow],
    districts: Collection[str] = (),
    bands: Collection[str] = (),
    stages: Collection[int] = (),
    lang: str = "he",
) -> list[PortfolioRow]:
    """The rows in any of the chosen districts (by name in `lang`), size bands and stages; an
    empty choice keeps every row."""
    return [
        r
        for r in rows
        if (not districts or r.district(lang) in districts)
        and (not bands or r.size_band in bands)
        and (not stages or stage_of(r) in stages)
    ]


def headers(definitions: Definitions, lang: str) -> list[str]:
    fixed = [t(f"portfolio.col.{name}", lang) for name in FIXED]
    compared = []
    for code in INDICATORS:
        he, en, _unit = definitions.get(code, (code, code, "count"))
        name = he if lang == "he" else en
        compared += [name, t("portfolio.col.district_value", lang, name=name)]
    return fixed + compared


def _scaled(value: float | None, unit: str) -> float | None:
    """A rate in percent (5.2 for 5.2%), other units as they are."""
    if value is None:
        return None
    return round(value * 100, 1) if unit == "fraction" else round(value, 1)


def frame(rows: Sequence[PortfolioRow], definitions: Definitions, lang: str) -> pd.DataFrame:
    """One row per locality, typed; rates and attendance in percent."""
    records = []
    for r in rows:
        record: list[object] = [
            r.name(lang),
            r.district(lang),
            t(f"portfolio.size.{r.size_band}", lang),
            stage_name(stage_of(r), lang),
            r.months_in_stage,
            r.last_meeting,
            r.next_meeting,
            None if r.attendance.share is None else round(r.attendance.share * 100),
            r.open_decisions,
            r.overdue_tasks,
            r.targets.on_track,
            r.targets.at_risk,
            r.targets.off_track,
            r.participants,
            r.placements,
        ]
        for code in INDICATORS:
            unit = definitions.get(code, ("", "", "count"))[2]
            figure = r.indicator(code)
            record += [
                _scaled(figure.value if figure else None, unit),
                _scaled(figure.district if figure else None, unit),
            ]
        records.append(record)
    table = pd.DataFrame(records, columns=headers(definitions, lang))
    for column in table.columns[[4, 7, 8, 9, 10, 11, 12, 13, 14]]:
        table[column] = table[column].astype("Int64")  # counts with gaps, not floats
    return table


def _value(value: float | None, unit: str, lang: str) -> str:
    if value is None:
        return EMPTY
    if unit == "fraction":
        return fmt_percent(value, lang)
    return ("₪" if unit == "ils" else "") + fmt_number(value, lang)


def _day(value: date | None, lang: str) -> str:
    return fmt_date(value, lang) if value else EMPTY


def _count(value: int | None) -> str:
    return EMPTY if value is None else str(value)


def text_rows(rows: Sequence[PortfolioRow], definitions: Definitions, lang: str) -> list[list[str]]:
    """The table's cells as the PDF prints them."""
    out = []
    for r in rows:
        share = r.attendance.share
        attendance = EMPTY if share is None else fmt_percent(share, lang, 0)
        if r.attendance.below:
            attendance += " ▼"
        cells = [
            r.name(lang),
            r.district(lang),
            t(f"portfolio.size.{r.size_band}", lang),
            stage_name(stage_of(r), lang),
            _count(r.months_in_stage),
            _day(r.last_meeting, lang),
            _day(r.next_meeting, lang),
            attendance,
            str(r.open_decisions),
            str(r.overdue_tasks),
            str(r.targets.on_track),
            str(r.targets.at_risk),
            str(r.targets.off_track),
            _count(r.participants),
            _count(r.placements),
        ]
        for code in INDICATORS:
            unit = definitions.get(code, ("", "", "count"))[2]
            figure = r.indicator(code)
            cells += [
                _value(figure.value if figure else None, unit, lang),
                _value(figure.district if figure else None, unit, lang),
            ]
        out.append(cells)
    return out
