"""The forum's year summary: chosen year and version, read on screen first, then downloaded as
PDF or Word in Hebrew or English."""

from __future__ import annotations

from functools import partial

import streamlit as st

from components.common.localized import choose
from components.common.text import plain
from components.shell.context import PageContext
from employdash.briefing import year_report
from employdash.briefing.year_summary import YearSummary, summary_years, year_summary
from employdash.i18n import local_today

VERSIONS = ("internal", "publication")
DOWNLOADS = (("he", "pdf"), ("he", "docx"), ("en", "pdf"), ("en", "docx"))


def _downloads(ctx: PageContext, summary: YearSummary) -> None:
    cols = st.columns(len(DOWNLOADS))
    for col, (lang, kind) in zip(cols, DOWNLOADS, strict=True):
        build = year_report.pdf if kind == "pdf" else year_report.docx
        col.download_button(
            ctx.tr(f"summary.download.{kind}_{lang}"),
            partial(build, summary, lang),  # built on click
            year_report.file_name(summary, lang, kind),
            "application/pdf" if kind == "pdf" else year_report.DOCX_MIME,
            key=f"year_summary_{kind}_{lang}",
            icon=":material/download:",
        )


def section(ctx: PageContext) -> None:
    today = local_today()
    years = summary_years(ctx.db, ctx.actor, ctx.locality_code, today)
    left, right = st.columns(2)
    year = left.selectbox(
        ctx.tr("summary.year"), years, key=f"year_summary_year_{ctx.lang}", placeholder=choose()
    )
    version = right.radio(
        ctx.tr("summary.version"),
        list(VERSIONS),
        format_func=lambda v: ctx.tr(f"summary.version.{v}"),
        horizontal=True,
        key=f"year_summary_version_{ctx.lang}",
    )
    summary = year_summary(
        ctx.db,
        ctx.actor,
        ctx.locality_code,
        int(year),
        today,
        publication=version == "publication",
    )
    title, parts = year_report.sections(summary, ctx.lang)
    st.subheader(plain(title))
    for heading, lines in parts:
        st.caption(plain(heading))
        st.text("\n".join(f"• {line}" for line in lines))
    _downloads(ctx, summary)
