"""Indicator import: a CSV or Excel file, previewed, then committed all or nothing. Admins import
for every locality and also keep the catalogue's local indicators; managers import for theirs."""

import hashlib

import streamlit as st

from components.common.commands import perform
from components.common.imports import import_done
from components.common.text import plain
from components.indicators import imports as view
from components.indicators import local as local_forms
from components.indicators import span
from components.shell.context import current
from components.shell.feedback import guarded
from employdash.access import Area
from employdash.indicators.imports import ImportIndicators, list_batches, preview_import

ctx = current()
st.title(ctx.tr("page.indicators_admin"))
flash = local_forms.FLASH.take()
if flash:
    st.success(plain(flash))
done = view.DONE.take()
if done:
    st.success(plain(done))
    st.page_link(
        "pages/explorer.py", label=ctx.tr("ind.import.explore"), icon=":material/monitoring:"
    )
st.caption(ctx.tr("ind.import.intro"))
st.caption(ctx.tr("ind.import.formats"))
view.scope_note(
    None if ctx.actor.localities is None else [loc.name(ctx.lang) for loc in ctx.localities],
    ctx.lang,
)

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
            view.PLAN.put((digest, preview_import(ctx.db, ctx.actor, uploaded.name, content)))
    stored = view.PLAN.get()
    if stored and stored[0] == digest:
        plan = stored[1]
        view.preview(plan, ctx.lang)
        if not plan.changes:
            st.info(ctx.tr("ind.import.nothing"))
        elif st.button(ctx.tr("ind.import.commit"), key="ind_import_commit", type="primary"):
            with guarded():
                result = perform(ctx.db, ctx.actor, ImportIndicators.of(plan, source))
                view.PLAN.forget()
                span.hand_over(plan)
                # Drawn by the next run, above the form, without the preview of what is done.
                view.DONE.put(import_done("ind.import.done", result))
                st.rerun()

with guarded():
    view.history(list_batches(ctx.db, ctx.actor), ctx.lang)

if ctx.actor.can_write(Area.CATALOGUE):  # the catalogue stays the admin's
    st.divider()
    with guarded():
        local_forms.add_form(ctx)
    with guarded():
        local_forms.value_form(ctx)
