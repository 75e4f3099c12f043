"""Organisation mapping and the employer survey: summary, questionnaire, responses, import."""

import streamlit as st

from components.shell.context import current
from components.shell.feedback import guarded
from components.stakeholders import page, survey_entry, survey_import, survey_orgs, survey_summary
from employdash.access import Area

ctx = current()
code = page.top(ctx, "page.surveys", page.SURVEY_FLASH)
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
