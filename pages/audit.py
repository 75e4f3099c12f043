"""Placeholder until its issue lands."""

import streamlit as st

from components.context import current

ctx = current()
st.header(ctx.tr("page.audit"))
st.info(ctx.tr("empty.no_data"))
