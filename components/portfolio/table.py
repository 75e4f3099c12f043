"""The portfolio table: filters (district, size band, stage), the sortable table with a link
from each row to that locality's forum, the Excel and PDF downloads, and links to a locality's
other pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from components.common.downloads import XLSX, excel_file
from components.common.localized import choose_many, date_columns
from components.common.pickers import pick
from components.common.tables import data_table
from components.shell.context import PageContext
from employdash.access import Area
from employdash.portfolio.board import SIZE_BANDS, PortfolioRow
from employdash.portfolio.pdf import portfolio_pdf
from employdash.portfolio.table import (
    NO_FORUM,
    Definitions,
    filtered,
    frame,
    stage_name,
)

# A locality's pages a row leads to, in the order offered: (page, catalogue key, area).
LOCALITY_PAGES = (
    ("pages/forum.py", "page.forum", Area.FORUM),
    ("pages/mentoring.py", "page.mentoring", Area.MENTORING),
    ("pages/explorer.py", "page.explorer", Area.INDICATORS),
)
STAGES = (1, 2, 3, NO_FORUM)


def filters(ctx: PageContext, rows: Sequence[PortfolioRow]) -> tuple[list[PortfolioRow], str]:
    """The rows the reader's filters keep, and the filters in words (for the PDF)."""
    districts = sorted({r.district(ctx.lang) for r in rows if r.district(ctx.lang)})
    bands = [name for _, name in SIZE_BANDS]
    left, middle, right = st.columns(3)
    chosen_districts = left.multiselect(
        ctx.tr("portfolio.filter.district"),
        districts,
        key=f"portfolio_districts_{ctx.lang}",
        placeholder=choose_many(districts),
    )
    chosen_bands = middle.multiselect(
        ctx.tr("portfolio.filter.size"),
        bands,
        format_func=lambda b: ctx.tr(f"portfolio.size.{b}"),
        key="portfolio_bands",
        placeholder=choose_many(bands),
    )
    chosen_stages = right.multiselect(
        ctx.tr("portfolio.filter.stage"),
        STAGES,
        format_func=lambda s: stage_name(s, ctx.lang),
        key="portfolio_stages",
        placeholder=choose_many(STAGES),
    )
    kept = filtered(rows, chosen_districts, chosen_bands, chosen_stages, ctx.lang)
    words = [
        f"{ctx.tr(label)}: {', '.join(values)}"
        for label, values in (
            ("portfolio.filter.district", chosen_districts),
            ("portfolio.filter.size", [ctx.tr(f"portfolio.size.{b}") for b in chosen_bands]),
            ("portfolio.filter.stage", [stage_name(s, ctx.lang) for s in chosen_stages]),
        )
        if values
    ]
    return kept, "; ".join(words)


def table(ctx: PageContext, rows: Sequence[PortfolioRow], definitions: Definitions) -> None:
    """The sortable table (click a header); each row's link opens that locality's forum."""
    shown = frame(rows, definitions, ctx.lang)
    link = ctx.tr("portfolio.col.open")
    shown[link] = [f"forum?locality={r.locality_code}" for r in rows]
    config = date_columns(shown) | {
        link: st.column_config.LinkColumn(link, display_text=ctx.tr("portfolio.open_forum")),
        ctx.tr("portfolio.col.attendance"): st.column_config.NumberColumn(
            help=ctx.tr("portfolio.help.attendance"), format="%d%%"
        ),
    }
    data_table(shown, hide_index=True, column_config=config, key="portfolio_table")
    st.caption(ctx.tr("portfolio.table_note"))


def downloads(
    ctx: PageContext,
    rows: Sequence[PortfolioRow],
    definitions: Definitions,
    today: date,
    filters_text: str,
) -> None:
    """The table as Excel and as an A4-landscape PDF, both in the reader's language."""
    left, right = st.columns(2)
    left.download_button(
        ctx.tr("common.download_excel"),
        excel_file(frame(rows, definitions, ctx.lang), right_to_left=ctx.lang == "he"),
        f"portfolio-{today.isoformat()}.xlsx",
        XLSX,
        key="portfolio_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )
    kept, language = list(rows), ctx.lang
    right.download_button(
        ctx.tr("portfolio.download_pdf"),
        lambda: portfolio_pdf(kept, definitions, language, today, filters_text),
        f"portfolio-{today.isoformat()}.pdf",
        "application/pdf",
        key="portfolio_pdf",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
    )


def open_locality(ctx: PageContext, rows: Sequence[PortfolioRow]) -> None:
    """Links to the chosen locality's pages (the ones the reader's role reads)."""
    if not rows:
        return
    names = {r.locality_code: r.name(ctx.lang) for r in rows}
    code = pick(ctx.tr("portfolio.open_locality"), names, key=f"portfolio_open_{ctx.lang}")
    columns = st.columns(len(LOCALITY_PAGES))
    for column, (page, title, area) in zip(columns, LOCALITY_PAGES, strict=True):
        if ctx.actor.can_read(area, code):
            column.page_link(
                page,
                label=ctx.tr(title),
                icon=":material/open_in_new:",
                query_params={"locality": str(code)},
            )
