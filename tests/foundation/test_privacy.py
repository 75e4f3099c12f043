"""Small counts are hidden, and so is any cell that would reveal one through the total."""

from __future__ import annotations

from employdash.privacy import suppress_group, suppress_total


def test_small_cells_are_hidden_and_a_complement_too() -> None:
    cells = {"18-24": 3, "25-44": 40, "45-64": 12, "65+": 20}
    shown = suppress_group(cells, threshold=5)
    assert shown["18-24"] is None
    assert shown["45-64"] is None  # the next smallest, else 75 - 40 - 20 - 12 = 3 is derivable
    assert shown["25-44"] == 40 and shown["65+"] == 20


def test_two_hidden_cells_need_no_complement_and_zero_is_not_small() -> None:
    shown = suppress_group({"a": 2, "b": 1, "c": 50, "d": 0}, threshold=5)
    assert shown == {"a": None, "b": None, "c": 50, "d": 0}


def test_without_a_shown_total_no_complement() -> None:
    assert suppress_group({"a": 2, "b": 9}, threshold=5, total_shown=False) == {"a": None, "b": 9}


def test_total_itself() -> None:
    assert suppress_total(4, 5) is None and suppress_total(5, 5) == 5 and suppress_total(0, 5) == 0
