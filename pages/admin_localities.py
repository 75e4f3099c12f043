"""Administration of the localities the installation serves: enable from the CBS catalogue."""

import streamlit as st

from components.admin import localities as view
from components.shell.context import current
from components.shell.feedback import guarded
from employdash import localities, reference

ctx = current()
st.header(ctx.tr("localities.title"))
st.caption(ctx.tr("localities.intro"))
view.flash(ctx)
if reference.is_missing(ctx.db):  # a database migrated before `migrate` loaded the catalogue
    st.warning(ctx.tr("localities.catalogue_missing"))
with guarded():
    view.enabled_section(ctx, localities.enabled(ctx.db, ctx.actor))
with guarded():
    view.search_section(ctx)
