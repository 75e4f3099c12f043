"""Download buttons for the data a page shows, as CSV and Excel, safe against formula injection.

The files are built when someone asks for them (Streamlit calls the button's callable on the
download request), not on every run that draws the buttons: an Excel workbook cost a page run
0.05-0.1 s of CPU per table (openpyxl), most of it for files nobody downloads.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.shell.context import lang, tr
from employdash.exports import to_csv_bytes, to_excel_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_file(frame: pd.DataFrame) -> Callable[[], bytes]:
    """The CSV of `frame`, built when called (the frame is copied now: a page may change its own
    frame after drawing the button)."""
    kept = frame.copy()
    return lambda: to_csv_bytes(kept)


def excel_file(frame: pd.DataFrame, right_to_left: bool) -> Callable[[], bytes]:
    """The Excel workbook of `frame`, built when called (no session state is read then: the
    callable runs on the download request, outside the script run)."""
    kept = frame.copy()
    return lambda: to_excel_bytes(kept, right_to_left=right_to_left)


def download_buttons(frame: pd.DataFrame, file_stem: str, key: str) -> None:
    left, right = st.columns(2)
    left.download_button(
        tr("common.download_csv"),
        csv_file(frame),
        f"{file_stem}.csv",
        "text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        tr("common.download_excel"),
        excel_file(frame, right_to_left=lang() == "he"),
        f"{file_stem}.xlsx",
        XLSX,
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )
