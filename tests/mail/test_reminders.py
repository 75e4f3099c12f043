"""The owner's daily reminder and the manager's weekly summary, on both databases."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from employdash.access import Actor
from employdash.db import Database
from employdash.mail import preferences, reminders
from employdash.mail.message import build
from employdash.mail.outbox import Mail, enqueue_all
from employdash.models import Person, User
from employdash.models.forum import Decision, Forum, Meeting, Task, Team
from employdash.models.mail import MailPreference, OutboxMessage
from tests.forum.helpers import SEDEROT, forum_id
from tests.mail.planned import plenary, schedule, scheduled

pytestmark = pytest.mark.rolled_back

TODAY = date(2026, 12, 7)  # a Monday
TASK_LINK = re.compile(r"/tasks\?task=(\d+)")


def _task(db: Database, owner: int, title: str, due: date, status: str = "in_progress") -> int:
    with db.transaction() as s:
        task = Task(
            forum_id=forum_id(db), title=title, owner_person_id=owner, due_date=due, status=status
        )
        s.add(task)
        s.flush()
        return task.id


def _mine(db: Database, person_id: int) -> list[Mail]:
    with db.transaction() as s:
        mails = reminders.owner_reminders(s, TODAY)
    return [m for m in mails if m.dedupe_key == f"reminder:{person_id}:{TODAY.isoformat()}"]


def test_an_owner_gets_one_message_with_only_their_own_due_and_overdue_tasks(
    db: Database, actors: dict[str, Actor]
) -> None:
    me = actors["member"].person_id
    other = actors["manager"].person_id
    assert me is not None and other is not None
    soon = _task(db, me, "Call the college", TODAY + timedelta(days=1))
    late = _task(db, me, "Book the hall", TODAY - timedelta(days=5), "blocked")
    far = _task(db, me, "Plan next year", TODAY + timedelta(days=30))
    done = _task(db, me, "Print flyers", TODAY - timedelta(days=1), "done")
    cancelled = _task(db, me, "Old idea", TODAY, "cancelled")
    not_mine = _task(db, other, "Someone else's", TODAY + timedelta(days=1))

    [mail] = _mine(db, me)
    listed = {int(i) for i in TASK_LINK.findall(mail.text_body)}
    assert {soon, late} <= listed
    assert not {far, done, cancelled, not_mine} & listed
    with db.transaction() as s:  # every task listed is the owner's, open, due within the days
        rows = s.execute(
            select(Task.owner_person_id, Task.status, Task.due_date).where(Task.id.in_(listed))
        ).all()
    assert all(o == me and st not in ("done", "cancelled") for o, st, _ in rows)
    assert all(d is not None and d <= TODAY + timedelta(days=3) for _, _, d in rows)
    assert "Book the hall" in mail.text_body and "Call the college" in mail.text_body
    assert f"/tasks?task={soon}" in (mail.html_body or "")


def test_no_message_for_an_owner_with_nothing_due(db: Database, actors: dict[str, Actor]) -> None:
    me = actors["member"].person_id
    assert me is not None
    with db.transaction() as s:
        s.execute(update(Task).where(Task.owner_person_id == me).values(status="done"))
    _task(db, me, "Far away", TODAY + timedelta(days=20))
    assert _mine(db, me) == []


def test_the_message_is_in_the_owners_language(db: Database, actors: dict[str, Actor]) -> None:
    me = actors["member"].person_id
    assert me is not None
    _task(db, me, "Call the college", TODAY + timedelta(days=1))
    with db.transaction() as s:
        s.execute(update(User).where(User.username == "member").values(language="en"))
    [mail] = _mine(db, me)
    assert (mail.language, mail.subject.startswith("Reminder")) == ("en", True)
    with db.transaction() as s:
        s.execute(update(User).where(User.username == "member").values(language="he"))
    [mail] = _mine(db, me)
    assert mail.language == "he" and "תזכורת" in mail.subject


def test_one_message_a_day_and_a_new_one_the_next_day(
    db: Database, actors: dict[str, Actor]
) -> None:
    me = actors["member"].person_id
    assert me is not None
    _task(db, me, "Call the college", TODAY + timedelta(days=1))
    with db.transaction() as s:
        first = enqueue_all(s, reminders.owner_reminders(s, TODAY))
        again = enqueue_all(s, reminders.owner_reminders(s, TODAY))
        tomorrow = enqueue_all(s, reminders.owner_reminders(s, TODAY + timedelta(days=1)))
    assert first > 0 and again == 0 and tomorrow > 0
    with db.transaction() as s:
        keys = s.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.like(f"reminder:{me}:%")
            )
        ).all()
    assert sorted(k or "" for k in keys) == [
        f"reminder:{me}:{TODAY}",
        f"reminder:{me}:{TODAY + timedelta(1)}",
    ]


def test_unsubscribe_headers_carry_the_owners_token(db: Database, actors: dict[str, Actor]) -> None:
    me = actors["member"].person_id
    assert me is not None
    _task(db, me, "Call the college", TODAY + timedelta(days=1))
    with db.transaction() as s:
        enqueue_all(s, _mine(db, me))
        row = s.scalars(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"reminder:{me}:%"))
        ).one()
        token = s.scalar(select(MailPreference.token).where(MailPreference.person_id == me))
    assert token
    msg = build(row, "forum@city.example")
    assert msg["List-Unsubscribe"] == f"<http://localhost:8501/mail/unsubscribe?token={token}>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert token in row.text_body  # and the link is in the footer for people to click


def test_an_unsubscribed_owner_gets_no_reminder(db: Database, actors: dict[str, Actor]) -> None:
    me = actors["member"].person_id
    assert me is not None
    _task(db, me, "Call the college", TODAY + timedelta(days=1))
    with db.transaction() as s:
        token = preferences.token_for(s, person_id=me)
    assert preferences.set_stopped(db, token, stop=True) is not None
    assert _mine(db, me) == []
    preferences.set_stopped(db, token, stop=False)
    assert len(_mine(db, me)) == 1


def test_a_person_without_a_usable_address_gets_nothing(
    db: Database, actors: dict[str, Actor]
) -> None:
    me = actors["member"].person_id
    assert me is not None
    _task(db, me, "Call the college", TODAY + timedelta(days=1))
    for address in (None, "", "not an address"):
        with db.transaction() as s:
            s.execute(update(Person).where(Person.id == me).values(email=address))
        assert _mine(db, me) == []


def _manager_mail(db: Database, actor: Actor) -> Mail:
    with db.transaction() as s:
        mails = reminders.manager_summaries(s, TODAY)
    [mail] = [m for m in mails if m.dedupe_key == f"summary:{actor.user_id}:2026-W50"]
    return mail


def test_the_manager_summary_lists_overdue_tasks_and_open_decisions_by_team(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager, member = actors["manager"], actors["member"]
    assert member.person_id is not None
    with db.transaction() as s:  # a team that has held a meeting (decisions come from one)
        meeting = s.scalars(
            select(Meeting).where(Meeting.forum_id == forum_id(db)).order_by(Meeting.id)
        ).first()
        assert meeting is not None
        team = s.get(Team, meeting.team_id)
        assert team is not None
        team_id, team_name, meeting_id = team.id, team.name, meeting.id
    late = _task(db, member.person_id, "Late for the summary", TODAY - timedelta(days=4))
    soon = _task(db, member.person_id, "Not late yet", TODAY + timedelta(days=1))
    with db.transaction() as s:
        s.execute(update(Task).where(Task.id == late).values(team_id=team_id))
        s.add(Decision(meeting_id=meeting_id, text="Open the jobs fair in March"))
    mail = _manager_mail(db, manager)
    assert "Late for the summary" in mail.text_body and "Not late yet" not in mail.text_body
    assert f"/tasks?task={late}" in mail.text_body and f"task={soon}" not in mail.text_body
    # the task sits under its team's heading
    body = mail.text_body
    assert body.index(team_name) < body.index("Late for the summary")
    assert body.index(team_name) < body.index("Open the jobs fair in March")
    assert mail.headers and "List-Unsubscribe" in mail.headers
    with db.transaction() as s:  # only the forums of the manager's localities
        outside = s.scalars(
            select(Forum.name).where(Forum.locality_code.not_in(manager.localities or ()))
        ).all()
    assert SEDEROT in (manager.localities or ())
    assert outside and not [name for name in outside if name in body]


def test_the_summary_week_starts_on_sunday() -> None:
    sunday, saturday = date(2026, 12, 6), date(2026, 12, 12)
    assert reminders.week_of(sunday) == reminders.week_of(saturday) == "2026-W50"
    assert reminders.week_of(date(2026, 12, 5)) == "2026-W49"


def test_an_unsubscribed_owner_still_gets_their_invitations(db: Database) -> None:
    """Unsubscribing stops the scheduled mail, never a meeting's invitation."""
    p = plenary(db)
    with db.transaction() as s:
        token = preferences.token_for(s, person_id=p.member_person)
        address = s.scalar(select(Person.email).where(Person.id == p.member_person))
    preferences.set_stopped(db, token, stop=True)
    with db.transaction() as s:
        scheduled(s, schedule(s, p))
    with db.transaction() as s:
        kinds = s.scalars(select(OutboxMessage.kind).where(OutboxMessage.to_address == address))
        assert list(kinds) == ["invitation"]
