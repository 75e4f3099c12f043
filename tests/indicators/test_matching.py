"""Locality names as people write them, and the cells the importers must read."""

from __future__ import annotations

from datetime import date

import pytest

from employdash.indicators.layouts import Rejected, parse_period, parse_value
from employdash.indicators.matching import normalise, skeleton
from employdash.reading import decode


@pytest.mark.parametrize(
    "written", ["קריית שמונה", "קרית שמונה", "  קריית   שמונה ", "קריית-שמונה", "קִרְיַת שמונה"]
)
def test_hebrew_spellings_normalise_alike(written: str) -> None:
    assert normalise(written) == normalise("קריית שמונה")


def test_gershayim_and_maqaf_variants() -> None:
    assert normalise("באר שבע") == normalise("באר-שבע")
    assert normalise('מג"ד אל-כרום') == normalise("מג״ד אל כרום") == normalise("מגד אל כרום")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sderot", "Sederot"),
        ("Kiryat Shmona", "Qiryat Shemona"),
        ("Tsfat", "Zefat"),
        ("Beit She'an", "Bet She'an"),
    ],
)
def test_transliterations_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(
    ("raw", "year", "expected"),
    [
        ("2026-10", None, date(2026, 10, 1)),
        ("2026-10-01", None, date(2026, 10, 1)),
        ("10/2026", None, date(2026, 10, 1)),
        ("15/10/2026", None, date(2026, 10, 1)),
        ("אוקטובר 2026", None, date(2026, 10, 1)),
        ("Oct 2026", None, date(2026, 10, 1)),
        (date(2026, 10, 17), None, date(2026, 10, 1)),
        ("10", 2026, date(2026, 10, 1)),
    ],
)
def test_periods(raw: object, year: int | None, expected: date) -> None:
    assert parse_period(raw, year) == expected


@pytest.mark.parametrize("raw", ["13/2026", "soon", "", "2026-00"])
def test_bad_periods(raw: str) -> None:
    with pytest.raises(Rejected):
        parse_period(raw)


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("1,234", "count", 1234.0),
        ("<5", "count", None),
        ("", "count", None),
        ("*", "count", None),
        (None, "count", None),
        ("5.2%", "fraction", 0.052),
        ("5.2", "fraction", 0.052),
        (0.052, "fraction", 0.052),
        ("12,400 ₪", "ils", 12400.0),
    ],
)
def test_values(raw: object, unit: str, expected: float | None) -> None:
    found = parse_value(raw, unit)
    assert found is None if expected is None else found == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["abc", "-3", "250%"])
def test_bad_values(raw: str) -> None:
    with pytest.raises(Rejected):
        parse_value(raw, "fraction" if raw.endswith("%") else "count")


def test_encodings() -> None:
    text = "סמל יישוב,שם יישוב\n1031,שדרות\n"
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    assert decode(text.encode("cp1255")) == (text, "cp1255")
