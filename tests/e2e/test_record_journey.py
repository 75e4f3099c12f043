"""A target that warns and a record people can trust, end to end in real Chromium, in Hebrew.

On Sederot's demo forum the manager adds a manual success metric to a focus and enters its value
for this month twice: ahead of the line (on track), then far behind it (off track); the focus card
says so in words, the forum's health list warns, and so does the mayor's briefing in her own
session. The manager attaches the plan (a PDF) to the "work plan written" milestone and sees it
listed; deletes the newest meeting with a reason, finds it in the trash and restores it, and the
meetings list shows it again. Each step is checked in the database as well; screenshots of the
forum page with its warning, the briefing and the trash land in tests/artifacts/screenshots/
(names start "journey_").
"""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Browser, FilePayload, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from employdash.briefing.build import build_briefing
from employdash.db import Database
from employdash.forum.health import forum_health
from employdash.forum.target_status import focus_statuses, metric_statuses
from employdash.history import entity_words
from employdash.i18n import fmt_date, fmt_month, fmt_number, fmt_percent, t
from employdash.models.forum import Forum, Meeting, MetricValue, StrategicFocus, SuccessMetric
from employdash.models.record import Document, TrashItem
from employdash.users import load_actor
from tests.e2e.test_forum_flow import _pick_sederot
from tests.support.browser import login, screenshot, submit, wait_idle

SEDEROT = 1031
HE = "he"
METRIC = "צעירים שהשתלבו בעבודה דרך הפורום"
BASELINE, TARGET, AHEAD, BEHIND = 50, 100, 60, 10
PLAN_NAME = "tochnit-avoda.pdf"
PLAN_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
REASON = "נרשם בטעות פעמיים"


def _he(key: str, **params: object) -> str:
    return t(key, HE, **params)


def _go(page: Page, page_key: str) -> None:
    """Open a page from the sidebar menu (the session, its locality and language stay)."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("link", name=_he(page_key), exact=True).first.click()
    wait_idle(page)


def _tab(page: Page, key: str) -> None:
    page.get_by_role("tab", name=_he(key)).click()
    wait_idle(page)


def _expander(page: Page, title: str) -> Locator:
    return (
        page.locator('[data-testid="stExpander"] details')
        .filter(visible=True)
        .filter(has=page.locator("summary", has_text=title))
        .last
    )


def _open(page: Page, title: str) -> Locator:
    """The visible expander `title`, opened (left open when it already is)."""
    details = _expander(page, title)
    details.wait_for(timeout=30_000)
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()
        wait_idle(page)
    expect(details).to_have_attribute("open", re.compile(".*"))
    return details


def _fold(page: Page, title: str) -> None:
    """Fold the expander `title` (a save leaves it open), so the next form's "Save" is the only
    one showing."""
    details = _expander(page, title)
    if details.count() and details.get_attribute("open") is not None:
        details.locator("summary").first.click()
        wait_idle(page)
        # The fold is animated: the attribute goes when it ends.
        expect(details).not_to_have_attribute("open", re.compile(".*"))


def _label(page: Page, label: str) -> Locator:
    return page.locator('[data-testid="stWidgetLabel"]', has_text=label)


def _fill(section: Locator, label: str, value: str) -> None:
    """Type `value` into the field labelled `label` in `section`, and check it stayed (a late
    rerun can redraw the form under the typing)."""
    field = (
        section.locator(
            '[data-testid="stTextInput"], [data-testid="stNumberInput"], [data-testid="stTextArea"]'
        )
        .filter(has=_label(section.page, label))
        .locator("input, textarea")
        .first
    )
    for _ in range(3):
        field.fill(value, timeout=15_000)
        field.press("Tab")
        wait_idle(section.page)
        shown = field.input_value()
        if shown == value or (shown.replace(".", "", 1).isdigit() and float(shown) == float(value)):
            return
    raise AssertionError(f"{label!r} did not keep {value!r}")


def _choose(section: Locator, label: str, option: str) -> None:
    """Pick `option` in the selectbox labelled `label` in `section` (typing filters the list)."""
    page = section.page
    box = section.locator('[data-testid="stSelectbox"]').filter(has=_label(page, label)).first
    box.click(timeout=15_000)
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(box.get_by_role("combobox")).to_have_value(re.compile(re.escape(option)))


def _picker(page: Page, label: str) -> Locator:
    boxes = page.locator('.stMain [data-testid="stSelectbox"]').filter(visible=True)
    return boxes.filter(has=_label(page, label))


def _tall_screenshot(page: Page, name: str) -> None:
    """The whole main area (it scrolls inside the page: a full-page shot alone cuts it)."""
    tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(tall, 8000)})
    page.wait_for_timeout(300)
    screenshot(page, name)
    page.set_viewport_size({"width": 1400, "height": 1000})
    wait_idle(page)


def _sederot_forum(db: Database) -> int:
    with db.transaction() as s:
        return s.scalars(select(Forum.id).where(Forum.locality_code == SEDEROT)).one()


def _expected_line(latest: int) -> str:
    """The focus card's caption for the metric: the line's value this month against `latest`."""
    return _he(
        "forum.targets.expected",
        expected=fmt_number(BASELINE, HE),
        latest=fmt_number(latest, HE),
        month=fmt_month(date.today().replace(day=1), HE),
    )


def _status_next_to(page: Page, caption: str) -> Locator:
    """The status badge drawn right before the metric's caption on its focus card."""
    element = page.locator('[data-testid="stElementContainer"]').filter(visible=True)
    return (
        element.filter(has=page.get_by_text(caption, exact=True))
        .last.locator('xpath=preceding-sibling::div[@data-testid="stElementContainer"][1]')
        .first
    )


