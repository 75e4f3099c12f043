"""Sending a meeting's minutes by e-mail from the forum page: who will receive them and who
cannot before sending, the count after, and "sent on" on the record (real app, real SQLite)."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from employdash.db import Database
from employdash.forum import meetings
from employdash.mail import minutes as minutes_mail
from employdash.models import Person
from employdash.models.mail import OutboxMessage
from tests.app.accounts import demo_actor
from tests.app.widgets import chosen_id
from tests.support.apptest import app_as, open_tab, texts

SEDEROT = 1031
MEETINGS = open_tab("forum_tabs", "forum.tab.meetings", "en")  # the meetings and their minutes


def test_manager_sees_the_recipients_sends_and_sees_it_sent(app_db: str) -> None:
    db = Database(app_db)
    manager = demo_actor(db, "manager")
    at = app_as("manager", page="pages/forum.py", lang="en", locality=SEDEROT, state=MEETINGS)
    assert not at.exception, at.exception
    mid = chosen_id(at.selectbox(key="forum_meeting_pick"))
    to = minutes_mail.recipients(db, manager, mid)
    silent = to.reachable[0]
    with db.transaction() as s:  # someone without an address
        s.execute(update(Person).where(Person.id == silent.person_id).values(email=None))
    at.run()
    shown = texts(at)
    assert "Send the minutes by e\\-mail" in [e.label for e in at.expander]
    assert "No e-mail address (they will not receive the minutes):" in shown
    assert f"• {silent.name}" in shown
    other = to.reachable[1]
    assert f"• {other.name} – {other.address}" in shown

    next(
        a for a in at.text_area if a.label == "A short note to the recipients (optional)"
    ).set_value("Please read before Sunday")
    button = next(
        b for b in at.button if b.label == "Send" and b.form_id.startswith(f"minutes_mail_{mid}")
    )
    button.click().run()
    assert not at.exception, at.exception
    with db.transaction() as s:
        rows = list(
            s.scalars(select(OutboxMessage.to_address).where(OutboxMessage.kind == "minutes"))
        )
    n = len(to.reachable) - 1
    assert len(rows) == n and silent.address not in rows
    shown = texts(at)
    assert f"The minutes were sent to {n} recipients." in shown
    assert re.search(rf"Minutes sent on \S+ to {n} recipients\.", shown), shown


def test_a_member_is_not_offered_the_send(app_db: str) -> None:
    at = app_as("member", page="pages/forum.py", lang="en", locality=SEDEROT, state=MEETINGS)
    assert not at.exception, at.exception
    assert "Send the minutes by e\\-mail" not in [e.label for e in at.expander]


def test_the_e_mails_link_opens_its_locality_and_meeting(app_db: str) -> None:
    db = Database(app_db)
    oldest = meetings.list_meetings(db, demo_actor(db, "manager"), SEDEROT)[0]["id"]
    link = {"locality": str(SEDEROT), "meeting": str(oldest)}
    # Netivot was the manager's choice; the link names Sederot's oldest meeting
    at = app_as("manager", page="pages/forum.py", lang="en", locality=246, query=link)
    assert not at.exception, at.exception
    assert at.session_state["locality_code"] == SEDEROT
    assert at.session_state["forum_tabs_en"] == "Meetings and minutes"
    assert chosen_id(at.selectbox(key="forum_meeting_pick")) == oldest
    assert at.query_params == {}  # taken once: the pickers decide after that


def test_a_linked_locality_outside_the_scope_is_ignored(app_db: str) -> None:
    query = {"locality": "246"}  # Netivot: not the member's
    at = app_as("member", page="pages/forum.py", lang="en", locality=SEDEROT, query=query)
    assert not at.exception, at.exception
    assert at.session_state["locality_code"] == SEDEROT
