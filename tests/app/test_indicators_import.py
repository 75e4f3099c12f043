"""The indicator import page as the office manager: in the menu, scoped to their localities,
without the admin's catalogue forms; the preview drawn in both languages, with localities and
measures by name and a refused line's reason. File uploaders cannot be driven by AppTest: the
preview is drawn from a plan the domain built (tests/e2e/test_indicator_import.py uploads)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.indicators.span import HANDED, Imported
from employdash.db import Database
from employdash.i18n import fmt_month
from employdash.indicators.imports import commit_import
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as, texts

PAGE = "pages/indicators_admin.py"
TODAY = date(2026, 11, 23)
MIXED = """locality_code,locality,period,indicator,value
1031,,2015-01,job_seekers,812
246,,2020-12,job_seekers,1310
,קרית שמונה,2020-01,job_seekers,640
1031,,2020-02,job_seekers.gender.men,-1
""".encode()


@pytest.mark.parametrize(
    ("lang", "scope", "history"),
    [
        ("he", "הייבוא הוא ליישובים שלך: נתיבות, שדרות", "ייבואים קודמים"),
        ("en", "You import for your localities: Netivot, Sederot", "Previous imports"),
    ],
)
def test_the_manager_opens_the_import_page_without_the_catalogue_forms(
    app_db: str, lang: str, scope: str, history: str
) -> None:
    at = app_as("manager", PAGE, lang=lang)
    assert not at.exception, at.exception
    shown = texts(at)
    assert scope in shown and history in shown
    keys = {w.key for w in at.text_input}
    assert "ind_import_source" in keys
    assert not {k for k in keys if k and k.startswith(("ind_local_", "ind_value_"))}


def test_the_manager_sees_the_imports_of_their_localities_only(app_db: str) -> None:
    db = Database(app_db)
    admin = demo_actor(db, "admin")
    foreign = b"locality_code,period,indicator,value\n5000,2020-01,job_seekers,9000\n"
    commit_import(db, admin, "tel-aviv.csv", foreign, "IES", TODAY)
    commit_import(db, admin, "sderot.csv", foreign.replace(b"5000", b"1031"), "IES", TODAY)
    db.dispose()
    at = app_as("manager", PAGE, lang="en")
    assert not at.exception, at.exception
    [frame] = [f.value for f in at.dataframe]
    assert frame["File"].tolist() == ["sderot.csv"]


def _draw_preview(url: str, lang: str) -> None:
    from datetime import date

    from components.indicators.imports import preview
    from employdash.db import Database
    from employdash.indicators.imports import preview_import
    from tests.app.accounts import demo_actor
    from tests.app.test_indicators_import import MIXED

    db = Database(url)
    manager = demo_actor(db, "manager")
    preview(preview_import(db, manager, "mixed.csv", MIXED, date(2026, 11, 23)), lang)


@pytest.mark.parametrize(
    ("lang", "months", "names", "refused", "suppressed"),
    [
        (
            "he",
            "חודשים: ",
            "מדדים: דורשי עבודה · דורשי עבודה – גברים",
            "היישוב קריית שמונה אינו מהיישובים שלך",
            "ערכים חסויים 1",
        ),
        (
            "en",
            "Months: ",
            "Measures: Job seekers · Job seekers, men",
            "locality Qiryat Shemona is outside your localities",
            "Suppressed values 1",
        ),
    ],
)
def test_the_preview_says_what_the_import_will_do(
    app_db: str, lang: str, months: str, names: str, refused: str, suppressed: str
) -> None:
    at = AppTest.from_function(_draw_preview, args=(app_db, lang), default_timeout=60).run()
    assert not at.exception, at.exception
    shown = texts(at)
    [covered] = [line for line in shown.splitlines() if line.startswith(months)]
    assert "2015" in covered and "2020" in covered and "(3 " in covered  # the range, not one
    assert names in shown and "job_seekers" not in shown
    assert suppressed in shown
    rejected: pd.DataFrame = next(f.value for f in at.dataframe)
    assert rejected.iloc[0].tolist()[:2] == [4, refused]
    assert "job_seekers" not in " ".join(str(v) for v in rejected.iloc[0].tolist())


HISTORY = "locality_code,period,indicator,value\n" + "\n".join(
    f"1031,{year}-{month:02d},job_seekers,{800 + month}"
    for year in range(2015, 2021)
    for month in range(1, 13)
)


def _import_history(url: str) -> None:
    db = Database(url)
    commit_import(db, demo_actor(db, "manager"), "history.csv", HISTORY.encode(), "IES", TODAY)
    db.dispose()


def test_after_an_import_the_explorer_opens_on_the_range_the_file_covered(app_db: str) -> None:
    _import_history(app_db)
    handed = Imported((1031,), ("job_seekers",), date(2015, 1, 1), date(2020, 12, 1))
    at = app_as("manager", "pages/explorer.py", lang="en", locality=246, state={HANDED: handed})
    assert not at.exception, at.exception
    assert at.multiselect(key="explorer_localities_en").value == [1031]
    assert at.selectbox(key="explorer_indicator_en").value == "job_seekers"
    assert at.selectbox(key="explorer_from_en").value == date(2015, 1, 1)
    assert at.selectbox(key="explorer_to_en").value == date(2020, 12, 1)
    [chart] = at.get("vega_lite_chart")
    assert chart  # the whole range drawn, not a single month


def test_the_explorer_offers_every_month_of_a_long_history(app_db: str) -> None:
    _import_history(app_db)
    at = app_as("manager", "pages/explorer.py", lang="en", locality=1031)
    assert not at.exception, at.exception
    offered = at.selectbox(key="explorer_from_en").options
    assert offered[0] == fmt_month(date(2015, 1, 1), "en")  # not only the last four years
    assert len(offered) > 48
