"""Organisation mapping and the employer survey: summary, questionnaire, responses, import."""

import streamlit as st

from components.common.text import plain
from components.shell.context import current
from components.shell.feedback import guarded
from components.stakeholders import survey_entry, survey_import, survey_orgs, survey_summary
from employdash.access import Area

ctx = current()
st.header(ctx.tr("page.surveys"))
if ctx.locality is None:
    st.info(ctx.tr("empty.no_data"))
    st.stop()
code = ctx.locality_code
flash = st.session_state.pop("survey_flash", None)
if flash:
    st.success(plain(flash))
can_edit = ctx.actor.can_write(Area.STAKEHOLDERS, code)
labels = [
    ctx.tr("survey.tab.summary"),
    ctx.tr("survey.tab.organisations"),
    ctx.tr("survey.tab.responses"),
]
if can_edit:
    labels.append(ctx.tr("survey.tab.import"))
tabs = st.tabs(labels)
with tabs[0], guarded():
    survey_summary.section(ctx)
with tabs[1], guarded():
    survey_orgs.section(ctx, code, can_edit)
with tabs[2], guarded():
    survey_entry.section(ctx, code, can_edit)
if can_edit:
    with tabs[3], guarded():
        survey_import.section(ctx, code)
