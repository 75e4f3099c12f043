"""Every data table the app shows, with one rule for missing values.

Streamlit shows a missing value as the word "None": English inside a Hebrew table, and it reads
as data (a team called "None"). An empty cell says that nothing is there, in either language.
"—" is not used: the mentoring tables already use it for counts hidden for privacy.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

MISSING = ""


def data_table(data: Any, **options: Any) -> Any:
    """`st.dataframe` with missing values shown as empty cells."""
    return st.dataframe(data, placeholder=MISSING, **options)
