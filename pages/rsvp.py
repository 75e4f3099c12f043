"""Answering a meeting invitation, opened from the link in its e-mail (`/rsvp?token=...`)."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from components.forum import rsvp
from components.shell.context import current, has_current
from components.shell.feedback import guarded

if not has_current():
    # A fresh server whose first request is this link runs this script alone: Streamlit keeps its
    # pages-folder mode until the first `st.navigation` of the process. Leave that mode and run
    # again, now through app.py (login first, then back here with the link's query).
    PagesManager.uses_pages_directory = False
    st.rerun()

ctx = current()
st.header(ctx.tr("planning.rsvp.title"))

with guarded():
    rsvp.answer_page(ctx, st.query_params.get("token", ""))
