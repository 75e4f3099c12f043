"""The portfolio page in the real app (AppTest): the programme's table of every locality with
its filters, downloads, charts and notes, in Hebrew and English; the manager reads the notes on
the forum page."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sqlalchemy import func, select

from employdash.db import Database
from employdash.exports import to_excel_bytes
from employdash.i18n import local_today
from employdash.models import Locality
from employdash.portfolio.board import definitions, portfolio
from employdash.portfolio.table import frame
from employdash.users import load_actor
from tests.app.widgets import widgets
from tests.support.apptest import app_as, texts

PAGE = "pages/portfolio.py"


def _programme_localities(app_db: str) -> int:
    db = Database(app_db)
    with db.transaction() as s:
        count = s.scalar(select(func.count()).where(Locality.is_program.is_(True)))
    db.dispose()
    return int(count or 0)


def test_the_programme_lands_on_every_locality_in_hebrew(app_db: str) -> None:
    at = app_as("programme", lang="he")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "תיק היישובים של התוכנית" in shown
    table = at.dataframe[0].value
    assert len(table) == _programme_localities(app_db)
    assert "שדרות" in set(table["יישוב"])
    assert {"שלב", "נוכחות (3 אחרונות)", "משימות באיחור", "השמות"} <= set(table.columns)
    assert table["מעבר"].str.startswith("forum?locality=").all()
    assert "התקדמות בשלבים לאורך זמן" in shown and "מגמות נוכחות במליאה" in shown
    assert "יעדים בתלם לפי יישוב" in shown
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    shares = [s for s in specs if s.get("encoding", {}).get("x", {}).get("field") == "share"]
    assert [s["encoding"]["x"]["scale"]["domain"] for s in shares] == [[0, 1]]  # the whole
    labels = [b.label for b in widgets(at, "download_button")]
    assert labels[-1] == "הורדה כ-PDF" and len(labels) == 2


def test_the_filters_keep_the_chosen_stage_and_district(app_db: str) -> None:
    at = app_as("programme", PAGE, lang="en")
    before = at.dataframe[0].value
    at.multiselect(key="portfolio_stages").set_value([3]).run()
    assert not at.exception, at.exception
    kept = at.dataframe[0].value
    assert 0 < len(kept) < len(before)
    assert set(kept["Stage"]) == set(before.loc[before["Stage"] == kept["Stage"].iloc[0], "Stage"])
    district = kept["District"].iloc[0]
    at.multiselect(key="portfolio_districts_en").set_value([district]).run()
    assert set(at.dataframe[0].value["District"]) == {district}


def test_a_note_reaches_the_localitys_manager(app_db: str) -> None:
    at = app_as("programme", PAGE, lang="en")
    at.selectbox(key="portfolio_note_locality_en").set_value(1031)
    at.text_area[0].input("Support visit: the plenary met with 9 of 12")
    next(b for b in at.button if b.label == "Save the note").click().run()
    assert not at.exception, at.exception
    assert "Saved; the locality's manager will see it." in texts(at)
    assert "Support visit: the plenary met with 9 of 12" in texts(at)
    manager = app_as("manager", "pages/forum.py", lang="en", locality=1031)
    assert not manager.exception, manager.exception
    assert "Support visit: the plenary met with 9 of 12" in texts(manager)


def test_the_excel_is_the_table_on_the_page(app_db: str) -> None:
    """The workbook the Excel button gives has the page's columns and rows, right to left."""
    at = app_as("programme", PAGE, lang="he")
    table = at.dataframe[0].value.drop(columns=["מעבר"])
    db = Database(app_db)
    actor = load_actor(db, "programme")
    assert actor is not None
    built = frame(portfolio(db, actor, local_today()), definitions(db, actor), "he")
    db.dispose()
    sheet = load_workbook(io.BytesIO(to_excel_bytes(built, right_to_left=True))).active
    assert sheet is not None and sheet.sheet_view.rightToLeft
    assert [c.value for c in sheet[1]] == list(table.columns)
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == list(table["יישוב"])
