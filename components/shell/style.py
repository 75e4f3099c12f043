"""The one global stylesheet: right to left for Hebrew, charts kept left to right inside.

Streamlit has no RTL mode, so direction is set on the main area, sidebar, widgets and tables here
and nowhere else. Only static CSS goes through `st.html`; no user text ever does.
"""

from __future__ import annotations

import streamlit as st

_COMMON = """
[data-testid="stVegaLiteChart"], .vega-embed { direction: ltr; }
[data-testid="stMetricDelta"] { unicode-bidi: isolate; }
.stMain .block-container { padding-top: 2.2rem; }
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  .stDownloadButton, .stButton { display: none !important; }
  .stMain .block-container { padding: 0 !important; max-width: 100% !important; }
}
"""

_RTL = """
.stMain, [data-testid="stSidebar"], [data-testid="stSidebarContent"], [role="dialog"],
[data-baseweb="popover"], [data-testid="stForm"], [data-testid="stExpander"] {
  direction: rtl; text-align: right;
}
.stMain input, .stMain textarea, [data-testid="stSidebar"] input {
  direction: rtl; text-align: right;
}
[data-testid="stMarkdownContainer"] ul, [data-testid="stMarkdownContainer"] ol {
  padding-right: 1.2em; padding-left: 0;
}
[data-testid="stSidebarNav"] a { direction: rtl; }
.stMain [data-testid="stProgress"] [role="progressbar"] { transform: scaleX(-1); }
"""

_FONT = """
html, body, .stApp, .stMain, [data-testid="stSidebar"], button, input, textarea {
  font-family: "Noto Sans Hebrew", "Noto Sans", "DejaVu Sans", "Source Sans Pro", sans-serif;
}
"""


def apply(lang: str) -> None:
    css = _COMMON + _FONT + (_RTL if lang == "he" else "")
    st.html(f"<style>{css}</style>")
