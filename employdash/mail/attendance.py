"""The warning two days before a meeting that too few of its team's members are expected.

Expected are the team's current members who are invited and have not answered "not coming":
those coming, those who said maybe and those who have not answered yet. A member who said "not
coming", or who is not invited, lowers the expected attendance; guests do not count (the forum's
rule is about its members). Below two-thirds of the members (the line forum health measures held
meetings by), each manager of the forum with an e-mail is warned, once a day: the scheduled run
that calls `warnings_due` may run again the same day and adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.forum.health import ATTENDANCE_LINE
from employdash.forum.structure import current_membership
from employdash.i18n import fmt_number, fmt_percent, t
from employdash.mail import layout
from employdash.mail.invitations import isolate, valid_address, when
from employdash.mail.message import one_line
from employdash.mail.outbox import Mail
from employdash.models.core import Locality, User, UserLocality
from employdash.models.forum import Forum, Invitee, Membership, PlannedMeeting, Team

WARNING_DAYS = 2
KIND = "attendance_warning"


@dataclass(frozen=True)
class ExpectedAttendance:
    """The team's current members by their answer to the invitation."""

    members: int
    coming: int
    maybe: int
    unanswered: int
    not_coming: int
    not_invited: int

    @property
    def expected(self) -> int:
        return self.coming + self.maybe + self.unanswered

    @property
    def share(self) -> float | None:
        return self.expected / self.members if self.members else None

    @property
    def below_line(self) -> bool:
        return self.share is not None and self.share < ATTENDANCE_LINE


def expected_attendance(session: Session, planned: PlannedMeeting) -> ExpectedAttendance:
    members = set(
        session.scalars(
            select(Membership.person_id).where(
                Membership.team_id == planned.team_id, current_membership(planned.on_date)
            )
        )
    )
    answers = {
        person_id: answer
        for person_id, answer in session.execute(
            select(Invitee.person_id, Invitee.answer).where(
                Invitee.planned_meeting_id == planned.id, Invitee.person_id.in_(members)
            )
        )
    }
    counted = list(answers.values())
    return ExpectedAttendance(
        members=len(members),
        coming=counted.count("coming"),
        maybe=counted.count("maybe"),
        unanswered=counted.count(None),
        not_coming=counted.count("not_coming"),
        not_invited=len(members) - len(answers),
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


@dataclass(frozen=True)
class LowAttendance:
    """A planned meeting expected under the line, with what its warning names."""

    planned: PlannedMeeting
    team: Team
    forum: Forum
    locality: Locality
    outlook: ExpectedAttendance


def _warning(low: LowAttendance, manager: User, address: str, today: date) -> Mail:
    lang = manager.language
    times = when(low.planned, lang)
    place = low.locality.name_he if lang == "he" else low.locality.name_en
    counts = [
        ("mail.attendance.coming", low.outlook.coming),
        ("mail.attendance.maybe", low.outlook.maybe),
        ("mail.attendance.unanswered", low.outlook.unanswered),
        ("mail.attendance.not_coming", low.outlook.not_coming),
        ("mail.attendance.not_invited", low.outlook.not_invited),
    ]
    blocks: list[layout.Block] = [
        layout.Paragraph(
            t(
                "mail.attendance.intro",
                lang,
                team=isolate(low.team.name),
                forum=isolate(low.forum.name),
                expected=fmt_number(low.outlook.expected, lang),
                members=fmt_number(low.outlook.members, lang),
                share=fmt_percent(low.outlook.share, lang, 0),
                **times,
            )
        ),
        layout.Items(
            t("mail.attendance.answers", lang),
            [(t(key, lang, n=fmt_number(n, lang)), None) for key, n in counts],
        ),
        layout.Paragraph(t("mail.attendance.rule", lang)),
        layout.Button(t("mail.attendance.open", lang), layout.link("/forum")),
    ]
    text, html = layout.render(
        lang,
        t("mail.attendance.title", lang),
        blocks,
        footer=[t("mail.attendance.footer", lang, locality=place)],
    )
    return Mail(
        kind=KIND,
        to_address=address,
        to_name=one_line(manager.full_name),
        language=lang,
        subject=one_line(t("mail.attendance.subject", lang, team=isolate(low.team.name), **times)),
        text_body=text,
        html_body=html,
        locality_code=low.forum.locality_code,
        dedupe_key=f"attendance:{low.planned.id}:{today.isoformat()}:user:{manager.id}",
    )


def warnings_due(session: Session, today: date) -> list[Mail]:
    """A warning to each manager with an e-mail of every forum whose planned meeting in
    `WARNING_DAYS` days expects fewer than two-thirds of its team's members. `today` is the local
    date of the run; a second run the same day builds the same dedupe keys, which the outbox
    refuses."""
    mails = []
    planned_meetings = session.scalars(
        select(PlannedMeeting)
        .where(
            PlannedMeeting.on_date == today + timedelta(days=WARNING_DAYS),
            PlannedMeeting.status == "planned",
        )
        .order_by(PlannedMeeting.id)
    )
    for planned in planned_meetings:
        outlook = expected_attendance(session, planned)
        if not outlook.below_line:
            continue
        forum = session.get_one(Forum, planned.forum_id)
        low = LowAttendance(
            planned,
            session.get_one(Team, planned.team_id),
            forum,
            session.get_one(Locality, forum.locality_code),
            outlook,
        )
        for manager in _managers(session, forum.locality_code):
            address = valid_address(manager.email)
            if address is not None:
                mails.append(_warning(low, manager, address, today))
    return mails
