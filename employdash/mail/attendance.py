"""The e-mail two days before a meeting that too few of the people invited are expected.

Which meetings fall short is the forum's own rule (`planning.below_two_thirds`), the one the
forum page warns with, so the mail and the page always agree: the invited people (guests aside)
who answered coming or have not answered yet, against two-thirds of those invited; "maybe" and
"not coming" are not expected. The mail goes to each active manager of the forum's locality with
an e-mail, for a meeting exactly `WARNING_DAYS` ahead, once a day: the scheduled run that calls
`warnings_due` may run again the same day and adds nothing (the dedupe key names the day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.forum.planning import WARNING_DAYS, Shortfall, below_two_thirds
from employdash.i18n import fmt_number, t
from employdash.mail import layout
from employdash.mail.invitations import isolate, valid_address, when
from employdash.mail.outbox import Mail
from employdash.models.core import Locality, User, UserLocality
from employdash.models.forum import Forum, Invitee, PlannedMeeting, Team

KIND = "attendance_warning"
ANSWERS = ("coming", None, "maybe", "not_coming")  # the order the mail lists them in
ANSWER_KEYS = {
    "coming": "mail.attendance.coming",
    None: "mail.attendance.unanswered",
    "maybe": "mail.attendance.maybe",
    "not_coming": "mail.attendance.not_coming",
}


@dataclass(frozen=True)
class LowAttendance:
    """A planned meeting expected under the line, with what its warning names."""

    shortfall: Shortfall
    planned: PlannedMeeting
    team: Team
    forum: Forum
    locality: Locality
    answers: dict[str | None, int]  # the invited people's answers (guests aside), counted


def _low(session: Session, shortfall: Shortfall) -> LowAttendance:
    planned = session.get_one(PlannedMeeting, shortfall.planned_meeting_id)
    given = list(
        session.scalars(
            select(Invitee.answer).where(
                Invitee.planned_meeting_id == planned.id, Invitee.person_id.is_not(None)
            )
        )
    )
    forum = session.get_one(Forum, planned.forum_id)
    return LowAttendance(
        shortfall,
        planned,
        session.get_one(Team, planned.team_id),
        forum,
        session.get_one(Locality, forum.locality_code),
        {answer: given.count(answer) for answer in ANSWERS},
    )


def _managers(session: Session, locality_code: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(UserLocality, UserLocality.user_id == User.id)
            .where(
                User.role == "manager",
                User.active.is_(True),
                UserLocality.locality_code == locality_code,
            )
            .order_by(User.id)
        )
    )


def _warning(low: LowAttendance, manager: User, address: str, today: date) -> Mail:
    lang = manager.language
    times = when(low.planned, lang)
    place = low.locality.name_he if lang == "he" else low.locality.name_en
    attendance = low.shortfall.attendance
    blocks: list[layout.Block] = [
        layout.Paragraph(
            t(
                "mail.attendance.intro",
                lang,
                team=isolate(low.team.name),
                forum=isolate(low.forum.name),
                expected=fmt_number(attendance.expected, lang),
                invited=fmt_number(attendance.invited, lang),
                needed=fmt_number(attendance.needed, lang),
                **times,
            )
        ),
        layout.Items(
            t("mail.attendance.answers", lang),
            [
                (t(ANSWER_KEYS[answer], lang, n=fmt_number(low.answers[answer], lang)), None)
                for answer in ANSWERS
            ],
        ),
        layout.Paragraph(t("mail.attendance.rule", lang)),
        layout.Button(t("mail.attendance.open", lang), layout.link("/forum")),
    ]
    return layout.compose(
        KIND,
        layout.Recipient(address, manager.full_name, lang),
        t("mail.attendance.title", lang),
        blocks,
        [t("mail.attendance.footer", lang, locality=place)],
        subject=t("mail.attendance.subject", lang, team=isolate(low.team.name), **times),
        locality_code=low.forum.locality_code,
        dedupe_key=f"attendance:{low.planned.id}:{today.isoformat()}:user:{manager.id}",
    )


def warnings_due(session: Session, today: date) -> list[Mail]:
    """A warning to each manager with an e-mail of every planned meeting `WARNING_DAYS` days
    after `today` (the run's local date) that expects fewer than two-thirds of those invited.
    A second run the same day builds the same dedupe keys, which the outbox refuses."""
    day = today + timedelta(days=WARNING_DAYS)
    mails = []
    for shortfall in below_two_thirds(session, today, WARNING_DAYS):
        if shortfall.on_date != day:
            continue
        low = _low(session, shortfall)
        for manager in _managers(session, shortfall.locality_code):
            address = valid_address(manager.email)
            if address is not None:
                mails.append(_warning(low, manager, address, today))
    return mails
