"""The admin's local-indicator forms on the indicator admin page: add an indicator to the
catalogue, then enter a value of it (issue 11 item 12)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from employdash.db import Database
from employdash.indicators import local
from employdash.models.indicators import IndicatorDefinition
from employdash.users import load_actor
from tests.support.apptest import app_as, texts

PAGE = "pages/indicators_admin.py"


def _button(at: AppTest, label: str) -> Button:
    return next(b for b in at.button if b.label == label)


def test_admin_adds_a_local_indicator_then_enters_its_value(app_db: str) -> None:
    at = app_as("admin", PAGE, lang="en", locality=1031)
    assert not at.exception, at.exception
    at.text_input(key="ind_local_code").input("job_diversity")
    at.text_input(key="ind_local_name_he").input("מגוון המשרות המוצעות")
    at.text_input(key="ind_local_name_en").input("Diversity of jobs offered")
    at.selectbox(key="ind_local_parent_en").set_value("open_positions")
    _button(at, "Add the indicator").click().run()
    assert not at.exception, at.exception
    assert "Indicator local.job_diversity added to the catalogue." in texts(at)
    db = Database(app_db)
    with db.transaction() as s:
        row = s.get(IndicatorDefinition, "local.job_diversity")
        assert (row.name_he, row.parent_code, row.higher_is_better) == (
            "מגוון המשרות המוצעות",
            "open_positions",
            True,
        )
    # the new indicator is offered in the value form (the last in the catalogue)
    assert at.selectbox(key="ind_value_indicator_en").value == "local.job_diversity"
    at.selectbox(key="ind_value_locality_en").set_value(1031)
    at.text_input(key="ind_value_raw").input("17")
    _button(at, "Save the value").click().run()
    assert not at.exception, at.exception
    today = date.today()
    stored = local.stored_value(
        db, load_actor(db, "admin"), 1031, "local.job_diversity", date(today.year, today.month, 1)
    )
    assert stored == local.StoredValue(17.0, "ok")
    assert "Stored value: 17 · " in texts(at)


def test_a_bad_definition_is_refused_with_a_message(app_db: str) -> None:
    at = app_as("admin", PAGE, lang="he", locality=1031)
    at.text_input(key="ind_local_code").input("Not a code")
    _button(at, "הוספת המדד").click().run()
    assert not at.exception, at.exception
    db = Database(app_db)
    with db.transaction() as s:
        assert (
            s.scalars(
                select(IndicatorDefinition.code).where(IndicatorDefinition.code.like("local.%"))
            ).all()
            == []
        )
    assert at.error  # the validation message, in Hebrew
