"""A4 PDF documents with real Hebrew: bundled DejaVu fonts and HarfBuzz text shaping.

fpdf2 lays out right-to-left text correctly only with text shaping on (uharfbuzz), which also
reorders mixed Hebrew/English/number runs. The fonts ship in `fonts/` so a server needs no system
fonts. Charts come in as PNG bytes (see `chart_png`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from employdash.limits import document_line

FONTS = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"


class Document(FPDF):
    """An A4 page in the reader's language and direction."""

    def __init__(self, lang: str, title: str, orientation: str = "P") -> None:
        """`orientation` "L" for a wide table (A4 landscape)."""
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.lang = lang
        self.rtl = lang == "he"
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_text_shaping(use_shaping_engine=True, direction="rtl" if self.rtl else "ltr")
        self.set_title(title)
        self.set_creator("employdash")
        self.set_auto_page_break(auto=True, margin=12)
        self.set_margins(12, 12, 12)
        self.add_page()
        self.set_font(FAMILY, "", 10)

    @property
    def align(self) -> str:
        return "R" if self.rtl else "L"

    def heading(self, text: str, size: int = 16) -> None:
        text = document_line(text)
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "", 10)
        self.ln(1)

    def paragraph(self, text: str, size: int = 10) -> None:
        """One paragraph, bounded (`employdash.limits.document_line`)."""
        text = document_line(text)
        self.set_font(FAMILY, "", size)
        self.multi_cell(0, size * 0.5, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bullets(self, items: list[str], size: int = 10) -> None:
        for item in items:
            self.paragraph(f"• {item}", size)

    def grid(
        self,
        header: list[str],
        rows: list[list[str]],
        widths: list[float] | None = None,
        size: int = 9,
    ) -> None:
        """A table of strings; in Hebrew the first column stands on the right."""
        self.set_font(FAMILY, "", size)
        order = list(reversed(range(len(header)))) if self.rtl else list(range(len(header)))
        widths = widths or [(self.epw) / len(header)] * len(header)
        with self.table(
            col_widths=[widths[i] for i in order],
            text_align=self.align,
            line_height=size * 11 / 18,  # 5.5 mm at 9 pt
            first_row_as_headings=True,
        ) as table:
            for row in [header, *rows]:
                cells = table.row()
                for i in order:
                    cells.cell(str(row[i]))

    def image_png(self, png: bytes, width: float | None = None) -> None:
        import io

        self.image(io.BytesIO(png), w=width or self.epw)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def chart_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """Render a Vega-Lite spec (e.g. `altair.Chart.to_dict()`) to PNG with a Hebrew-capable font."""
    import vl_convert as vlc

    vlc.register_font_directory(str(FONTS))
    return vlc.vegalite_to_png(spec, scale=scale)
