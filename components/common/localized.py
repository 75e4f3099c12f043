"""The words Streamlit would otherwise show in English on a picker, and the day-first date format.

A selectbox or multiselect given no `placeholder` shows Streamlit's own "Choose an option",
"Choose options" or "No options to select" on a Hebrew screen; every picker passes one of these
instead. A date input without `format` is typed year first; Israelis write the day first. A test
(tests/app/test_localized_widgets.py) finds any widget call that leaves either out.
"""

from __future__ import annotations

from collections.abc import Sized

from components.shell.context import tr

DATE_FORMAT = "DD/MM/YYYY"


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
