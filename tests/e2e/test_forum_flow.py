"""Record a meeting with two new tasks as the manager, then, as the task owner, mark one done.

Only steps that assert are here; the forum pages' screenshots in both languages are taken by
`make screenshots` (tests/support/screenshots.py), so a test fails only for what it checks.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page
from sqlalchemy import select

from employdash.db import Database
from employdash.models import Person, User
from employdash.models.forum import Meeting, Task
from tests.support.browser import login, open_page, screenshot, wait_idle

TITLES = ("להזמין אולם ליריד התעסוקה", "לנסח את סקר המעסיקים")


def _member_name(db: Database) -> str:
    with db.transaction() as s:
        return s.scalars(
            select(Person.full_name)
            .join(User, User.person_id == Person.id)
            .where(User.username == "member")
        ).one()


def _quick_add(page: Page, title: str, owner: str) -> None:
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_role("textbox"))
    box = form.get_by_role("textbox").first
    for _ in range(3):  # the previous add's rerun may still wipe what is typed: type it again
        wait_idle(page)
        box.fill(title)
        form.locator('[data-testid="stSelectbox"]').first.click()
        page.keyboard.type(owner)
        page.keyboard.press("Enter")
        if box.input_value() == title:
            break
    form.locator('[data-testid="stFormSubmitButton"] button').click()
    wait_idle(page)


def _pick_sederot(page: Page) -> None:
    """A page opened by URL starts a new session on the first locality: choose Sederot."""
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.keyboard.type(
        "שדרות"
        if page.locator(".stMain").evaluate("el => getComputedStyle(el).direction") == "rtl"
        else "Sderot"
    )
    page.keyboard.press("Enter")
    wait_idle(page)


def test_meeting_then_owner_marks_task_done(
    page: Page, browser: Browser, server: str, e2e_db: Database
) -> None:
    owner = _member_name(e2e_db)
    login(page, server, "manager")
    open_page(page, server, "meeting")
    _pick_sederot(page)
    page.get_by_text("נוכחות").first.wait_for()
    boxes = page.locator('[data-testid="stCheckbox"]')
    for i in range(min(6, boxes.count())):
        boxes.nth(i).click()
        wait_idle(page)
    page.get_by_role("textbox", name="החלטות ותוצרים").fill("לקיים יריד תעסוקה בחודש הבא")
    page.get_by_role("textbox", name="סוגיות שנדונו").fill("תעסוקת צעירים; קשר עם מעסיקים")
    wait_idle(page)
    _quick_add(page, TITLES[0], owner)
    _quick_add(page, TITLES[1], owner.split()[0])
    screenshot(page, "meeting_form_he")
    page.get_by_role("button", name="שמירת סיכום המפגש").click()
    wait_idle(page)
    page.get_by_text("סיכום המפגש נשמר").wait_for()
    screenshot(page, "meeting_saved_he")
    with e2e_db.transaction() as s:
        meeting_id = s.scalar(select(Meeting.id).order_by(Meeting.id.desc()).limit(1))
        new = s.scalars(select(Task).where(Task.meeting_id == meeting_id)).all()
    assert sorted(t.title for t in new) == sorted(TITLES)

    phone = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="he-IL")
    mobile = phone.new_page()
    try:
        login(mobile, server, "member")  # lands on "my tasks"
        mobile.set_viewport_size({"width": 390, "height": 844})  # a phone from here on
        wait_idle(mobile)
        card = mobile.get_by_text(TITLES[0]).first.locator(
            'xpath=ancestor::div[@data-testid="stVerticalBlock"][1]'
        )
        card.scroll_into_view_if_needed()
        screenshot(mobile, "my_tasks_phone_he")
        card.get_by_text("הושלמה").click()  # the one click
        wait_idle(mobile)
        screenshot(mobile, "my_tasks_done_phone_he")
    finally:
        phone.close()
    with e2e_db.transaction() as s:
        done = s.scalars(
            select(Task).where(Task.meeting_id == meeting_id, Task.title == TITLES[0])
        ).one()
    assert (done.status, done.progress, done.version) == ("done", 100, 2)
