"""Tabs whose hidden content does not run: a page draws every tab's label but only the open
tab's content, and picking another tab reruns the page with that one open.

Why: a tabbed page used to run every tab's forms, tables, charts and queries on every run, for
the one tab on screen (a page's worth of work per tab). The tabs are a widget keyed
`<key>_<language>` (the labels change with the language), so the open tab survives a save's
rerun, and a link or a test opens one by setting that session-state key to the tab's label
(tests/support/apptest.open_tab).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.shell.context import PageContext


def shown_tab(ctx: PageContext, label_keys: Sequence[str], key: str) -> tuple[str, DeltaGenerator]:
    """Draw tabs labelled by the catalogue keys `label_keys` (in their order) and return the
    open tab's catalogue key and its container, to draw that tab's content in; the first tab is
    open until the user picks another."""
    tabs = st.tabs(
        [ctx.tr(label_key) for label_key in label_keys],
        key=f"{key}_{ctx.lang}",
        on_change="rerun",
    )
    for label_key, tab in zip(label_keys, tabs, strict=True):
        if tab.open:
            return label_key, tab
    raise AssertionError(f"st.tabs opened none of {label_keys}")
