"""User text shown literally: the one escaping helper for every Streamlit call that reads
Markdown (st.markdown, st.caption, st.toast, st.info, st.success, st.warning, st.error, st.write,
st.subheader, st.title, st.header).

Names, titles and notes people typed must never become links, images, HTML or formatting, so
every value interpolated into such a call goes through `plain`, and so does every widget label,
help text, tab name and Markdown option built from data (a test scans components/ and pages/
for interpolation without it).
"""

from __future__ import annotations

import re

# Markdown's specials, the HTML angle brackets and '$' (Streamlit's LaTeX); a dot is escaped
# inside a word (1.5, a domain) and at the start (an ordered list), a sentence's final dot stays;
# an underscore between two letters or digits cannot start emphasis (COOKIE_KEY stays as it is).
_SPECIALS = re.compile(r"([\\`*{}\[\]()#+\-!|<>~$]|\.(?=\S)|(?<![^\W_])_|_(?![^\W_]))")
_ORDERED_LIST = re.compile(r"^(\d+)\.")
# Streamlit turns bare URLs, www. addresses and e-mail addresses into links after escapes are
# resolved (GFM autolink literals), so backslashes cannot stop them; an invisible WORD JOINER
# inside "://", "www." and before "@" does (checked in Chromium: tests/e2e/test_user_text.py);
# one after ':' before a letter also stops the :red[...] and :material/icon: directives.
_AUTOLINK = re.compile(r"(?i)(?=://)|(?<=www)(?=\\?\.)|(?=@)|(?<=:)(?=[a-z])")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """`text` (any value, shown as `str(value)`) escaped so Markdown shows it as typed; line
    breaks become spaces so a value cannot open a new block (a heading, a list, a table)."""
    if text is None:
        return ""
    flat = re.sub(r"[\r\n\u2028\u2029]+", " ", str(text))
    escaped = _ORDERED_LIST.sub(r"\1\\.", _SPECIALS.sub(r"\\\1", flat))
    return _AUTOLINK.sub(WORD_JOINER, escaped)
