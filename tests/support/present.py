"""Narrowing a read that may find nothing, where the test expects it to find something."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def present(value: T | None) -> T:
    """The value, which must not be None: the read found what the test set up or seeded."""
    assert value is not None
    return value
