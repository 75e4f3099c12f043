"""As `manager` in real Chromium: advance participants in the entry tab and see the funnel change;
screenshots in Hebrew and English."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import FilePayload, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from employdash.access import Actor
from employdash.db import Database
from employdash.mentoring.funnel import Selection, funnel
from employdash.mentoring.operations import participants, programs
from employdash.models.mentoring import PipelineStage, StageEvent
from employdash.users import load_actor
from tests.support.browser import screenshot, set_language, submit, wait_idle


def reached(db: Database, actor: Actor) -> list[int]:
    table = funnel(db, actor, Selection(), date.today()).table
    return [int(v) for v in table["reached"]]


def never_matched(db: Database, actor: Actor) -> list[str]:
    """Codes of accepted mentees of the form's first program (Netivot) never matched before,
    so moving them forward raises "reached matched" by one each."""
    program = min(p.id for p in programs(db, actor) if p.locality_code == 246)
    frame = participants(db, actor, 246, "mentee", date.today(), program)
    accepted = frame[(frame["stage"] == "accepted") & (frame["kind"] != "drop")]
    with db.transaction() as s:
        matched_before = set(
            s.scalars(
                select(StageEvent.participant_id)
                .join(PipelineStage)
                .where(PipelineStage.pipeline_code == "mentee", PipelineStage.code == "matched")
            )
        )
    return [
        c
        for c, pid in zip(accepted["code"], accepted["participant_id"], strict=True)
        if pid not in matched_before
    ]


def chart_text(page: Page) -> list[str]:
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("svg").first.wait_for(timeout=30_000)
    return chart.locator("svg text").all_text_contents()


def test_manager_advances_participants_and_sees_the_funnel_change(
    page: Page, server: str, e2e_db: Database
) -> None:
    manager = load_actor(e2e_db, "manager")
    assert manager is not None
    patient_login(page, server, "manager")
    # through the menu: a deep link right after login can race the login cookie
    page.locator(".st-key-nav").get_by_text("משפך חונכות").click()
    page.wait_for_url("**/mentoring")
    page.get_by_text("משפך: הגיעו לכל שלב").wait_for(timeout=30_000)
    idle(page)
    before = reached(e2e_db, manager)
    assert f"{before[3]:,}" in chart_text(page)
    screenshot(page, "mentoring_funnel_he")

    page.get_by_role("tab", name="עדכון").click()
    idle(page)
    picker = page.locator('[data-testid="stMultiSelect"]').filter(has_text="משתתפים (קוד")
    for code in never_matched(e2e_db, manager)[:2]:
        picker.locator("input").click()
        picker.locator("input").fill(code)  # the option list is virtual: filter it first
        page.get_by_role("option").filter(has_text=code).first.click()
        page.keyboard.press("Escape")
    page.get_by_text("קידום משתתפים").click()  # close the option list
    screenshot(page, "mentoring_entry_he")
    page.locator('[data-testid="stFormSubmitButton"] button', has_text="שמירה").first.click()
    idle(page)
    page.get_by_text("עודכנו 2 משתתפים.").wait_for(timeout=20_000)
    idle(page)

    after = reached(e2e_db, manager)
    assert after[3] == before[3] + 2 and after[:3] == before[:3]
    page.get_by_role("tab", name="משפך").click()
    idle(page)
    assert f"{after[3]:,}" in chart_text(page)
    screenshot(page, "mentoring_after_he")

    page.get_by_role("tab", name="משתתפים").click()
    idle(page)
    expect(page.get_by_text("בקודים בלבד").first).to_be_visible()
    screenshot(page, "mentoring_participants_he")
    page.get_by_role("tab", name="המתנה להצמדה").click()
    idle(page)
    screenshot(page, "mentoring_waiting_he")
    page.get_by_role("tab", name="משפך").click()
    idle(page)
    page.set_viewport_size({"width": 1400, "height": 3400})  # the whole funnel tab
    idle(page)
    screenshot(page, "mentoring_funnel_full_he")

    set_language(page, "en")
    idle(page)
    screenshot(page, "mentoring_funnel_full_en")
    page.set_viewport_size({"width": 1400, "height": 1000})
    expect(page.get_by_text("Funnel: reached each stage")).to_be_visible()
    screenshot(page, "mentoring_funnel_en")
    page.get_by_role("tab", name="Cohorts").click()
    idle(page)
    screenshot(page, "mentoring_cohorts_en")
    page.get_by_role("tab", name="Compare").click()
    idle(page)
    screenshot(page, "mentoring_compare_en")
    set_language(page, "he")


# ---- a mentoring journey: program → cohort → participants → match → sessions → end match
# ---- → the mentor matched again → funnel and target progress, all through the browser ----


def idle(page: Page) -> None:
    """wait_idle with room for a machine shared by several test runs."""
    wait_idle(page, timeout=120_000)


def patient_login(page: Page, base: str, username: str) -> None:
    """The shared login steps with room for a loaded machine (several suites at once)."""
    page.goto(base + "/")
    idle(page)
    for _ in range(5):
        form = page.locator('[data-testid="stForm"]').first
        user = form.locator('input[type="text"]').first
        user.fill(username)
        form.locator('input[type="password"]').first.fill("demo")
        if user.input_value() != username:
            idle(page)
            continue
        form.locator('[data-testid="stFormSubmitButton"] button').first.click()
        try:
            page.wait_for_selector(".st-key-nav", state="attached", timeout=90_000)
            break
        except PlaywrightTimeout:
            idle(page)
    else:
        raise AssertionError(f"could not log in as {username}")
    idle(page)


def visible(page: Page, selector: str, text: str) -> Locator:
    return page.locator(f"{selector}:visible").filter(has_text=text).first


def choose(page: Page, label: str, option: str) -> None:
    """Pick `option` in the visible selectbox labelled exactly `label`, with or without the
    required mark (typing filters the list)."""
    exact = re.compile(f"^{re.escape(label)}( \\*)?$")
    box = (
        page.locator('[data-testid="stSelectbox"]:visible')
        .filter(has=page.locator("label", has_text=exact))
        .first
    )
    box.locator("input").click()
    box.locator("input").fill(option)
    page.get_by_role("option").filter(has_text=option).first.click()
    idle(page)


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()
    idle(page)


def journey_file(program: str, cohort: str, start: date) -> bytes:
    """Two mentees accepted and one mentor trained, all in the cohort."""
    d = [(start + timedelta(days=i)).isoformat() for i in range(3)]
    rows = ["code,stage,date,kind,role,program,population,cohort"]
    for code in ("J-ME-1", "J-ME-2"):
        rows.append(f"{code},referred,{d[0]},forward,mentee,{program},haredi,{cohort}")
        rows.append(f"{code},screened,{d[1]},forward,,,,")
        rows.append(f"{code},accepted,{d[2]},forward,,,,")
    rows.append(f"J-MR-1,recruited,{d[0]},forward,mentor,{program},other,{cohort}")
    rows.append(f"J-MR-1,interviewed,{d[1]},forward,,,,")
    rows.append(f"J-MR-1,trained,{d[2]},forward,,,,")
    return ("\n".join(rows) + "\n").encode()


def test_program_to_target_progress_journey(page: Page, server: str, e2e_db: Database) -> None:
    try:
        journey(page, server, e2e_db)
    except Exception:
        screenshot(page, "mentoring_journey_failure")
        raise


def journey(page: Page, server: str, e2e_db: Database) -> None:
    from employdash.mentoring import matches as matchsvc
    from employdash.mentoring import targets

    manager = load_actor(e2e_db, "manager")
    assert manager is not None
    patient_login(page, server, "manager")
    page.locator('[data-testid="stSidebar"] button', has_text="English").first.click()
    idle(page)
    page.locator(".st-key-nav").get_by_text("Mentoring funnels").click()
    page.wait_for_url("**/mentoring")
    idle(page)

    # 1. a program, with a person link
    open_tab(page, "Programs")
    visible(page, '[data-testid="stExpander"]', "New program").locator("summary").click()
    visible(page, '[data-testid="stTextInput"]', "Program name").locator("input").fill(
        "Journey program"
    )
    submit(page, "Create program", "Program Journey program created.")
    program = next(p for p in programs(e2e_db, manager) if p.name == "Journey program")

    # 2. a cohort of it
    open_tab(page, "Programs")
    choose(page, "Program", "Journey program")
    visible(page, '[data-testid="stExpander"]', "New cohort").locator("summary").click()
    visible(page, '[data-testid="stTextInput"]', "Cohort name").locator("input").fill(
        "Journey cohort"
    )
    submit(page, "Create cohort", "Cohort Journey cohort created")
    screenshot(page, "mentoring_journey_programs_en")

    # 3. participants, in the cohort, through the import
    open_tab(page, "Import")
    upload = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    start = date.today() - timedelta(days=30)
    journey: FilePayload = {
        "name": "journey.csv",
        "mimeType": "text/csv",
        "buffer": journey_file("Journey program", "Journey cohort", start),
    }
    upload.set_input_files(files=[journey])
    idle(page)
    page.locator("button:visible", has_text="Import the valid rows").first.click()
    page.get_by_text("Imported 9 events and 3 new participants.").wait_for(timeout=90_000)
    idle(page)
    frame = participants(e2e_db, manager, 246, "mentee", date.today(), program.id)
    assert sorted(frame["code"]) == ["J-ME-1", "J-ME-2"]
    assert frame["cohort_id"].notna().all()

    # 4. a match
    open_tab(page, "Update")
    choose(page, "Mentee", "J-ME-1")
    choose(page, "Mentor", "J-MR-1")
    visible(page, '[data-testid="stForm"]', "Mentee").locator(
        '[data-testid="stFormSubmitButton"] button'
    ).click()
    page.get_by_text("The match was recorded.").wait_for(timeout=90_000)
    idle(page)
    [first] = [m for m in matchsvc.matches(e2e_db, manager, 246) if m.mentee_code == "J-ME-1"]
    assert first.status == "active"

    # 5. a session
    open_tab(page, "Matches and sessions")
    choose(page, "Match", "J-MR-1 ↔ J-ME-1")
    visible(page, '[data-testid="stTextInput"]', "Short note").locator("input").fill(
        "First meeting"
    )
    submit(page, "Log session", "Session logged.")
    screenshot(page, "mentoring_journey_sessions_en")

    # 6. end the match: the mentor is free again
    open_tab(page, "Matches and sessions")
    form = visible(page, '[data-testid="stForm"]', "End the match")
    box = form.locator('[data-testid="stSelectbox"]').first
    box.locator("input").click()
    box.locator("input").fill("J-ME-1")
    page.get_by_role("option").filter(has_text="J-ME-1").first.click()
    idle(page)
    submit(page, "End the match", "the mentor is free for a new match")

    # 7. the same mentor matched again, with the other mentee
    open_tab(page, "Update")
    choose(page, "Mentee", "J-ME-2")
    choose(page, "Mentor", "J-MR-1")
    visible(page, '[data-testid="stForm"]', "Mentee").locator(
        '[data-testid="stFormSubmitButton"] button'
    ).click()
    page.get_by_text("The match was recorded.").wait_for(timeout=90_000)
    idle(page)
    mine = {m.mentee_code: m for m in matchsvc.matches(e2e_db, manager, 246)}
    assert mine["J-ME-1"].status == "completed" and mine["J-ME-2"].status == "active"
    assert mine["J-ME-2"].mentor_code == "J-MR-1"

    # 8. a target for the program, and its progress on the funnel tab
    open_tab(page, "Programs")
    visible(page, '[data-testid="stExpander"]', "Set a program's targets").locator(
        "summary"
    ).click()
    form = visible(page, '[data-testid="stForm"]', "Save targets")
    box = form.locator('[data-testid="stSelectbox"]').first
    box.locator("input").click()
    box.locator("input").fill("Journey program")
    page.get_by_role("option").filter(has_text="Journey program").first.click()
    form.locator('[data-testid="stNumberInput"]').first.locator("input").fill("4")
    submit(page, "Save targets", "Targets saved.")
    [progress] = targets.progress(e2e_db, manager, (246,), date.today(), (program.id,))
    assert progress.actual["matches"] == 2 and progress.goals["matches"] == 4
    open_tab(page, "Funnel")
    page.get_by_text("Journey program · Matches: 2 of 4").first.wait_for(timeout=30_000)
    page.set_viewport_size({"width": 1400, "height": 3600})
    idle(page)
    screenshot(page, "mentoring_journey_funnel_en")
    set_language(page, "he")
    idle(page)
    screenshot(page, "mentoring_journey_funnel_he")
    page.get_by_role("tab", name="הצמדות ומפגשים", exact=True).click()
    idle(page)
    screenshot(page, "mentoring_journey_sessions_he")
