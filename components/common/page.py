"""The top of a page that works on one locality."""

from __future__ import annotations

import streamlit as st

from components.shell.context import PageContext
from employdash.localities import LocalityInfo


def locality_page(
    ctx: PageContext, title_key: str, missing_key: str = "empty.no_data"
) -> LocalityInfo:
    """Draw the page's title and return its locality; a user with none sees `missing_key` (why
    there is nothing) and the page stops."""
    st.header(ctx.tr(title_key))
    if ctx.locality is None:
        st.info(ctx.tr(missing_key))
        st.stop()
    return ctx.locality
