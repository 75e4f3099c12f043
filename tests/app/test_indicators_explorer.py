"""The indicator explorer and the import page in the real app (AppTest), per role and scope."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from employdash.db import Database
from employdash.indicators import values as indicators
from employdash.indicators.imports import commit_import
from tests.app.accounts import demo_actor
from tests.app.widgets import widgets
from tests.support.apptest import app_as, texts

PAGE = "pages/explorer.py"
FILES = Path(__file__).parents[1] / "indicators" / "files"


def frames(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def show(at: AppTest, view: str, lang: str = "en") -> AppTest:
    at.segmented_control(key=f"explorer_view_{lang}").set_value(view).run()
    assert not at.exception, at.exception
    return at


def test_manager_explores_both_localities(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en")
    assert not at.exception, at.exception
    chooser = at.multiselect(key="explorer_localities_en")
    assert set(chooser.options) == {"Sederot", "Netivot"}
    assert chooser.value == [1031] or chooser.value == [246]
    chooser.set_value([1031, 246]).run()
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 1  # the trend, the first view
    table = frames(show(at, "data"))[-1]
    assert set(table["Locality"]) == {"Sederot", "Netivot"}
    assert len(table) == 2 * 24  # two localities × the default 24 months
    ranks = texts(show(at, "rank"))
    assert "in the district" in ranks and "among similar-sized localities" in ranks
    show(at, "data")
    assert [b.label for b in widgets(at, "download_button")] == ["Download CSV", "Download Excel"]


def test_values_shown_are_the_stored_ones(app_db: str) -> None:
    at = app_as("mayor", PAGE, lang="en")
    at.selectbox(key="explorer_indicator_en").set_value("avg_wage").run()
    table = frames(show(at, "data"))[-1].set_index("Month")
    db = Database(app_db)
    with db.transaction() as s:
        latest = indicators.latest_value(s, 1031, "avg_wage")
    assert latest is not None
    period, value = latest
    db.dispose()
    assert table.loc[f"{period:%Y-%m}", "Value"] == value
    assert set(at.multiselect(key="explorer_localities_en").options) == {"Sederot"}


def test_breakdowns_hide_small_cells_in_hebrew(app_db: str) -> None:
    at = app_as("admin", PAGE, lang="he", locality=7500)  # Sakhnin: few Jewish job seekers
    assert not at.exception, at.exception
    shown = texts(show(at, "breakdown", "he"))
    assert "מוסתר" in shown and "תאים קטנים מ-5 מוסתרים" in shown


def test_every_view_draws_for_the_mayor(app_db: str) -> None:
    at = app_as("mayor", PAGE, lang="he")
    for view in ("trend", "change", "rank", "map", "targets", "breakdown", "data"):
        show(at, view, "he")


def test_admin_import_page_lists_batches(app_db: str) -> None:
    db = Database(app_db)
    commit_import(
        db,
        demo_actor(db, "admin"),
        "long_codes.csv",
        (FILES / "long_codes.csv").read_bytes(),
        "IES",
        date(2026, 11, 23),
    )
    db.dispose()
    at = app_as("admin", "pages/indicators_admin.py", lang="en")
    assert not at.exception, at.exception
    assert "Previous imports" in texts(at)
    assert frames(at)[0]["File"].tolist() == ["long_codes.csv"]


def test_pickers_follow_the_form_rules_in_both_languages(app_db: str) -> None:
    """Visible labels, the required one marked; no locality is an error under the field and a
    summary above the pickers, in the user's language, as on every other form."""
    for lang, label, summary, message in (
        ("en", "Localities", "Nothing to show: one field needs fixing", "Choose at least one"),
        ("he", "יישובים", "אין מה להציג: יש לתקן שדה אחד", "בחרו לפחות יישוב אחד"),
    ):
        at = app_as("manager", PAGE, lang=lang)
        chooser = at.multiselect(key=f"explorer_localities_{lang}")
        assert chooser.label == f"{label} *"
        assert at.segmented_control(key=f"explorer_view_{lang}").label  # visible, not collapsed
        assert not at.error
        chooser.set_value([]).run()
        assert not at.exception, at.exception
        errors = [str(e.value) for e in at.error]
        assert len(errors) == 2
        assert summary in errors[0] and message in errors[0]
        assert errors[1].startswith(label) and message in errors[1]
        assert not at.get("vega_lite_chart")
