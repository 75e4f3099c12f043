"""No Streamlit English on a Hebrew screen where the API lets us say it, and dates day first.

A scan of every widget call in the app's source (the pages, the components and the entry file):
a selectbox or multiselect without `placeholder=` shows Streamlit's "Choose an option" / "No
options to select"; a date input or date column without `format=` is typed year first. Dates shown
as text go through `employdash.i18n.fmt_date`, never a hand-written `strftime` with a day in it.
"""

from __future__ import annotations

import ast
import re
from datetime import date, datetime
from pathlib import Path

from components.common.localized import DATE_FORMAT
from components.shell.style import _document_setup
from employdash.i18n import fmt_date, t

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [ROOT / "app.py", *(ROOT / "components").rglob("*.py"), *(ROOT / "pages").rglob("*.py")]
)
NEEDS = {
    "selectbox": "placeholder",
    "multiselect": "placeholder",
    "date_input": "format",
    "DateColumn": "format",
}
# An HTTP cookie's expiry is written in the format HTTP requires, not shown to anyone.
HTTP_DATES = {ROOT / "components" / "shell" / "auth.py"}


def _calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def test_every_picker_and_date_widget_sets_its_words() -> None:
    missing = [
        f"{path.relative_to(ROOT)}:{call.lineno} {_name(call)} without {NEEDS[_name(call)]}="
        for path in SOURCES
        for call in _calls(path)
        if _name(call) in NEEDS and NEEDS[_name(call)] not in {k.arg for k in call.keywords}
    ]
    assert not missing, "\n".join(missing)


def test_the_scan_sees_the_widgets() -> None:
    """A scan that found no widget would pass anything: the app has well over fifty."""
    found = [c for p in SOURCES for c in _calls(p) if _name(c) in NEEDS]
    assert len(found) > 50


def test_date_formats_are_one_and_day_first() -> None:
    """The inputs' format and the shown dates agree: 7 December 2026 reads 07/12/2026."""

    assert DATE_FORMAT == "DD/MM/YYYY"
    for lang in ("he", "en"):
        assert fmt_date(date(2026, 12, 7), lang) == "07/12/2026"


def test_no_date_is_formatted_by_hand() -> None:
    by_hand = [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for path in SOURCES
        if path not in HTTP_DATES
        for call in _calls(path)
        if _name(call) == "strftime"
        and any(
            isinstance(a, ast.Constant) and re.search(r"%[dxc]", str(a.value)) for a in call.args
        )
    ]
    assert not by_hand, "dates shown outside fmt_date:\n" + "\n".join(by_hand)


def test_placeholders_are_in_the_catalogue_in_hebrew() -> None:
    for key in ("common.choose", "common.choose_many", "common.no_options"):
        assert t(key, "he") != key
        assert not re.search(r"[A-Za-z]", t(key, "he"))


def test_the_page_script_survives_streamlits_html_sanitizer() -> None:
    """Streamlit passes `st.html` through DOMPurify, which drops a script whose text holds "<"
    before a letter, "/" or "!" (a comment naming a tag was enough): the script that names the
    help buttons and the sidebar panel in the user's language would silently never run."""
    for lang in ("he", "en"):
        assert not re.search(r"<[/\w!]", _document_setup(lang))
        assert t("a11y.help_for", lang, label="X").endswith("X")


def test_tables_show_their_dates_day_first() -> None:
    """A table keeps real dates (it sorts by them) and shows them as the date inputs take them."""
    import pandas as pd

    from components.common.localized import date_columns

    frame = pd.DataFrame(
        {
            "due": [None, date(2026, 12, 7)],
            "at": [datetime(2026, 12, 7, 14, 5), None],
            "title": ["a", "b"],
        }
    )
    config = date_columns(frame)
    assert set(config) == {"due", "at"}
    assert config["due"]["type_config"]["format"] == "DD/MM/YYYY"
    assert config["at"]["type_config"]["format"] == "DD/MM/YYYY HH:mm"
