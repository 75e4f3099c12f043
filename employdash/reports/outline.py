"""Documents that are a title and headed sections of lines (the minutes, the year summary), as
PDF through `pdf.Document` and as Word through python-docx, right to left in Hebrew in both."""

from __future__ import annotations

import io
from typing import Any

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
Sections = list[tuple[str, list[str]]]


def pdf(title: str, parts: Sections, lang: str) -> bytes:
    from employdash.reports.pdf import Document  # fpdf: loaded when a document is made

    doc = Document(lang, title)
    doc.heading(title, 15)
    for heading, lines in parts:
        doc.heading(heading, 12)
        doc.bullets(lines)
        doc.ln(2)
    return doc.to_bytes()


def _rtl(paragraph: Any) -> None:  # python-docx ships no types: a docx Paragraph
    """Mark a Word paragraph and its runs right to left (bidi), aligned right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    bidi = OxmlElement("w:bidi")
    bidi.set(qn("w:val"), "1")
    ppr.append(bidi)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for run in paragraph.runs:
        rpr = run._r.get_or_add_rPr()
        rtl = OxmlElement("w:rtl")
        rtl.set(qn("w:val"), "1")
        rpr.append(rtl)


def docx(title: str, parts: Sections, lang: str) -> bytes:
    from docx import Document as WordDocument  # python-docx: loaded when a document is made

    doc = WordDocument()
    doc.core_properties.title = title
    paragraphs = [doc.add_heading(title, level=1)]
    for heading, lines in parts:
        paragraphs.append(doc.add_heading(heading, level=2))
        paragraphs.extend(doc.add_paragraph(line, style="List Bullet") for line in lines)
    if lang == "he":
        for p in paragraphs:
            _rtl(p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
