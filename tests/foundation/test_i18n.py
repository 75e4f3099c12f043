"""Every key the code uses exists in Hebrew and English; formatting follows the locale."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from employdash.i18n import (
    catalogue,
    fmt_date,
    fmt_month,
    fmt_number,
    fmt_percent,
    fmt_signed_percent,
    has_key,
    plural,
    plural_key,
    t,
)
from tests.support.sources import product_sources

ROOT = Path(__file__).resolve().parents[2]
CALL = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
# plural(count, "key", ...) and plural_key(count, "key"): the key's one and many forms.
PLURAL = re.compile(
    r"""\bplural(?:_key)?\([^,()]+(?:\([^()]*\))?,\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']"""
)
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


def test_every_plural_in_the_code_has_its_one_and_many_forms() -> None:
    used = {key for path in SOURCES for key in PLURAL.findall(path.read_text(encoding="utf-8"))}
    assert len(used) >= 5  # the scan finds the headings that count
    missing = sorted(
        f"{k}.{form}" for k in used for form in ("one", "many") if not has_key(f"{k}.{form}")
    )
    assert missing == []


def test_counts_read_naturally_in_hebrew() -> None:
    assert plural(1, "task.my.title", "he") == "המשימות שלי (משימה פתוחה אחת)"
    assert plural(3, "task.my.title", "he") == "המשימות שלי (3 פתוחות)"
    assert plural(1, "task.my.title", "en") == "My tasks (1 open)"
    assert plural(1200, "stake.register.count", "he") == "1,200 בעלי עניין במרשם."
    assert plural(0, "survey.responses.count", "en") == "0 responses in this locality."
    assert plural(1, "ment.matches.quiet_count", "he", weeks=4).startswith("הצמדה פעילה אחת")
    assert plural_key(1, "brief.attention.overdue_tasks") == "brief.attention.overdue_tasks.one"
    assert (
        t(plural_key(2, "brief.attention.overdue_tasks"), "he", count=2) == "2 משימות פורום באיחור"
    )
    # No Hebrew one-form keeps a digit 1 before a plural noun ("1 משימות").
    for key, texts in catalogue().items():
        if key.endswith(".one"):
            assert "{n}" not in texts["he"] and "{count}" not in texts["he"], key


def test_dates_are_day_first_in_both_languages() -> None:
    for lang in ("he", "en"):
        assert fmt_date(date(2026, 3, 9), lang) == "09/03/2026"
        assert fmt_date(datetime(2026, 3, 9, 14, 5), lang) == "09/03/2026 14:05"
        # a stored time (UTC) in Israel's time, winter and summer
        assert fmt_date(datetime(2026, 12, 7, 15, 17, tzinfo=UTC), lang) == "07/12/2026 17:17"
        assert fmt_date(datetime(2026, 7, 1, 9, 0, tzinfo=UTC), lang) == "01/07/2026 12:00"
        assert fmt_date(None, lang) == "—"


def test_one_word_for_a_focus() -> None:
    """The domain's word, מיקוד (אסטרטגי), wherever a text speaks of a strategic focus; never
    מוקד (a hotline, a centre)."""
    for key, texts in catalogue().items():
        if re.search(r"\b(re-)?focus(es)?\b", texts["en"]) and "focus ring" not in texts["en"]:
            assert "מיקוד" in texts["he"], (key, texts["he"])
            assert not re.search(r"(^|\W)[והבלמש]?ה?מוקד(ים|י)?(\W|$)", texts["he"]), key


def test_the_plenary_team_is_named_as_the_set_up_message_promises() -> None:
    for lang in ("he", "en"):
        plenary = t("forum.kind.forum", lang)
        assert plenary.lower() in t("forum.setup.created", lang).lower()
