"""The top of the stakeholder and survey pages: the title, the locality they need, and the message
a form left for the rerun that follows its save (set by the form, shown once here)."""

from __future__ import annotations

import streamlit as st

from components.common.page import locality_page
from components.common.state import Kept
from components.common.text import plain
from components.shell.context import PageContext

STAKE_FLASH: Kept[str] = Kept("stake_flash")
SURVEY_FLASH: Kept[str] = Kept("survey_flash")


def top(ctx: PageContext, title_key: str, flash: Kept[str], intro_key: str | None = None) -> int:
    """Draw the page's top and return its locality's code; a user with none sees why and the
    page stops."""
    locality = locality_page(ctx, title_key)
    if intro_key is not None:
        st.caption(ctx.tr(intro_key, locality=plain(locality.name(ctx.lang))))
    message = flash.take()
    if message:
        st.success(plain(message))
    return locality.code
