"""The mentoring page per role: aggregates for readers, lists and entry for local managers."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from employdash.db import Database
from employdash.i18n import has_key
from employdash.mentoring.funnel import Selection, funnel
from employdash.mentoring.operations import participants
from employdash.users import load_actor
from tests.support.apptest import APP, app_as, texts
from tests.support.sources import product_sources

PAGE = "pages/mentoring.py"
ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"\b(?:ME|MR|TR)-[A-Z0-9]{6}\b")


def tab_labels(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.label for t in at.tabs]


def frames_text(at) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(df.value.to_csv() for df in at.dataframe)


@pytest.mark.parametrize("lang", ["he", "en"])
def test_manager_sees_funnel_entry_and_participant_codes(app_db: str, lang: str) -> None:
    at = app_as("manager", PAGE, lang=lang, locality=1031)
    assert not at.exception, at.exception
    labels = tab_labels(at)
    assert len(labels) == 10
    shown = texts(at)
    assert ("Funnel: reached each stage" if lang == "en" else "משפך: הגיעו לכל שלב") in shown
    assert CODE.search(frames_text(at))  # the participant list, by code
    assert not at.error


def test_leadership_sees_aggregates_only(app_db: str) -> None:
    at = app_as("mayor", PAGE, lang="en", locality=1031)
    assert not at.exception, at.exception
    assert tab_labels(at) == ["Funnel", "Compare", "Cohorts", "Waiting for a match"]
    assert not CODE.search(frames_text(at))
    assert "Lists by code are shown only" in texts(at)


def test_admin_sees_everything(app_db: str) -> None:
    at = app_as("admin", PAGE, lang="en", locality=246)
    assert not at.exception, at.exception
    assert "Participants" in tab_labels(at)
    assert CODE.search(frames_text(at))


def test_member_cannot_open_the_page(app_db: str) -> None:
    at = app_as("member")
    with pytest.raises(Exception):  # noqa: B017 - not in the member's navigation
        at.switch_page(PAGE).run()


def test_manager_advances_participants_through_the_form(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031)
    picker = next(ms for ms in at.multiselect if ms.key == "ment_adv_ids")
    db = Database(app_db)
    frame = participants(db, load_actor(db, "manager"), 1031, "mentee", date.today())
    id_of = dict(zip(frame["code"], frame["participant_id"], strict=True))
    accepted = [o.split(" · ")[0] for o in picker.options if o.endswith("· Accepted")]
    chosen = [int(id_of[code]) for code in accepted[:2]]
    assert len(chosen) == 2
    picker.set_value(chosen)
    submit = next(b for b in at.button if b.label == "Save")
    submit.click().run()
    assert not at.exception, at.exception
    assert "2 participants updated." in texts(at)
    after = participants(db, load_actor(db, "manager"), 1031, "mentee", date.today())
    assert set(after.set_index("participant_id").loc[chosen, "stage"]) == {"matched"}
    db.dispose()


def test_every_used_key_exists() -> None:
    used = set()
    for path in product_sources():
        used |= set(re.findall(r'tr\("(ment\.[a-z0-9_.]+)"', path.read_text(encoding="utf-8")))
    missing = sorted(k for k in used if not has_key(k))
    assert not missing, missing
    catalogue = json.loads((ROOT / "employdash/i18n/messages/mentoring.json").read_text())
    assert all(k.startswith("ment.") for k in catalogue)


@pytest.mark.parametrize("pipeline", ["mentor", "certification"])
def test_other_pipelines_and_a_past_date(app_db: str, pipeline: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    state = {
        "lang": "en",
        "authentication_status": True,
        "username": "manager",
        "name": "manager",
        "roles": [],
        "_lang_user": "manager",
        "locality_code": 1031,
        "ment_pipeline": pipeline,
        "ment_as_of": date(2025, 6, 30),
    }
    for key, value in state.items():
        at.session_state[key] = value
    at.run().switch_page(PAGE).run()
    assert not at.exception, at.exception
    first_stage = {"mentor": "Recruited", "certification": "Enrolled"}[pipeline]
    assert first_stage in frames_text(at)
    db = Database(app_db)
    past = funnel(db, load_actor(db, "manager"), Selection(pipeline=pipeline), date(2025, 6, 30))
    now = funnel(db, load_actor(db, "manager"), Selection(pipeline=pipeline), date.today())
    db.dispose()
    assert at.metric[0].value == f"{int(past.table['reached'].iloc[0]):,}"
    assert past.table["reached"].iloc[0] < now.table["reached"].iloc[0]
