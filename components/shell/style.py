"""The one global stylesheet and document set-up: direction, contrast, focus ring, skip link.

Streamlit has no RTL mode, so direction is set on the main area, sidebar, widgets and tables here
and nowhere else. `app.py` draws this before anything else, so the first element that reaches the
browser already carries the direction (no left-to-right flash while a page loads), and it keeps its
place on every rerun and page switch.

A small static script (catalogue strings only, no user text) does what CSS cannot: it sets the
document's `lang`, puts Streamlit's skip link (English only) into the user's language, names the
sidebar menu as a navigation landmark, marks the current page with `aria-current`, names the KPI
sparklines and the help buttons (Streamlit names them "Help for <label>" in English) and lets the
keyboard reach the sidebar panel when it scrolls. It watches the DOM so this stays true after
Streamlit redraws the sidebar.
"""

from __future__ import annotations

import json

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from employdash.i18n import t

# Streamlit 1.67 gives every element an explicit `text-align: left` (its `text_alignment`
# default), which beats the inherited right alignment: _RTL puts elements back to the right
# (headings and paragraphs sat on the left in Hebrew). The app sets no other alignment.
# Contrast (WCAG AA 1.4.3): .streamlit/config.toml darkens the text colour Streamlit derives its
# muted shades from; captions (drawn at 60% opacity, about 2.9:1) and metric labels get a solid
# shade of at least 4.5:1 on white and on the grey sidebar.
MUTED = "#50525c"
FOCUS = "#1f5fa8"

# Keyboard (WCAG 2.1.1): a sidebar taller than the window scrolls; while its links are still
# loading it holds only placeholders, nothing a keyboard could reach, so it does not scroll then
# (the page script makes the loaded panel itself focusable). In the served page too, because the
# placeholders show before this stylesheet arrives.
_LOADING_SIDEBAR = (
    '[data-testid="stSidebarContent"]:has([data-testid="stSkeleton"]) { overflow: hidden; }'
)
_COMMON = f"""
.stElementContainer:has(.ed-head), .stElementContainer:has(.ed-spark-name) {{ display: none; }}
[data-testid="stVegaLiteChart"], .vega-embed {{ direction: ltr; }}
[data-testid="stMetricDelta"] {{ unicode-bidi: isolate; }}
.stMain .block-container {{ padding-top: 2.2rem; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stMetricLabel"] p, small {{ color: {MUTED}; }}
[data-testid="stCaptionContainer"] {{ opacity: 1; }}
[class*="st-key-task_card_"] [data-testid="stMarkdownContainer"] p > span[style*="font-size"],
[class*="st-key-task_board_"] [data-testid="stMarkdownContainer"] p > span[style*="font-size"] {{
  color: {MUTED};
}}
{_LOADING_SIDEBAR}
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible,
summary:focus-visible, [role="tab"]:focus-visible, [role="combobox"]:focus-visible,
[role="option"]:focus-visible, [role="radio"]:focus-visible, [role="checkbox"]:focus-visible,
[tabindex]:focus-visible, [data-baseweb="select"] > div:focus-within,
[data-baseweb="input"]:focus-within, [data-baseweb="textarea"]:focus-within {{
  outline: 3px solid {FOCUS} !important; outline-offset: 2px !important;
}}
.st-key-nav h2 {{
  font-size: 0.8rem; font-weight: 700; color: {MUTED}; margin: 0.9rem 0 0.1rem 0; padding: 0;
  text-transform: none; letter-spacing: 0.02em;
}}
/* Tabs wider than the page (the forum's ten sections at 1400 px, any row on a phone) wrap onto
   more rows: Streamlit scrolls them sideways behind an arrow, the last sections out of sight. */
.stMain [role="tablist"] {{ flex-wrap: wrap; overflow-x: visible; }}
[data-testid="stSidebar"] [data-testid="stPageLink"] a,
[data-testid="stSidebar"] [data-testid="stPageLink"] a * {{
  white-space: normal; overflow: visible; text-overflow: clip; height: auto;
}}
[data-testid="stSidebar"] [data-testid="stPageLink"] a[aria-current="page"] {{
  background: #e3ecf7; font-weight: 700;
}}
@media print {{
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  .stDownloadButton, .stButton {{ display: none !important; }}
  .stMain .block-container {{ padding: 0 !important; max-width: 100% !important; }}
}}
"""

