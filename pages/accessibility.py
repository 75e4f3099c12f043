"""The accessibility statement IS 5568 asks a public body to publish: standard, limits, contact.

Reachable from every page's sidebar and from the login page, so it reads the language from the
session rather than the logged-in page context.
"""

from datetime import date

import streamlit as st

from components.common.text import plain
from components.shell.context import lang, tr
from employdash.config import get_config
from employdash.i18n import fmt_date

# The day the statement was last reviewed against the app (update it with the statement).
REVIEWED = date(2026, 11, 29)

st.header(tr("page.accessibility"))
st.write(tr("a11y.statement.intro"))

st.subheader(tr("a11y.statement.standard_title"))
st.write(tr("a11y.statement.standard"))

st.subheader(tr("a11y.statement.done_title"))
st.markdown("\n".join(f"- {tr(f'a11y.statement.done.{i}')}" for i in range(1, 7)))

st.subheader(tr("a11y.statement.limits_title"))
st.markdown("\n".join(f"- {tr(f'a11y.statement.limits.{i}')}" for i in range(1, 4)))

st.subheader(tr("a11y.statement.contact_title"))
# The operator's setting is shown as written (never as Markdown); unset, the catalogue's default.
contact = get_config().ACCESSIBILITY_CONTACT.strip()
st.markdown(
    plain(tr("a11y.statement.contact", contact=contact or tr("a11y.statement.contact_default")))
)
st.caption(tr("a11y.statement.updated", date=fmt_date(REVIEWED, lang())))
