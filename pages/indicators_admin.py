"""Indicators admin: import a CSV or Excel file, preview it, then commit it all or nothing."""

import hashlib

import streamlit as st

from components.common.text import plain
from components.indicators import imports as view
from components.indicators import local as local_forms
from components.shell.context import current
from components.shell.feedback import guarded
from employdash.indicators.imports import commit_import, list_batches, preview_import

ctx = current()
st.title(ctx.tr("page.indicators_admin"))
flash = st.session_state.pop("ind_local_flash", None)
if flash:
    st.success(plain(flash))
st.caption(ctx.tr("ind.import.intro"))
st.caption(ctx.tr("ind.import.formats"))

uploaded = st.file_uploader(
    ctx.tr("ind.import.file"), type=["csv", "txt", "xlsx"], key="ind_import_file"
)
source = st.text_input(
    ctx.tr("ind.import.source"),
    value=ctx.tr("ind.import.source_default"),
    max_chars=120,
    key="ind_import_source",
)
if uploaded is not None:
    content = uploaded.getvalue()
    digest = hashlib.sha256(content).hexdigest()
    if st.button(ctx.tr("ind.import.preview"), key="ind_import_preview", type="secondary"):
        with guarded():
            st.session_state["ind_import_plan"] = (
                digest,
                preview_import(ctx.db, ctx.actor, uploaded.name, content),
            )
    stored = st.session_state.get("ind_import_plan")
    if stored and stored[0] == digest:
        plan = stored[1]
        view.preview(plan, ctx.lang)
        if not plan.changes:
            st.info(ctx.tr("ind.import.nothing"))
        elif st.button(ctx.tr("ind.import.commit"), key="ind_import_commit", type="primary"):
            with guarded():
                result = commit_import(ctx.db, ctx.actor, uploaded.name, content, source)
                view.clear_read_caches()
                del st.session_state["ind_import_plan"]
                st.success(
                    ctx.tr(
                        "ind.import.done",
                        added=int(result.added),
                        revised=int(result.revised),
                        unchanged=int(result.unchanged),
                        rejected=int(result.rejected),
                    )
                )

with guarded():
    view.history(list_batches(ctx.db, ctx.actor), ctx.lang)

st.divider()
with guarded():
    local_forms.add_form(ctx)
with guarded():
    local_forms.value_form(ctx)
