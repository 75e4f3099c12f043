"""Widgets AppTest finds only by their kind's name (download buttons, segmented controls...)."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Element, Selectbox


def widgets(at: AppTest, kind: str) -> list[Element]:
    """The drawn widgets of one kind. `at.get` types them as elements or layout blocks; a widget
    is never a block, so finding one is a broken page, not something to skip."""
    found = at.get(kind)
    drawn = [w for w in found if isinstance(w, Element)]
    assert len(drawn) == len(found), f"a layout block among the {kind} widgets"
    return drawn


def chosen_id(box: Selectbox[Any]) -> int:
    """The ID of the record a picker shows: a picker of records always preselects one."""
    assert box.value is not None, f"{box.key} chose nothing"
    return int(box.value)
