"""Refused saves on the forum's edit forms and their error slots: bad input
is refused with the message at the summary and under the field, the form keeps what was typed,
and nothing is written."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Widget

from employdash.db import Database
from employdash.models import AuditEntry
from employdash.models.forum import Forum, MilestoneNote, SuccessMetric, Team
from tests.app.widgets import chosen_id
from tests.support.apptest import app_as, open_tab, rendered

SEDEROT = 1031


def _in_form(widgets: Iterable[Widget], form: str, label: str) -> Widget:
    return next(w for w in widgets if w.form_id.startswith(form) and w.label == label)


def _submit(at: AppTest, form: str, label: str) -> None:
    next(b for b in at.button if b.label == label and b.form_id.startswith(form)).click().run()
    assert not at.exception, at.exception


def _refused(at: AppTest, field: str, message: str) -> None:
    errors = [rendered(str(e.value)) for e in at.error]
    summaries = [i for i, e in enumerate(errors) if e.startswith("**The form was not saved")]
    assert len(summaries) == 1, errors
    first = summaries[0]
    assert f"- {field}: {message}" in errors[first], errors[first]
    assert any(e.startswith(f"{field}: {message}") for e in errors[first + 1 :]), errors


def _audit_mark(db: Database) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.max(AuditEntry.id))) or 0


def _audited_since(db: Database, mark: int) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).where(AuditEntry.id > mark)) or 0)


def _forum_page(app_db: str, tab: str = "forum.tab.focuses") -> tuple[AppTest, Database, int]:
    state = open_tab("forum_tabs", tab, "en")
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=state)
    assert not at.exception, at.exception
    db = Database(app_db)
    return at, db, _audit_mark(db)


def test_a_milestone_note_with_a_bad_link_keeps_the_note(app_db: str) -> None:
    at, db, mark = _forum_page(app_db, "forum.tab.stages")
    key = at.selectbox(key="ms_note_pick").value
    form = f"ms_note_{key}_"
    with db.transaction() as s:
        before = s.execute(
            select(MilestoneNote.note, MilestoneNote.version).where(
                MilestoneNote.milestone_key == key
            )
        ).all()
    _in_form(at.text_area, form, "Note").set_value("Signed at the council")
    _in_form(at.text_input, form, "Document URL (https://…)").set_value("ftp://files/plan")
    _submit(at, form, "Save")
    _refused(at, "Document URL (https://…)", "Invalid value")
    assert _in_form(at.text_area, form, "Note").value == "Signed at the council"
    assert _in_form(at.text_input, form, "Document URL (https://…)").value == "ftp://files/plan"
    with db.transaction() as s:
        after = s.execute(
            select(MilestoneNote.note, MilestoneNote.version).where(
                MilestoneNote.milestone_key == key
            )
        ).all()
    assert after == before
    assert _audited_since(db, mark) == 0
    db.dispose()


def test_a_metric_target_date_before_its_baseline_keeps_the_target(app_db: str) -> None:
    at, db, mark = _forum_page(app_db)
    mid = chosen_id(at.selectbox(key="metric_edit_pick"))
    with db.transaction() as s:
        metric = s.get_one(SuccessMetric, mid)
        baseline_date, version, target = metric.baseline_date, metric.version, metric.target
    assert baseline_date is not None
    form = f"metric_edit_{mid}_"
    _in_form(at.number_input, form, "Target *").set_value(target + 7)
    _in_form(at.date_input, form, "Target date *").set_value(baseline_date - timedelta(days=1))
    _submit(at, form, "Save")
    _refused(at, "Target date", "The target date must come after the baseline date")
    assert _in_form(at.number_input, form, "Target *").value == target + 7
    assert _in_form(at.date_input, form, "Target date *").value == baseline_date - timedelta(days=1)
    with db.transaction() as s:
        metric = s.get_one(SuccessMetric, mid)
        assert (metric.version, metric.target) == (version, target)
    assert _audited_since(db, mark) == 0
    db.dispose()


def test_a_team_renamed_to_nothing_is_refused(app_db: str) -> None:
    at, db, mark = _forum_page(app_db, "forum.tab.setup")
    tid = chosen_id(at.selectbox(key="team_edit_pick"))
    with db.transaction() as s:
        team = s.get_one(Team, tid)
        name, version = team.name, team.version
    form = f"team_edit_{tid}_"
    _in_form(at.text_input, form, "Team name *").set_value("   ")
    _submit(at, form, "Save")
    _refused(at, "Team name", "Required")
    assert _in_form(at.text_input, form, "Team name *").value == "   "
    with db.transaction() as s:
        team = s.get_one(Team, tid)
        assert (team.name, team.version) == (name, version)
    assert _audited_since(db, mark) == 0
    db.dispose()


def test_a_forum_renamed_to_nothing_is_refused(app_db: str) -> None:
    at, db, mark = _forum_page(app_db, "forum.tab.setup")
    with db.transaction() as s:
        name, version = s.execute(
            select(Forum.name, Forum.version).where(Forum.locality_code == SEDEROT)
        ).one()
    _in_form(at.text_input, "forum_rename_", "Forum name *").set_value("")
    _submit(at, "forum_rename_", "Save")
    _refused(at, "Forum name", "Required")
    with db.transaction() as s:
        assert s.execute(
            select(Forum.name, Forum.version).where(Forum.locality_code == SEDEROT)
        ).one() == (name, version)
    assert _audited_since(db, mark) == 0
    db.dispose()
