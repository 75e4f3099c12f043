"""Administration of the localities the installation serves: enable from the CBS catalogue."""

import streamlit as st

from components.admin import localities as view
from components.shell.context import current
from components.shell.feedback import guarded
from employdash import localities

ctx = current()
st.header(ctx.tr("localities.title"))
st.caption(ctx.tr("localities.intro"))
view.flash()
with guarded():
    view.enabled_section(ctx, localities.enabled(ctx.db, ctx.actor))
with guarded():
    view.search_section(ctx)
