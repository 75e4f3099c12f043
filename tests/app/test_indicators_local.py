"""The admin's local-indicator forms on the indicator admin page: add an indicator to the
catalogue, then enter a value of it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from employdash.db import Database
from employdash.indicators import local
from employdash.models.indicators import IndicatorDefinition
from tests.app.accounts import demo_actor
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
        row = s.get_one(IndicatorDefinition, "local.job_diversity")
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
        db, demo_actor(db, "admin"), 1031, "local.job_diversity", date(today.year, today.month, 1)
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


def _refused(at: AppTest, summary: str, *items: str) -> None:
    """The summary on top names every item, and each item also stands under its field."""
    from tests.support.apptest import rendered

    assert not at.exception, at.exception
    errors = [rendered(str(e.value)) for e in at.error]
    assert any(summary in e for e in errors), errors
    for item in items:
        assert sum(item in e for e in errors) >= 2, (item, errors)


def test_refused_indicator_forms_explain_and_keep_what_was_typed(app_db: str) -> None:
    at = app_as("admin", PAGE, lang="en", locality=1031)
    at.text_input(key="ind_local_code").input("job_diversity")
    at.text_input(key="ind_local_name_en").input("Diversity of jobs offered")
    _button(at, "Add the indicator").click().run()  # no Hebrew name
    _refused(at, "one field needs fixing", "Hebrew name: Required")
    assert at.text_input(key="ind_local_code").value == "job_diversity"
    assert at.text_input(key="ind_local_name_en").value == "Diversity of jobs offered"
    assert any("Fields marked * are required" in c.value for c in at.caption)

    at.text_input(key="ind_value_raw").input("many")
    _button(at, "Save the value").click().run()
    _refused(at, "one field needs fixing", "Value: Invalid value")
    assert at.text_input(key="ind_value_raw").value == "many"


def test_refused_indicator_form_in_hebrew(app_db: str) -> None:
    from employdash.i18n import t

    at = app_as("admin", PAGE, lang="he", locality=1031)
    at.text_input(key="ind_local_name_en").input("Diversity of jobs offered")
    _button(at, t("ind.local.add", "he")).click().run()  # neither a code nor a Hebrew name
    _refused(
        at,
        t("a11y.errors.summary", "he", n=2),
        t("a11y.errors.item", "he", field=t("ind.local.name_he", "he"), message="שדה חובה"),
    )
    assert at.text_input(key="ind_local_name_en").value == "Diversity of jobs offered"
