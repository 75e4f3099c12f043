"""Message catalogues (Hebrew first, English) and locale-aware formatting.

Every user-visible string comes from `messages/*.json`, one file per area so that work on one area
never edits another's file. Each entry is `{"key": {"he": "...", "en": "..."}}`; placeholders use
`str.format` names. Formatting of numbers, percentages, months and dates goes through Babel.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("he", "en")
BABEL_LOCALE = {"he": "he_IL", "en": "en_US"}
MESSAGES_DIR = Path(__file__).parent / "messages"
# Every local date and time: a meeting's, "today" of a rule or a scheduled run, a time shown.
ISRAEL = ZoneInfo("Asia/Jerusalem")


def local_today(now: datetime | None = None) -> date:
    """The date in Israel at `now` (by default now): 23:30 UTC on Saturday is Sunday there."""
    return (now or datetime.now(UTC)).astimezone(ISRAEL).date()


class CatalogueError(Exception):
    pass


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(MESSAGES_DIR.glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        for key, texts in entries.items():
            if key in merged:
                raise CatalogueError(f"{path.name}: key {key!r} is defined twice")
            missing = [lang for lang in LANGUAGES if not texts.get(lang)]
            if missing:
                raise CatalogueError(f"{path.name}: key {key!r} lacks {missing}")
            merged[key] = texts
    return merged


def t(key: str, lang: str, **params: Any) -> str:
    """The text for `key` in `lang`; an unknown key shows as itself (a test keeps that from
    happening: every key the code uses must exist in both languages)."""
    texts = catalogue().get(key)
    if texts is None:
        return key
    text = texts.get(lang) or texts["en"]
    return text.format(**params) if params else text


def has_key(key: str) -> bool:
    return key in catalogue()


def direction(lang: str) -> str:
    return "rtl" if lang == "he" else "ltr"


def fmt_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALE[lang])


def fmt_percent(fraction: float | None, lang: str, decimals: int = 1) -> str:
    """`fraction` is a ratio (0.052 → 5.2%)."""
    if fraction is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(fraction, format=pattern, locale=BABEL_LOCALE[lang])


def fmt_signed_percent(fraction: float | None, lang: str, decimals: int = 1) -> str:
    """A change with its sign, isolated for bidi so Hebrew shows "+4.0%" and not "4.0%+"."""
    if fraction is None:
        return "—"
    sign = "+" if fraction > 0 else ("−" if fraction < 0 else "")
    return "\u2066" + sign + fmt_percent(abs(fraction), lang, decimals) + "\u2069"


DATE_PATTERN = "dd/MM/yyyy"
DATETIME_PATTERN = "dd/MM/yyyy HH:mm"


def fmt_date(value: date | datetime | None, lang: str) -> str:
    """A date as Israelis write it, day first and numeric ("07/12/2026"), in both languages, so
    tables, text and the date inputs (format "DD/MM/YYYY") all read the same; a datetime adds the
    24-hour time. Babel's own styles differ by language (the English "Dec 7, 2026" and "12/7/26"
    put the month first), so one pattern serves both. A time stored with its zone (UTC) reads
    as the time in Israel."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        local = value.astimezone(ISRAEL) if value.tzinfo is not None else value
        return format_datetime(local, format=DATETIME_PATTERN, locale=BABEL_LOCALE[lang])
    return format_date(value, format=DATE_PATTERN, locale=BABEL_LOCALE[lang])


def plural_key(count: int, key: str) -> str:
    """The catalogue key of `key`'s form for `count`: `key.one` or `key.many`. For texts built
    later from a key and its parameters (the briefing's attention list)."""
    return f"{key}.{'one' if count == 1 else 'many'}"


def plural(count: int, key: str, lang: str, **params: Any) -> str:
    """A count with its noun, as the language says it. The catalogue holds `key.one` and
    `key.many` (with `{n}`): Hebrew puts "אחת" / "אחד" after the noun ("משימה אחת", never
    "1 משימות"), so the one form is a phrase of its own, not the number with a singular noun."""
    return t(plural_key(count, key), lang, n=fmt_number(count, lang), **params)


def fmt_month(period: date | str | None, lang: str) -> str:
    """A month (`date` on the 1st, or 'YYYY-MM') as "ינו׳ 2025" / "Jan 2025"."""
    if period is None:
        return "—"
    if isinstance(period, str):
        year, month = period.split("-")[:2]
        period = date(int(year), int(month), 1)
    return format_date(period, format="MMM y", locale=BABEL_LOCALE[lang])