def _enter_value(page: Page, value: int) -> None:
    section = _open(page, _he("forum.metric.enter"))
    _choose(section, _he("forum.metric.pick"), METRIC)
    _fill(section, _he("forum.metric.value"), str(value))
    submit(page, _he("common.save"), _expected_line(value))
    _fold(page, _he("forum.metric.enter"))


def _focus_on_track(db: Database) -> str:
    """The title of a Sederot focus on track now (its card and the briefing will say when the new
    metric puts it off track)."""
    manager = load_actor(db, "manager")
    assert manager is not None
    metrics = metric_statuses(db, manager, SEDEROT)
    by_focus = focus_statuses(metrics)
    titles = {m["focus_id"]: m["focus_title"] for m in metrics}
    return next(titles[f] for f, status in by_focus.items() if status == "on_track")


def _metric_goes_off_track(page: Page, db: Database, focus: str) -> str:
    """Step 1 on the forum page; returns the health warning's sentence."""
    _tab(page, "forum.tab.focuses")
    section = _open(page, _he("forum.metric.manual"))
    _choose(section, _he("forum.col.focus"), focus)
    _fill(section, _he("forum.metric.name"), METRIC)
    _fill(section, _he("forum.metric.baseline"), str(BASELINE))
    _fill(section, _he("forum.col.target"), str(TARGET))
    target_date = date(date.today().year + 1, 12, 31)  # the form's default
    line = _he(
        "forum.metric.line",
        indicator=METRIC,
        baseline=fmt_number(BASELINE, HE),
        latest=fmt_number(None, HE),
        target=fmt_number(TARGET, HE),
        date=fmt_date(target_date, HE),
        progress=fmt_percent(None, HE, 0),
    )
    submit(page, _he("common.save"), line)
    _fold(page, _he("forum.metric.manual"))
    with db.transaction() as s:
        metric = s.scalars(select(SuccessMetric).where(SuccessMetric.name == METRIC)).one()
        forum_of_focus = s.scalar(
            select(StrategicFocus.forum_id).where(StrategicFocus.id == metric.focus_id)
        )
        added = (metric.direction, metric.baseline, metric.target, metric.target_date)
        metric_id = metric.id
        title = s.scalar(select(StrategicFocus.title).where(StrategicFocus.id == metric.focus_id))
    assert forum_of_focus == _sederot_forum(db) and title == focus
    assert added == ("up", float(BASELINE), float(TARGET), target_date)

    on_track = _he("forum.targets.status_line", status=_he("forum.targets.status.on_track"))
    off_track = _he("forum.targets.status_line", status=_he("forum.targets.status.off_track"))
    _enter_value(page, AHEAD)
    expect(_status_next_to(page, _expected_line(AHEAD))).to_contain_text(on_track)
    _enter_value(page, BEHIND)  # the same month again: the value is corrected
    expect(_status_next_to(page, _expected_line(BEHIND))).to_contain_text(off_track)

    warning = _he("forum.health.off_track", metric_he=METRIC, metric_en=METRIC)
    alert = page.locator('[data-testid="stAlertContentError"]', has_text=warning)
    expect(alert.first).to_be_visible()
    with db.transaction() as s:
        values = s.execute(
            select(MetricValue.period, MetricValue.value).where(MetricValue.metric_id == metric_id)
        ).all()
    assert [tuple(v) for v in values] == [(date.today().replace(day=1), BEHIND)]
    manager = load_actor(db, "manager")
    assert manager is not None
    status = {m["id"]: m["status"] for m in metric_statuses(db, manager, SEDEROT)}
    assert status[metric_id] == "off_track"
    assert any(
        w.key == "forum.health.off_track" and w.params["metric_he"] == METRIC
        for w in forum_health(db, manager, SEDEROT)
    )
    return warning


def _mayor_sees_it(browser: Browser, server: str, db: Database, focus: str) -> None:
    """The mayor, in a session of her own, reads on her briefing that the focus is off track
    now; the warning naming the metric is among the briefing's attention items."""
    off_track = _he("forum.targets.status_line", status=_he("forum.targets.status.off_track"))
    line = re.compile(f"^{re.escape(focus)}: .+ · {re.escape(off_track)}$")
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
    page = context.new_page()
    try:
        login(page, server, "mayor")
        _go(page, "page.briefing")
        try:
            page.locator(".stMain").get_by_text(line).first.wait_for(timeout=30_000)
        finally:
            _tall_screenshot(page, "journey_briefing_mayor_he")
    finally:
        context.close()
    mayor = load_actor(db, "mayor")
    assert mayor is not None
    items = build_briefing(db, mayor, SEDEROT).attention
    assert any(i.key == "forum.health.off_track" and i.params["metric_he"] == METRIC for i in items)


