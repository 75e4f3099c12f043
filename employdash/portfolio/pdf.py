"""The portfolio table as an A4-landscape PDF, in Hebrew (right to left) or English, with the
filters it was made with and the day it was made."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date

from employdash.i18n import fmt_date, t
from employdash.portfolio.board import PortfolioRow
from employdash.portfolio.table import Definitions, headers, text_rows

LOG = logging.getLogger(__name__)
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f"))
# Millimetres per column (277 mm across A4 landscape inside the margins).
WIDTHS = [20, 14, 19, 20, 12, 17, 17, 17, 15, 14, 12, 12, 12, 17, 16, 20, 20, 20, 20]


def portfolio_pdf(
    rows: Sequence[PortfolioRow],
    definitions: Definitions,
    lang: str,
    generated: date,
    filters: str = "",
) -> bytes:
    """The PDF the download button gives. It is made on the download request, where nobody
    would see an exception: on a failure it is a page saying so, the trace in the server's log."""
    from employdash.reports.pdf import Document

    title = t("portfolio.title", lang)
    try:
        doc = Document(lang, title, orientation="L")
        doc.heading(title, 15)
        doc.paragraph(
            t("portfolio.pdf.caption", lang, count=len(rows), date=fmt_date(generated, lang)), 8
        )
        if filters:
            doc.paragraph(filters, 8)
        doc.ln(1)
        cells = [
            [c.translate(BIDI_CONTROLS) for c in row] for row in text_rows(rows, definitions, lang)
        ]
        header = headers(definitions, lang)
        doc.grid(header, cells, widths=[w * doc.epw / sum(WIDTHS) for w in WIDTHS], size=6)
        doc.ln(1)
        doc.paragraph(t("portfolio.pdf.legend", lang), 7)
        return doc.to_bytes()
    except Exception:
        LOG.exception("portfolio PDF not made")
        doc = Document(lang, title, orientation="L")
        doc.paragraph(t("portfolio.pdf.failed", lang))
        return doc.to_bytes()
