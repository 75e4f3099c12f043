"""Answering a meeting invitation, opened from the link in its e-mail (`/rsvp?token=...`)."""

import streamlit as st

from components.forum import rsvp
from components.shell.context import current
from components.shell.feedback import guarded

ctx = current()
st.header(ctx.tr("planning.rsvp.title"))

with guarded():
    rsvp.answer_page(ctx, st.query_params.get("token", ""))
