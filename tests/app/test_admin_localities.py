"""The localities page: an admin finds a locality of the CBS catalogue and enables it, and the Users
page then offers it; a locality people work in is not disabled; on an empty install the admin's
first screen leads to this page."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.apptest import app_as, production_install, reset_caches, texts

PAGE = "pages/admin_localities.py"
ELAT = 2600


def test_admin_enables_a_locality_found_by_name_and_users_are_offered_it(app_db: str) -> None:
    at = app_as("admin", page=PAGE, lang="en")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Localities this installation serves" in shown and "Enabled localities (14)" in shown
    served = at.dataframe[0].value
    assert list(served.columns) == [
        "Locality",
        "CBS code",
        "District",
        "Sub-district",
        "Population",
        "Similar-size peer group",
    ]
    sederot = served[served["CBS code"] == "1031"].iloc[0]
    assert sederot["District"] == "Southern" and sederot["Sub-district"] == "אשקלון"
    assert re.fullmatch(r"[\d,]+ to [\d,]+ residents \(\d+ localities\)", sederot.iloc[-1])
    assert (
        "Elat"
        not in app_as("admin", page="pages/admin_users.py", lang="en")
        .multiselect(key="new_account_0_scope_en")
        .options
    )
    at = app_as("admin", page=PAGE, lang="en")

    at.text_input(key="localities_search").input("Elat").run()
    found = at.dataframe[1].value
    assert found.iloc[0]["CBS code"] == str(ELAT) and found.iloc[0]["Status"] == "Not enabled"
    assert at.selectbox(key="localities_enable_pick_en").value == ELAT
    at.button(key="localities_enable").click().run()
    assert not at.exception, at.exception
    assert "Elat is enabled." in texts(at)

    at = app_as("admin", page="pages/admin_users.py", lang="en")
    assert not at.exception, at.exception
    assert "Elat" in at.multiselect(key="new_account_0_scope_en").options
    at = app_as("admin", page="pages/audit.py", lang="en")
    shown = " ".join(at.dataframe[0].value.astype(str).to_numpy().ravel())
    assert "enable locality" in shown and "enabled: No → Yes" in shown  # in words


def test_the_page_in_hebrew_and_a_refused_disable(app_db: str) -> None:
    at = app_as("admin", page=PAGE, lang="he")
    assert not at.exception, at.exception
    assert "היישובים שהמערכת משרתת" in texts(at)
    assert at.selectbox(key="localities_disable_pick_he").value is not None
    at.selectbox(key="localities_disable_pick_he").set_value(1031).run()
    at.button(key="localities_disable").click().run()
    assert not at.exception, at.exception
    refusal = " ".join(e.value for e in at.error)
    assert "לא ניתן להשבית יישוב שעובדים בו" in refusal
    assert "(14)" in texts(at)  # still served


@pytest.fixture
def empty_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    production_install(tmp_path, monkeypatch, "boss", "Strong-pass-2026")
    yield
    reset_caches()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "No locality is enabled yet, so there is nothing to show."),
        ("he", "עדיין לא הופעל אף יישוב, ולכן אין מה להציג."),
    ],
)
def test_the_admins_first_screen_leads_to_the_localities_page(
    empty_install: None, lang: str, message: str
) -> None:
    at = app_as("boss", lang=lang)
    assert not at.exception, at.exception
    notices = [i.value for i in at.info]
    assert sum(message in n for n in notices) == 2, notices  # the sidebar and the page
    assert "No localities are assigned" not in texts(at)
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert not any(message in i.value for i in at.main.info)  # not on the page it leads to


def test_production_start_on_an_empty_database_says_to_run_migrate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside demo mode the app never migrates by itself: on a database nobody migrated it says
    what to run, in the user's language, and draws no login form."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'never-migrated.db'}")
    monkeypatch.setenv("DEMO_MODE", "false")
    monkeypatch.setenv("COOKIE_KEY", secrets.token_urlsafe(32))
    reset_caches()
    try:
        for lang, message in (
            ("en", "The database is behind this version of the app. Run make migrate."),
            ("he", "מסד הנתונים אינו מעודכן לגרסה זו של המערכת. יש להריץ make migrate."),
        ):
            at = app_as(None, lang=lang)
            assert not at.exception, at.exception
            assert message in [e.value for e in at.error]
            assert len(at.text_input) == 0
    finally:
        reset_caches()