# A typed date ("07 / 12 / 2026") is numbers split by spaces: under RTL its parts would run
# backwards (2026 / 12 / 07), so date fields stay left to right, aligned right.
_RTL = """
.stMain, [data-testid="stSidebar"], [data-testid="stSidebarContent"], [role="dialog"],
[data-baseweb="popover"], [data-testid="stForm"], [data-testid="stExpander"] {
  direction: rtl; text-align: right;
}
.stMain input, .stMain textarea, [data-testid="stSidebar"] input {
  direction: rtl; text-align: right;
}
.stMain [data-testid="stDateInputField"], .stMain [data-testid="stTimeInputTimeDisplay"] {
  direction: ltr;
}
[data-testid="stMarkdownContainer"] ul, [data-testid="stMarkdownContainer"] ol {
  padding-right: 1.2em; padding-left: 0;
}
[data-testid="stMarkdownContainer"] li { text-align: right; }
.stMain .stElementContainer, [data-testid="stSidebar"] .stElementContainer,
[role="dialog"] .stElementContainer { text-align: right; }
[data-testid="stSidebar"] [data-testid="stPageLink"] a { direction: rtl; }
.stMain [data-testid="stProgress"] [role="progressbar"] { transform: scaleX(-1); }
"""

# What must hold before the first paint, served inside the HTML page (first_paint.py, serve.py)
# for a document whose language is Hebrew; the full stylesheet above follows with the page.
FIRST_PAINT_CSS = (
    """
html:lang(he) .stMain, html:lang(he) [data-testid="stSidebar"],
html:lang(he) [data-testid="stSidebarContent"] { direction: rtl; text-align: right; }
html:lang(he) .stMain .stElementContainer,
html:lang(he) [data-testid="stSidebar"] .stElementContainer { text-align: right; }
"""
    + _LOADING_SIDEBAR
)

_FONT = """
html, body, .stApp, .stMain, [data-testid="stSidebar"], button, input, textarea {
  font-family: "Noto Sans Hebrew", "Noto Sans", "DejaVu Sans", "Source Sans Pro", sans-serif;
}
"""

