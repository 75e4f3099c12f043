"""User text shown literally: the one escaping helper for every Streamlit call that reads
Markdown (st.markdown, st.caption, st.toast, st.info, st.success, st.warning, st.error, st.write,
st.subheader, st.title, st.header).

Names, titles and notes people typed must never become links, images, HTML or formatting, so
every value interpolated into such a call goes through `plain` (a test scans components/ and
pages/ for interpolation without it).
"""

from __future__ import annotations

import re

# Markdown's specials, the HTML angle brackets and '$' (Streamlit's LaTeX). Escaping '[' and the
# dots inside a word also stops Streamlit's :color[...] directives and bare-URL autolinks (a
# link's domain needs a dot); a sentence's final dot stays as it is.
_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-!|<>~$]|\.(?=\S))")
_ORDERED_LIST = re.compile(r"^(\d+)\.")


def plain(text: object) -> str:
    """`text` (any value, shown as `str(value)`) escaped so Markdown shows it as typed; line
    breaks become spaces so a value cannot open a new block (a heading, a list, a table)."""
    if text is None:
        return ""
    flat = re.sub(r"[\r\n\u2028\u2029]+", " ", str(text))
    return _ORDERED_LIST.sub(r"\1\\.", _SPECIALS.sub(r"\\\1", flat))
