"""Every key the code uses exists in Hebrew and English; formatting follows the locale."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from employdash.i18n import (
    catalogue,
    fmt_month,
    fmt_number,
    fmt_percent,
    fmt_signed_percent,
    has_key,
    t,
)
from tests.support.sources import product_sources

ROOT = Path(__file__).resolve().parents[2]
CALL = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
SOURCES = product_sources()


def test_catalogue_loads_with_both_languages() -> None:
    entries = catalogue()
    assert len(entries) > 50
    assert all(v["he"] and v["en"] for v in entries.values())


def test_every_literal_key_in_the_code_exists() -> None:
    missing = sorted(
        f"{path.relative_to(ROOT)}: {key}"
        for path in SOURCES
        for key in CALL.findall(path.read_text(encoding="utf-8"))
        if not has_key(key)
    )
    assert missing == []


def test_hebrew_is_the_default_text_and_english_translates() -> None:
    assert t("page.briefing", "he") == "תדריך"
    assert t("page.briefing", "en") == "Briefing"
    assert t("login.failed", "en", attempts=5, minutes=15).startswith("Wrong username")


def test_locale_formatting() -> None:
    assert fmt_number(1234567, "he") == "1,234,567"
    assert fmt_percent(0.0523, "en") == "5.2%"
    assert fmt_signed_percent(0.04, "he").strip("\u2066\u2069") == "+4.0%"
    assert fmt_month(date(2025, 3, 1), "en") == "Mar 2025"
    assert "2025" in fmt_month("2025-03", "he") and "מרץ" in fmt_month("2025-03", "he")
