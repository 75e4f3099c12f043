"""The words Streamlit would otherwise show in English on a picker, and the day-first date format.

A selectbox or multiselect given no `placeholder` shows Streamlit's own "Choose an option",
"Choose options" or "No options to select" on a Hebrew screen; every picker passes one of these
instead. A date input without `format` is typed year first; Israelis write the day first. A test
(tests/app/test_localized_widgets.py) finds any widget call that leaves either out.
"""

from __future__ import annotations

from collections.abc import Sized
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from components.shell.context import lang, tr
from employdash.i18n import fmt_date

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:mm"


def choose(options: Sized | None = None) -> str:
    """A selectbox's placeholder: "no options" when `options` is known to be empty."""
    if options is not None and len(options) == 0:
        return tr("common.no_options")
    return tr("common.choose")


def choose_many(options: Sized | None = None) -> str:
    """A multiselect's placeholder: "no options" when `options` is known to be empty."""
    if options is not None and len(options) == 0:
        return tr("common.no_options")
    return tr("common.choose_many")


def dated(key: str, when: date | datetime, **params: object) -> str:
    """The catalogue's `key` with `when` as a day-first date: the line under a note, a document
    or a deleted record saying who did it and when (the names in `params` are what people
    typed: the caller shows it through `plain`)."""
    return tr(key, when=fmt_date(when, lang()), **params)


def date_columns(frame: pd.DataFrame) -> dict[str, Any]:
    """`column_config` for a table's date columns, shown day first like every other date (a
    table keeps real dates, so it still sorts by them; Streamlit would show them year first)."""
    config: dict[str, Any] = {}
    for name in frame.columns:
        values = frame[name].dropna()
        first = values.iloc[0] if len(values) else None
        if isinstance(first, datetime):
            config[name] = st.column_config.DatetimeColumn(format=DATETIME_FORMAT)
        elif isinstance(first, date):
            config[name] = st.column_config.DateColumn(format=DATE_FORMAT)
    return config
