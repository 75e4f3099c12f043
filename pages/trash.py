"""The trash: deleted meetings and tasks, restorable by a manager for 90 days."""

import streamlit as st

from components.forum import trash as trash_view
from components.shell.context import current
from components.shell.feedback import guarded

ctx = current()
st.header(ctx.tr("page.trash"))
if ctx.locality is None:
    st.info(ctx.tr("record.trash.pick_locality"))
    st.stop()

with guarded():
    trash_view.page(ctx)
