"""Every kind of message the mail package writes, and every scheduled kind, has a name in both
languages: the outbox page and its runs table show it."""

from __future__ import annotations

from employdash.i18n import has_key
from employdash.mail import attendance, digest, invitations, minutes, reminders, schedule

MESSAGE_KINDS = {
    *invitations.KINDS.values(),
    attendance.KIND,
    digest.KIND,
    minutes.KIND,
    reminders.REMINDER,
    reminders.SUMMARY,
}


def test_every_message_kind_is_named_in_the_catalogue() -> None:
    assert {kind.name for kind in schedule.KINDS} <= MESSAGE_KINDS
    assert [kind for kind in sorted(MESSAGE_KINDS) if not has_key(f"outbox.kind.{kind}")] == []
