"""Download buttons for the data a page shows, as CSV and Excel, safe against formula injection."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.shell.context import lang, tr
from employdash.exports import to_csv_bytes, to_excel_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_buttons(frame: pd.DataFrame, file_stem: str, key: str) -> None:
    left, right = st.columns(2)
    left.download_button(
        tr("common.download_csv"),
        to_csv_bytes(frame),
        f"{file_stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
    )
    right.download_button(
        tr("common.download_excel"),
        to_excel_bytes(frame, right_to_left=lang() == "he"),
        f"{file_stem}.xlsx",
        XLSX,
        key=f"{key}_xlsx",
        icon=":material/download:",
    )
