"""The survey import tab: upload CSV/Excel, see the preview, then commit all accepted rows."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from components.common.commands import perform
from components.common.imports import import_done
from components.common.tables import data_table
from components.common.text import plain
from components.shell.context import PageContext
from components.shell.feedback import guarded
from employdash.i18n import fmt_number
from employdash.stakeholders import survey_import

PREVIEW = "survey_import_preview"


def _show(ctx: PageContext, preview: survey_import.SurveyPreview) -> None:
    cols = st.columns(5)
    for col, key, value in zip(
        cols,
        ("read", "add", "revise", "unchanged", "rejected"),
        (
            preview.rows_read,
            len(preview.to_add),
            len(preview.to_revise),
            preview.unchanged,
            len(preview.rejected),
        ),
        strict=True,
    ):
        col.metric(ctx.tr(f"survey.import.{key}"), fmt_number(value, ctx.lang))
    if preview.rejected:
        data_table(
            pd.DataFrame(
                {
                    ctx.tr("survey.import.line"): [r.line for r in preview.rejected],
                    ctx.tr("survey.import.reason"): [ctx.tr(r.reason) for r in preview.rejected],
                    ctx.tr("survey.import.detail"): [r.detail for r in preview.rejected],
                }
            ),
            hide_index=True,
            width="stretch",
        )


def section(ctx: PageContext, code: int) -> None:
    st.caption(ctx.tr("survey.import.help"))
    upload = st.file_uploader(
        ctx.tr("survey.import.upload"), type=["csv", "xlsx"], key="survey_upload"
    )
    if upload is None:
        st.session_state.pop(PREVIEW, None)
        return
    raw = upload.getvalue()
    digest = hashlib.sha256(raw).hexdigest()
    stored = st.session_state.get(PREVIEW)
    if stored is None or stored[0] != (digest, code):
        with guarded():
            stored = (
                (digest, code),
                survey_import.preview(ctx.db, ctx.actor, raw, upload.name, default_locality=code),
            )
            st.session_state[PREVIEW] = stored
    if stored is None or stored[0] != (digest, code):
        return
    preview = stored[1]
    _show(ctx, preview)
    pending = len(preview.to_add) + len(preview.to_revise)
    if st.button(
        ctx.tr("survey.import.commit", count=pending),
        type="primary",
        disabled=pending == 0,
        key="survey_import_commit",
    ):
        with guarded():
            result = perform(ctx.db, ctx.actor, survey_import.ImportSurveys.of(preview))
            st.session_state.pop(PREVIEW, None)
            st.success(plain(import_done("survey.import.done", result)))
