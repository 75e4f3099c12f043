"""The stakeholder map page per role and scope, editing through the grid table and the form."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from employdash.db import Database
from employdash.models import AuditEntry
from employdash.models.stakeholders import Stakeholder
from employdash.stakeholders import register as stakeholders
from tests.app.accounts import demo_actor
from tests.support.apptest import app_as, open_tab, texts

PAGE = "pages/stakeholders.py"
REGISTER_EN = open_tab("stake_tabs", "stake.tab.register", "en")


def _buttons(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


@pytest.mark.parametrize("locality", [1031, 246])
def test_manager_sees_the_map_of_the_chosen_locality(app_db: str, locality: int) -> None:
    at = app_as("manager", PAGE, lang="en", locality=locality)
    assert not at.exception, at.exception
    db = Database(app_db)
    count = len(stakeholders.register(db, demo_actor(db, "manager"), locality))
    assert f"{count} stakeholders shown" in texts(at)  # the grid, the first tab
    assert "Save map changes" in _buttons(at)
    grid_charts = len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart"))
    assert grid_charts >= 1
    at.session_state["stake_tabs_en"] = "Register"  # what a click on the tab sends
    at.run()
    assert not at.exception, at.exception
    assert f"{count} stakeholders in the register." in texts(at)
    assert "Add" in _buttons(at) and "Save map changes" not in _buttons(at)
    at.session_state["stake_tabs_en"] = "Network"
    at.run()
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) + len(at.get("arrow_vega_lite_chart")) >= 1


def test_leadership_reads_without_editing(app_db: str) -> None:
    at = app_as("mayor", PAGE, lang="he", locality=1031)
    assert not at.exception
    assert "צפייה בלבד." in texts(at)  # the grid
    assert "שמירת השינויים במפה" not in _buttons(at)
    at.session_state["stake_tabs_he"] = "מרשם בעלי עניין"
    at.run()
    assert not at.exception
    db = Database(app_db)
    count = len(stakeholders.register(db, demo_actor(db, "mayor"), 1031))
    assert f"{count} בעלי עניין במרשם." in texts(at)
    assert "הוספה" not in _buttons(at)


def test_member_cannot_reach_the_page(app_db: str) -> None:
    at = app_as("member")
    with pytest.raises(Exception):  # noqa: B017 - not in the member's navigation
        at.switch_page(PAGE).run()


def test_grid_table_edit_moves_a_stakeholder_and_audits(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031)
    db = Database(app_db)
    first = stakeholders.register(db, demo_actor(db, "manager"), 1031)
    from employdash.stakeholders import grid as stakeholders_map

    grid = stakeholders_map.grid(db, demo_actor(db, "manager"), 1031)
    grid = grid.sort_values(["organisation", "id"], kind="stable")
    target = int(grid.id.iloc[0])
    new_power = 1 if int(grid.power.iloc[0]) != 1 else 5
    at.session_state["stake_grid_editor_1031_0"] = {
        "edited_rows": {0: {"power": new_power}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="stake_grid_save").click().run()
    assert not at.exception, at.exception
    assert "Saved: 1 stakeholders moved." in texts(at)
    with db.transaction() as s:
        row = s.get_one(Stakeholder, target)
        entry = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "move", AuditEntry.entity_id == str(target)
            )
        ).one()
    assert row.power == new_power and row.version == 2 and entry.after is not None
    assert entry.username == "manager" and entry.after["power"] == new_power
    assert len(first) == len(stakeholders.register(db, demo_actor(db, "manager"), 1031))


def test_manager_adds_a_stakeholder_through_the_form(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031, state=REGISTER_EN)
    at.text_input(key="stake_add_new_org").input("Negev makers hub")
    at.selectbox(key="stake_add_sector_en").select("ngo")
    at.button(key="FormSubmitter:stake_add-Add").click().run()
    assert not at.exception, at.exception
    assert "Stakeholder added." in texts(at)
    db = Database(app_db)
    frame = stakeholders.register(db, demo_actor(db, "manager"), 1031)
    assert "Negev makers hub" in set(frame.organisation)


def _refused(at: AppTest, summary: str, *items: str) -> None:
    """The summary on top names every item, and each item also stands under its field."""
    from tests.support.apptest import rendered

    assert not at.exception, at.exception
    errors = [rendered(str(e.value)) for e in at.error]
    assert any(summary in e for e in errors), errors
    for item in items:
        assert sum(item in e for e in errors) >= 2, (item, errors)


def test_refused_stakeholder_and_relation_forms_keep_what_was_typed(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031, state=REGISTER_EN)
    at.text_input(key="stake_add_role").input("Head of HR")
    at.text_area(key="stake_add_notes").input("Met at the fair")
    at.button(key="FormSubmitter:stake_add-Add").click().run()  # no organisation named
    _refused(at, "one field needs fixing", "Organisation: Required")
    assert at.text_input(key="stake_add_role").value == "Head of HR"
    assert at.text_area(key="stake_add_notes").value == "Met at the fair"
    assert any("Fields marked * are required" in c.value for c in at.caption)

    at.session_state["stake_tabs_en"] = "Network"  # the relation form
    at.run()
    source = at.selectbox(key="stake_rel_source")
    at.selectbox(key="stake_rel_target").set_value(source.value)
    next(b for b in at.button if b.key == "FormSubmitter:stake_relation_add-Add").click().run()
    _refused(at, "one field needs fixing", "To: Invalid value")


def test_refused_stakeholder_form_in_hebrew(app_db: str) -> None:
    from employdash.i18n import t

    at = app_as(
        "manager",
        PAGE,
        lang="he",
        locality=1031,
        state=open_tab("stake_tabs", "stake.tab.register", "he"),
    )
    at.text_input(key="stake_add_role").input("מנהלת משאבי אנוש")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:stake_add-")).click()
    at.run()
    _refused(
        at,
        t("a11y.errors.summary_one", "he"),
        t("a11y.errors.item", "he", field=t("stake.col.organisation", "he"), message="שדה חובה"),
    )
    assert at.text_input(key="stake_add_role").value == "מנהלת משאבי אנוש"