def _plan_on_milestone(page: Page, db: Database) -> None:
    """Step 2: the plan document attached to "work plan written" and listed there."""
    _tab(page, "forum.tab.stages")
    main = page.locator(".stMain")
    _choose(main, _he("record.documents.milestone"), _he("forum.ms.work_plan_written"))
    section = _open(page, _he("record.documents.title", n=0))
    plan: FilePayload = {"name": PLAN_NAME, "mimeType": "application/pdf", "buffer": PLAN_BYTES}
    section.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(files=[plan])
    wait_idle(page)
    section.locator('[data-testid="stFileUploader"]', has_text=PLAN_NAME).wait_for()
    listed = _expander(page, _he("record.documents.title", n=1))
    for attempt in range(2):  # a click before the upload reached the server attaches nothing
        section.locator("button", has_text=_he("record.documents.attach")).click()
        wait_idle(page)
        try:
            listed.wait_for(timeout=20_000)
            break
        except PlaywrightTimeout:
            if attempt:
                raise
    listed = _open(page, _he("record.documents.title", n=1))
    expect(listed.locator('[data-testid="stText"]', has_text=PLAN_NAME)).to_be_visible()
    expect(listed.get_by_text(_he("record.documents.kind.pdf"), exact=False).first).to_be_visible()
    with db.transaction() as s:
        stored = s.execute(
            select(Document.filename, Document.kind, Document.content).where(
                Document.milestone_key == "work_plan_written"
            )
        ).all()
    assert [tuple(d) for d in stored] == [(PLAN_NAME, "pdf", PLAN_BYTES)]


def _meeting_deleted_and_restored(page: Page, db: Database) -> None:
    """Step 3: the newest meeting deleted with a reason, restored from the trash, listed again."""
    forum = _sederot_forum(db)
    with db.transaction() as s:
        before = set(s.scalars(select(Meeting.id).where(Meeting.forum_id == forum)))
    _tab(page, "forum.tab.meetings")
    picker = _picker(page, _he("meet.pick"))
    picked = picker.first.get_by_role("combobox").input_value()  # the newest, by default
    section = _open(page, _he("forum.meeting.delete"))
    _fill(section, _he("forum.meeting.delete_reason"), REASON)
    submit(page, _he("forum.meeting.delete"), _he("forum.meeting.deleted"))
    with db.transaction() as s:
        after = set(s.scalars(select(Meeting.id).where(Meeting.forum_id == forum)))
        gone = before - after
        assert len(gone) == 1 and after < before
        (meeting_id,) = gone
        item = s.scalars(
            select(TrashItem).where(
                TrashItem.entity == "meeting", TrashItem.entity_id == meeting_id
            )
        ).one()
        trash_id, label, reason = item.id, item.label, item.reason
    assert reason == REASON

    _go(page, "page.trash")
    kept = page.locator(f".st-key-trash_item_{trash_id}")
    kept.wait_for(timeout=30_000)
    expect(kept).to_contain_text(_he("record.trash.reason", reason=REASON))
    expect(kept).to_contain_text(label)
    _tall_screenshot(page, "journey_trash_he")
    kept.locator("button", has_text=_he("record.trash.restore")).click()
    wait_idle(page)
    restored = _he("record.trash.restored", kind=entity_words(HE)("meeting"), label=label)
    page.locator('[data-testid="stAlertContentSuccess"]', has_text=restored).wait_for()
    expect(kept).to_have_count(0)
    with db.transaction() as s:
        back = set(s.scalars(select(Meeting.id).where(Meeting.forum_id == forum)))
        left = s.scalar(select(TrashItem.id).where(TrashItem.id == trash_id))
    assert back == before and left is None

    _go(page, "page.forum")
    _tab(page, "forum.tab.meetings")
    picker = _picker(page, _he("meet.pick"))
    expect(picker.first.get_by_role("combobox")).to_have_value(picked)


def test_a_target_that_warns_and_a_record_kept(
    page: Page, browser: Browser, server: str, e2e_db: Database
) -> None:
    login(page, server, "manager")
    _pick_sederot(page)
    _go(page, "page.forum")
    try:
        focus = _focus_on_track(e2e_db)
        _metric_goes_off_track(page, e2e_db, focus)
        _tab(page, "forum.tab.focuses")
        _tall_screenshot(page, "journey_forum_off_track_he")
        _mayor_sees_it(browser, server, e2e_db, focus)
        _plan_on_milestone(page, e2e_db)
        _meeting_deleted_and_restored(page, e2e_db)
    except (AssertionError, PlaywrightTimeout):
        screenshot(page, "journey_failed")
        raise
