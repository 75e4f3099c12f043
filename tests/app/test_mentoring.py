"""The mentoring page per role: aggregates for readers, lists and entry for local managers."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button

from employdash.db import Database
from employdash.i18n import has_key, t
from employdash.mentoring.funnel import Selection, funnel
from employdash.mentoring.operations import participants
from tests.app.accounts import demo_actor
from tests.app.widgets import widgets
from tests.support.apptest import app_as, click_tab, open_tab, texts
from tests.support.sources import product_sources

PAGE = "pages/mentoring.py"
ROOT = Path(__file__).resolve().parents[2]
CATALOGUE_KEY = re.compile(r"[a-z_]+[./][a-z0-9_./]+")
CODE = re.compile(r"\b(?:ME|MR|TR)-[A-Z0-9]{6}\b")


def tab_labels(at: AppTest) -> list[str]:
    return [t.label for t in at.tabs]


ADMIN_TABS = (
    *("funnel", "compare", "cohorts", "waiting", "entry", "matches", "programs"),
    *("certification", "import", "participants", "pipelines"),
)


def tab(name: str, lang: str = "en") -> dict[str, object]:
    """The session state that opens the page on its tab `name` (app_as(state=...))."""
    return open_tab("ment_tabs", f"ment.tab.{name}", lang)


def show(at: AppTest, name: str, lang: str = "en") -> AppTest:
    """A click on the tab `name`, and the run it starts."""
    click_tab(at, "ment_tabs", f"ment.tab.{name}", lang)
    assert not at.exception, at.exception
    return at


def frames_text(at: AppTest) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe)


@pytest.mark.parametrize("lang", ["he", "en"])
def test_manager_sees_funnel_entry_and_participant_codes(app_db: str, lang: str) -> None:
    at = app_as("manager", PAGE, lang=lang, locality=1031)
    assert not at.exception, at.exception
    labels = tab_labels(at)
    assert len(labels) == 10
    shown = texts(at)
    assert ("Funnel: reached each stage" if lang == "en" else "משפך: הגיעו לכל שלב") in shown
    assert not CODE.search(frames_text(at))  # the funnel tab: aggregates
    assert CODE.search(frames_text(show(at, "participants", lang)))  # the list, by code
    assert not at.error


def test_leadership_sees_aggregates_only(app_db: str) -> None:
    at = app_as("mayor", PAGE, lang="en", locality=1031)
    assert not at.exception, at.exception
    assert tab_labels(at) == ["Funnel", "Compare", "Cohorts", "Waiting for a match"]
    for name in ("funnel", "compare", "cohorts", "waiting"):
        assert not CODE.search(frames_text(show(at, name))), name
    assert "Lists by code are shown only" in texts(at)


def test_admin_sees_everything(app_db: str) -> None:
    at = app_as("admin", PAGE, lang="en", locality=246, state=tab("participants"))
    assert not at.exception, at.exception
    assert "Participants" in tab_labels(at)
    assert CODE.search(frames_text(at))


def test_member_cannot_open_the_page(app_db: str) -> None:
    at = app_as("member")
    with pytest.raises(Exception):  # noqa: B017 - not in the member's navigation
        at.switch_page(PAGE).run()


def test_manager_advances_participants_through_the_form(app_db: str) -> None:
    at = app_as("manager", PAGE, lang="en", locality=1031, state=tab("entry"))
    picker = next(ms for ms in at.multiselect if ms.key == "ment_adv_ids_en")
    db = Database(app_db)
    frame = participants(db, demo_actor(db, "manager"), 1031, "mentee", date.today())
    id_of = dict(zip(frame["code"], frame["participant_id"], strict=True))
    accepted = [o.split(" · ")[0] for o in picker.options if o.endswith("· Accepted")]
    chosen = [int(id_of[code]) for code in accepted[:2]]
    assert len(chosen) == 2
    picker.set_value(chosen)
    submit = next(b for b in at.button if b.label == "Save")
    submit.click().run()
    assert not at.exception, at.exception
    assert "2 participants updated." in texts(at)
    after = participants(db, demo_actor(db, "manager"), 1031, "mentee", date.today())
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
    state = {"ment_pipeline": pipeline, "ment_as_of": date(2025, 6, 30)}
    at = app_as("manager", PAGE, lang="en", locality=1031, state=state)
    assert not at.exception, at.exception
    first_stage = {"mentor": "Recruited", "certification": "Enrolled"}[pipeline]
    assert first_stage in frames_text(at)
    db = Database(app_db)
    past = funnel(db, demo_actor(db, "manager"), Selection(pipeline=pipeline), date(2025, 6, 30))
    now = funnel(db, demo_actor(db, "manager"), Selection(pipeline=pipeline), date.today())
    db.dispose()
    assert at.metric[0].value == f"{int(past.table['reached'].iloc[0]):,}"
    assert past.table["reached"].iloc[0] < now.table["reached"].iloc[0]


# ---- the forms that run mentoring from the UI ----


def button(at: AppTest, label: str) -> Button:
    return next(b for b in at.button if b.label == label)


def test_manager_creates_edits_and_closes_a_program_with_people(app_db: str) -> None:
    from employdash.mentoring import programs as progsvc
    from employdash.mentoring.operations import programs as list_programs

    db = Database(app_db)
    manager = demo_actor(db, "manager")
    person = progsvc.people_choices(db, manager, 246)[0]
    at = app_as("manager", PAGE, lang="en", locality=246, state=tab("programs"))
    at.text_input(key="ment_prog_new_name").input("Evening mentoring")
    at.selectbox(key="ment_prog_new_sponsor_person_id").set_value(person.id)
    at.selectbox(key="ment_prog_new_tevet_manager_person_id").set_value(person.id)
    button(at, "Create program").click().run()
    assert not at.exception, at.exception
    assert "Program Evening mentoring created." in texts(at)
    created = next(p for p in list_programs(db, manager) if p.name == "Evening mentoring")
    assert created.sponsor_person_id == person.id == created.tevet_manager_person_id
    at.selectbox(key="ment_prog_edit").set_value(created.id).run()
    at.text_input(key=f"ment_prog_edit_{created.id}_name").input("Evening mentoring 2")
    button(at, "Save program").click().run()
    assert "Program saved." in texts(at), texts(at)
    at.selectbox(key="ment_prog_edit").set_value(created.id).run()
    button(at, "Close the program").click().run()
    assert "The program is closed." in texts(at)
    closed = next(p for p in list_programs(db, manager) if p.id == created.id)
    assert closed.name == "Evening mentoring 2" and closed.closed_on is not None
    db.dispose()


def test_manager_creates_a_cohort_with_participants_and_sets_targets(app_db: str) -> None:
    from employdash.mentoring import targets
    from employdash.mentoring.operations import cohorts

    db = Database(app_db)
    manager = demo_actor(db, "manager")
    at = app_as("manager", PAGE, lang="en", locality=246, state=tab("programs"))
    program = at.selectbox(key="ment_coh_program").value
    assert program is not None
    assert len(at.multiselect(key="ment_coh_members").options) >= 3
    at.text_input(key="ment_coh_name").input("Winter group")
    at.multiselect(key="ment_coh_members").set_value(
        [int(p) for p in participants(db, manager, 246, program_id=program)["participant_id"][:3]]
    )
    button(at, "Create cohort").click().run()
    assert not at.exception, at.exception
    assert "Cohort Winter group created with 3 participants." in texts(at)
    assert any(c.name == "Winter group" for c in cohorts(db, manager))
    at.selectbox(key="ment_tgt_prog").set_value(program)
    at.number_input(key="ment_tgt_matches").set_value(40)
    button(at, "Save targets").click().run()
    assert "Targets saved." in texts(at)
    rows = targets.progress(db, manager, (246,), date.today(), (program,))
    assert rows and rows[0].goals["matches"] == 40
    assert "Targets and progress" in texts(show(at, "funnel"))
    db.dispose()


def test_manager_logs_a_session_and_ends_a_match(app_db: str) -> None:
    from employdash.mentoring import matches

    db = Database(app_db)
    manager = demo_actor(db, "manager")
    at = app_as("manager", PAGE, lang="en", locality=1031, state=tab("matches"))
    running = [m for m in matches.matches(db, manager, 1031) if m.status == "active"]
    assert running
    at.selectbox(key="ment_ses_match").set_value(running[0].id)
    at.number_input(key="ment_ses_min").set_value(45)
    at.text_input(key="ment_ses_note").input("**bold** <b>x</b>")
    button(at, "Log session").click().run()
    assert not at.exception, at.exception
    assert "Session logged." in texts(at)
    at.selectbox(key="ment_ses_show").set_value(running[0].id).run()
    assert "**bold** <b>x</b>" in frames_text(at)  # shown as data, never as Markdown
    at.selectbox(key="ment_end_pick").set_value(running[0].id)
    at.selectbox(key="ment_end_reason_en").set_value("goals_met")
    button(at, "End the match").click().run()
    assert "The match has ended; the mentor is free for a new match." in texts(at)
    ended = next(m for m in matches.matches(db, manager, 1031) if m.id == running[0].id)
    assert ended.status == "completed" and ended.end_reason == "goals_met"
    db.dispose()


def test_admin_defines_a_pipeline_that_the_funnel_offers(app_db: str) -> None:
    at = app_as("admin", PAGE, lang="en", locality=246, state=tab("pipelines"))
    at.text_input(key="ment_pl_code").input("job_club")
    at.text_input(key="ment_pl_label").input("Job club")
    at.text_area(key="ment_pl_stages").input("joined | Joined\ncoached\nplaced | Placed")
    at.text_input(key="ment_pl_terminal").input("placed")
    at.text_input(key="ment_pl_reasons").input("moved_away, other")
    button(at, "Define pipeline").click().run()
    assert not at.exception, at.exception
    assert "Pipeline job_club defined." in texts(at)
    control = at.get("segmented_control")[0]
    assert "Job club" in str(control.proto)


def test_manager_records_a_certification_result(app_db: str) -> None:
    from employdash.mentoring import certification

    db = Database(app_db)
    manager = demo_actor(db, "manager")
    at = app_as("manager", PAGE, lang="en", locality=1031, state=tab("certification"))
    who = at.selectbox(key="ment_cert_who").value
    assert who is not None
    at.radio(key="ment_cert_passed_en").set_value(False)
    at.text_input(key="ment_cert_note").input("needs practice with employers")
    button(at, "Save result").click().run()
    assert not at.exception, at.exception
    assert "Result saved." in texts(at)
    [result] = certification.assessments(db, manager, who)
    assert not result.passed and result.gap_note == "needs practice with employers"
    assert "Cohort skill-gap summary" in texts(at)
    db.dispose()


def choice_widgets(at: AppTest) -> list[tuple[str | None, str, list[str]]]:
    """Every choice widget drawn: its key, label and option labels."""
    return [
        (w.key, w.label, [str(o) for o in w.options])
        for kind in ("selectbox", "multiselect", "radio", "segmented_control")
        for w in widgets(at, kind)
    ]


def catalogue_texts(lang: str) -> set[str]:
    """Catalogue texts that differ between the languages (the ones a switch must change)."""
    from employdash.i18n import catalogue

    return {t[lang] for t in catalogue().values() if t["en"] != t["he"]} - {"—"}


def translated(option: str, texts: set[str]) -> bool:
    return any(part in texts for part in option.split(" · "))


def switch_language(at: AppTest, lang: str) -> None:
    """What the language buttons do in one session: the language, and app.py's page context
    rebuilt in it (AppTest reruns only the page script once it has navigated)."""
    at.session_state["lang"] = lang
    at.session_state["_page_context"] = dataclasses.replace(
        at.session_state["_page_context"], lang=lang
    )
    at.run()


def _switched_to_hebrew(at: AppTest, english: set[str], hebrew: set[str]) -> None:
    """After a switch: no choice label left in English or shown as its catalogue key, and each
    keyed widget with Hebrew labels keyed by the language."""
    switch_language(at, "he")
    assert not at.exception, at.exception
    for key, label, opts in choice_widgets(at):
        stale = [o for o in opts if translated(o, english)]
        assert not stale, (key, label, stale)
        raw = [o for o in opts if CATALOGUE_KEY.fullmatch(o)]  # a key shown as itself
        assert not raw, (key, label, raw)
        if key is not None and any(translated(o, hebrew) for o in opts):
            assert key.endswith("_he"), (key, label, opts)


def test_choice_labels_follow_a_language_switch(app_db: str) -> None:
    """A keyed widget keeps the option labels it was first drawn with in the browser, so every
    mentoring and survey choice widget whose labels come from the catalogue is keyed by the
    language: after a switch its labels are Hebrew and its key is new. Each mentoring tab is
    drawn in English, then switched with that tab open."""
    english, hebrew = catalogue_texts("en"), catalogue_texts("he")
    at = app_as("admin", PAGE, lang="en", locality=1031)
    assert tab_labels(at) == [t(f"ment.tab.{k}", "en") for k in ADMIN_TABS]  # every tab
    drawn_in_english = []
    for name in ADMIN_TABS:
        switch_language(at, "en")
        at.session_state["ment_tabs_he"] = t(f"ment.tab.{name}", "he")  # open after the switch
        show(at, name)
        drawn_in_english += [o for *_, opts in choice_widgets(at) for o in opts]
        _switched_to_hebrew(at, english, hebrew)
    assert any(translated(o, english) for o in drawn_in_english)
    at = app_as("admin", "pages/surveys.py", lang="en", locality=1031)
    assert any(translated(o, english) for *_, opts in choice_widgets(at) for o in opts)
    _switched_to_hebrew(at, english, hebrew)


def test_stage_names_given_in_the_ui_show_in_the_readers_language(app_db: str) -> None:
    from employdash.mentoring import operations as svc

    at = app_as("admin", PAGE, lang="en", locality=1031, state=tab("pipelines"))
    at.text_input(key="ment_pl_code").input("job_club")
    at.text_input(key="ment_pl_label").input("מועדון תעסוקה")
    at.text_input(key="ment_pl_label_en").input("Job club")
    at.text_area(key="ment_pl_stages").input("joined | הצטרפו | Joined\nplaced | הושמו | Placed")
    at.text_input(key="ment_pl_terminal").input("placed")
    button(at, "Define pipeline").click().run()
    assert not at.exception, at.exception
    assert "Pipeline job_club defined." in texts(at)
    assert at.text_area(key="ment_pl_stages__1").value == ""  # saved: a new, empty field
    db = Database(app_db)
    admin = demo_actor(db, "admin")
    program = next(
        p.id
        for p in svc.programs(db, admin, "mentoring")
        if p.locality_code == 1031 and p.closed_on is None
    )
    for _ in range(6):
        svc.add_participant(
            db,
            admin,
            program_id=program,
            role="mentee",
            population="arab",
            age_band=None,
            entered_on=date(2025, 1, 1),
            pipeline="job_club",
        )
    db.dispose()
    for lang, joined, placed, club in (
        ("en", "Joined", "Placed", "Job club"),
        ("he", "הצטרפו", "הושמו", "מועדון תעסוקה"),
    ):
        at = app_as("admin", PAGE, lang=lang, locality=1031, state={"ment_pipeline": "job_club"})
        assert not at.exception, at.exception
        assert club in str(at.get("segmented_control")[0].proto)
        funnel_frame = at.dataframe[0].value
        stage_column = next(c for c in funnel_frame.columns if c in ("Stage", "שלב"))
        assert list(funnel_frame[stage_column]) == [joined, placed]
        show(at, "entry", lang)
        picker = next(ms for ms in at.multiselect if ms.key == f"ment_adv_ids_{lang}")
        assert picker.options and all(o.endswith(f" · {joined}") for o in picker.options)
        show(at, "participants", lang)
        assert joined in frames_text(at)  # the participant list's status column
        assert "joined" not in frames_text(at)


# --- Accessible forms: a refused submit is summarised on top and explained under each field,
# in the user's language, and nothing typed is lost.


def refused(at: AppTest, *items: str) -> None:
    """The form's summary names every item ("Field: message") and each item also stands
    under its field (so each appears at least twice among the errors)."""
    from tests.support.apptest import rendered

    assert not at.exception, at.exception
    errors = [rendered(str(e.value)) for e in at.error]
    summary = "one field needs fixing" if len(items) == 1 else f"{len(items)} fields need fixing"
    assert any(summary in e for e in errors), errors
    for item in items:
        assert sum(item in e for e in errors) >= 2, (item, errors)


def test_refused_program_and_cohort_forms_keep_what_was_typed(app_db: str) -> None:
    db = Database(app_db)
    person = __import__("employdash.mentoring.programs", fromlist=["x"]).people_choices(
        db, demo_actor(db, "manager"), 246
    )[0]
    db.dispose()
    at = app_as("manager", PAGE, lang="en", locality=246, state=tab("programs"))
    at.selectbox(key="ment_prog_new_sponsor_person_id").set_value(person.id)
    at.date_input(key="ment_prog_new_started").set_value(date(2025, 3, 1))
    button(at, "Create program").click().run()  # no name
    refused(at, "Program name: Required")
    assert at.selectbox(key="ment_prog_new_sponsor_person_id").value == person.id
    assert at.date_input(key="ment_prog_new_started").value == date(2025, 3, 1)
    assert any("Fields marked * are required" in c.value for c in at.caption)

    program = at.selectbox(key="ment_prog_edit").value
    at.text_input(key=f"ment_prog_edit_{program}_name").input(" ")
    button(at, "Save program").click().run()  # the name emptied
    refused(at, "Program name: Required")
    assert at.text_input(key=f"ment_prog_edit_{program}_name").value == " "

    members = at.multiselect(key="ment_coh_members").options[:2]
    assert members
    at.multiselect(key="ment_coh_members").select(members[0])
    at.date_input(key="ment_coh_starts").set_value(date(2025, 9, 1))
    button(at, "Create cohort").click().run()  # no name
    refused(at, "Cohort name: Required")
    assert at.multiselect(key="ment_coh_members").value
    assert at.date_input(key="ment_coh_starts").value == date(2025, 9, 1)


def test_refused_targets_pipeline_and_standard_forms_keep_what_was_typed(app_db: str) -> None:
    at = app_as("admin", PAGE, lang="en", locality=1031, state=tab("programs"))
    at.date_input(key="ment_tgt_start").set_value(date(2025, 12, 31))
    at.date_input(key="ment_tgt_end").set_value(date(2025, 1, 1))
    at.number_input(key="ment_tgt_matches").set_value(12)
    button(at, "Save targets").click().run()
    refused(at, "Period end: Invalid value")
    assert at.number_input(key="ment_tgt_matches").value == 12

    show(at, "pipelines")
    at.text_input(key="ment_pl_code").input("job club")
    at.text_input(key="ment_pl_label_en").input("Job club")
    at.text_area(key="ment_pl_stages").input("only | רק | Only")
    button(at, "Define pipeline").click().run()
    refused(at, "Code: Required", "Stages: Invalid value")
    assert at.text_area(key="ment_pl_stages").value == "only | רק | Only"
    assert at.text_input(key="ment_pl_label_en").value == "Job club"

    show(at, "certification")
    at.text_input(key="ment_std_code").input("not a code")
    at.text_input(key="ment_std_name").input("Working with families")
    button(at, "Save standard").click().run()
    refused(at, "Code: Invalid value")
    assert at.text_input(key="ment_std_name").value == "Working with families"


def test_refused_entry_session_and_end_forms_in_hebrew(app_db: str) -> None:
    """In Hebrew: the summary and the field messages are Hebrew too."""
    from employdash.i18n import t
    from tests.support.apptest import rendered

    at = app_as("manager", PAGE, lang="he", locality=1031, state=tab("entry", "he"))
    at.date_input(key="ment_adv_date").set_value(date(2025, 5, 5))
    button(at, t("ment.entry.submit", "he")).click().run()  # nobody chosen
    item = t("a11y.errors.item", "he", field=t("ment.entry.participants", "he"), message="שדה חובה")
    errors = [rendered(str(e.value)) for e in at.error]
    assert any(t("a11y.errors.summary_one", "he") in e for e in errors), errors
    assert sum(item in e for e in errors) >= 2, errors
    assert at.date_input(key="ment_adv_date").value == date(2025, 5, 5)

    show(at, "matches", "he")
    at.text_input(key="ment_ses_note").input("שיחה טובה")
    at.date_input(key="ment_ses_date").set_value(date(2017, 1, 1))  # before the match began
    button(at, t("ment.sessions.submit", "he")).click().run()
    errors = [rendered(str(e.value)) for e in at.error]
    assert any(t("a11y.errors.summary_one", "he") in e for e in errors), errors
    assert at.text_input(key="ment_ses_note").value == "שיחה טובה"

    at.date_input(key="ment_end_date").set_value(date(2017, 1, 1))
    button(at, t("ment.matches.end_submit", "he")).click().run()
    errors = [rendered(str(e.value)) for e in at.error]
    assert any(t("a11y.errors.summary_one", "he") in e for e in errors), errors
    assert at.date_input(key="ment_end_date").value == date(2017, 1, 1)