_SCRIPT = """
(() => {
  const ed = (window.__ed = window.__ed || {});
  Object.assign(ed, __SETTINGS__);
  const update = () => {
    const root = document.documentElement;
    if (root.lang !== ed.lang) root.lang = ed.lang;
    // The server reads this to put the direction into the next page it serves (first_paint.py).
    const cookie = `employdash_lang=${ed.lang}`;
    if (!document.cookie.split("; ").includes(cookie)) {
      document.cookie = `${cookie}; path=/; max-age=31536000; SameSite=Strict`;
    }
    // Streamlit's own skip link (to #stMain) speaks English only: give it the user's language.
    const skip = document.querySelector('[data-testid="stSkipToContent"]');
    if (skip && skip.textContent !== ed.skip) skip.textContent = ed.skip;
    const main = document.getElementById("stMain");
    if (main && main.getAttribute("aria-label") !== ed.main) {
      main.setAttribute("aria-label", ed.main);
    }
    const nav = document.querySelector(".st-key-nav");
    if (nav) {
      if (nav.getAttribute("role") !== "navigation") nav.setAttribute("role", "navigation");
      if (nav.getAttribute("aria-label") !== ed.nav) nav.setAttribute("aria-label", ed.nav);
    }
    document.querySelectorAll('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]')
      .forEach((a) => {
        const current = !!a.closest('[class*="st-key-nav_current"]');
        if (current && a.getAttribute("aria-current") !== "page") {
          a.setAttribute("aria-current", "page");
        } else if (!current && a.hasAttribute("aria-current")) {
          a.removeAttribute("aria-current");
        }
      });
    // A table wider or taller than its box scrolls: keyboard users must be able to focus it.
    document.querySelectorAll('.stMain [data-testid="stTable"]').forEach((table) => {
      [table, ...table.querySelectorAll("div")].forEach((box) => {
        const style = getComputedStyle(box);
        const scrolls = /(auto|scroll)/.test(style.overflowX + style.overflowY);
        if (scrolls && box.getAttribute("tabindex") !== "0") {
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", ed.table);
        }
      });
    });
    // The sidebar scrolls when its menu is taller than the window (the administrator's is), and
    // while its links load it holds only placeholders: the panel itself takes focus, so the
    // keyboard can always reach and scroll it.
    const panel = document.querySelector('[data-testid="stSidebarContent"]');
    if (panel && panel.getAttribute("aria-label") !== ed.sidebar) {
      panel.setAttribute("tabindex", "0");
      panel.setAttribute("role", "region");
      panel.setAttribute("aria-label", ed.sidebar);
    }
    // A help button is named in English ("Help for" and the label): name it in the user's language.
    document.querySelectorAll('[data-testid="stTooltipHoverTarget"] button[aria-label^="Help"]')
      .forEach((button) => {
        const label = button.getAttribute("aria-label");
        if (label !== "Help" && !label.startsWith("Help for ")) return;
        const field = label.slice(9);
        const name = field ? ed.helpFor.replace("{label}", field) : ed.help;
        if (label !== name) button.setAttribute("aria-label", name);
      });
    // An error (a refused form, a field's message) is an alert: read out when it appears.
    document.querySelectorAll('[data-testid="stAlertContentError"]').forEach((content) => {
      const box = content.closest('[data-testid="stAlert"]') || content;
      if (box.getAttribute("role") !== "alert") box.setAttribute("role", "alert");
    });
    document.querySelectorAll(".ed-spark-name").forEach((span) => {
      const holder = span.closest(".stElementContainer");
      const card = holder && holder.nextElementSibling;
      const svg = card && card.querySelector('[data-testid="stMetric"] svg.marks');
      if (!svg) return;
      if (svg.getAttribute("aria-label") !== span.textContent) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", span.textContent);
        svg.removeAttribute("aria-roledescription");
      }
      svg.querySelectorAll("[role]:not([aria-hidden])").forEach((el) => {
        el.setAttribute("aria-hidden", "true");
      });
    });
  };
  if (!ed.observer) {
    ed.observer = new MutationObserver(update);
    ed.observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener("popstate", update);
  }
  update();
})();
"""


def _document_setup(lang: str) -> str:
    settings = {
        "lang": lang,
        "skip": t("a11y.skip_to_content", lang),
        "nav": t("a11y.nav_label", lang),
        "main": t("a11y.main_label", lang),
        "table": t("a11y.table_label", lang),
        "sidebar": t("a11y.sidebar_label", lang),
        "help": t("a11y.help", lang),
        "helpFor": t("a11y.help_for", lang),
    }
    # json.dumps escapes quotes; "</" is escaped too so a string can never close the script tag.
    literal = json.dumps(settings, ensure_ascii=False).replace("</", "<\\/")
    return _SCRIPT.replace("__SETTINGS__", literal)


class Head:
    """Two slots at the very top of the page: the stylesheet and the document script.

    The stylesheet goes through Markdown, not `st.html`: Streamlit loads the code of its HTML
    element lazily, after widget labels (which need the Markdown code anyway) may already be on
    screen, so a stylesheet in `st.html` arrives a few frames after the first text and the page
    flashes left to right. The script needs `st.html`; what it sets can come a moment later.
    Drawing again into the same slots (another language) replaces, never stacks.
    """

    def __init__(self) -> None:
        self.css: DeltaGenerator = st.empty()
        self.script: DeltaGenerator = st.empty()

    def apply(self, lang: str) -> None:
        css = _COMMON + _FONT + (_RTL if lang == "he" else "")
        # A blank line would end Markdown's HTML block and cut the stylesheet short.
        css = "\n".join(line for line in css.splitlines() if line.strip())
        # Static CSS only (no user text): the one place Markdown is allowed to carry HTML.
        self.css.markdown(
            f'<div class="ed-head"></div><style>{css}</style>', unsafe_allow_html=True
        )
        self.script.html(
            f'<div class="ed-head" hidden></div><script>{_document_setup(lang)}</script>',
            unsafe_allow_javascript=True,
        )


def apply(lang: str) -> None:
    """Stylesheet and script for pages that draw them once (tests, a standalone page)."""
    Head().apply(lang)
