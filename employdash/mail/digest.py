"""The mayor's weekly digest: for each leadership user with an e-mail who has not stopped it, one
e-mail per locality in their scope with the briefing's figures, forum, mentoring and attention
items, the briefing PDF attached and a button to the briefing page.

It is built from the same read the briefing page makes (`build_briefing` as that user's
`Actor`), so the role, the scope and the small-cell suppression are exactly the app's: a digest
shows nothing its reader could not see on the page. Its dedupe key names the user, the locality
and the week (`reminders.week_of`: Sunday to Saturday), so a second run of the same week
enqueues nothing new.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.access import LEADERSHIP, Actor
from employdash.briefing.attention import MAX_ATTENTION
from employdash.briefing.build import Briefing, build_briefing
from employdash.briefing.pdf import briefing_download, forum_lines, mentoring_lines
from employdash.briefing.text import (
    attention_text,
    fmt_signed_change,
    fmt_value,
    sentences,
    stale_text,
)
from employdash.config import get_config
from employdash.db import Database
from employdash.errors import DomainError
from employdash.forum.meetings import list_meetings
from employdash.i18n import fmt_date, fmt_month, fmt_percent, t
from employdash.limits import MAX_MAIL_ATTACHMENT_BYTES
from employdash.mail import layout, preferences
from employdash.mail.in_session import SessionDatabase
from employdash.mail.outbox import Attachment, Mail
from employdash.mail.reminders import week_of
from employdash.models import User
from employdash.models.mail import OutboxMessage
from employdash.users import load_actor

LOG = logging.getLogger(__name__)
KIND = "digest"
_COLUMNS = (
    "brief.col.indicator",
    "brief.col.value",
    "mail.digest.col.month",
    "brief.col.year",
    "brief.col.district",
)


def _dedupe_key(user_id: int, locality_code: int, today: date) -> str:
    return f"{KIND}:{user_id}:{locality_code}:{week_of(today)}"


def _queued(s: Session, today: date) -> set[str]:
    """This week's digests already in the outbox: a run repeated (or resumed after a failure)
    builds only the missing ones."""
    return set(
        s.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.kind == KIND,
                OutboxMessage.dedupe_key.endswith(f":{week_of(today)}"),
            )
        )
    )


def _readers(s: Session) -> list[tuple[int, str, str]]:
    """(user id, username, address) of each active leadership user with a valid e-mail who has
    not stopped the digest (by the unsubscribe link of the account or of its person)."""
    stopped = preferences.stopped(s, "digest_off").user_ids
    found = []
    for user in s.scalars(
        select(User)
        .where(User.role == LEADERSHIP, User.active.is_(True), User.id.not_in(sorted(stopped)))
        .order_by(User.id)
    ):
        try:
            address = validate_email(user.email or "", check_deliverability=False).normalized
        except EmailNotValidError:
            continue
        found.append((user.id, user.username, str(address)))
    return found


def _headline_table(briefing: Briefing, lang: str) -> layout.Table:
    rows = [
        [
            h.name(lang),
            fmt_value(h.unit, h.value, lang),
            fmt_signed_change(h.unit, h.mom, lang),
            fmt_signed_change(h.unit, h.yoy, lang),
            fmt_signed_change(h.unit, h.district_yoy, lang),
        ]
        for h in briefing.headlines
    ]
    caption = t(
        "brief.caption",
        lang,
        month=fmt_month(briefing.period, lang),
        district=briefing.district(lang),
    )
    return layout.Table(caption, [t(key, lang) for key in _COLUMNS], rows)


def _last_meeting(db: Database, actor: Actor, briefing: Briefing, today: date, lang: str) -> str:
    """The forum's last meeting held by `today` and its attendance (expected, present)."""
    held = [m for m in list_meetings(db, actor, briefing.locality_code) if m["held_on"] <= today]
    if not held:
        return t("mail.digest.no_meeting_held", lang)
    last = held[-1]
    return t(
        "mail.digest.last_meeting",
        lang,
        date=fmt_date(last["held_on"], lang),
        present=last["present"],
        expected=last["expected"],
        rate=fmt_percent(last["rate"], lang, 0),
    )


def _blocks(
    db: Database, actor: Actor, briefing: Briefing, today: date, lang: str, threshold: int
) -> list[layout.Block]:
    blocks: list[layout.Block] = []
    if briefing.headlines:
        blocks.append(_headline_table(briefing, lang))
        stale = stale_text(briefing, lang)
        if stale:
            blocks.append(layout.Paragraph(stale))
        blocks.append(
            layout.Items(
                t("brief.section.summary", lang), [(x, None) for x in sentences(briefing, lang)]
            )
        )
    else:
        blocks.append(layout.Paragraph(t("brief.no_data", lang)))
    forum = forum_lines(briefing, lang)
    if briefing.forum is not None:
        forum.insert(0, _last_meeting(db, actor, briefing, today, lang))
    blocks.append(layout.Items(t("brief.section.forum", lang), [(x, None) for x in forum]))
    blocks.append(
        layout.Items(
            t("brief.section.mentoring", lang),
            [(x, None) for x in mentoring_lines(briefing, lang, threshold)],
        )
    )
    attention = [attention_text(i, briefing, lang) for i in briefing.attention[:MAX_ATTENTION]]
    blocks.append(
        layout.Items(
            t("brief.section.attention", lang),
            [(x, None) for x in attention or [t("brief.attention.none", lang)]],
        )
    )
    blocks.append(
        layout.Button(
            t("mail.digest.open", lang),
            layout.link("/briefing", locality=str(briefing.locality_code)),
        )
    )
    return blocks


# PDFs made in one run, by locality and language, with the briefing each shows: readers of the
# same locality and language who read the same briefing share one (it is most of a digest's cost).
PdfsMade = dict[tuple[int, str], tuple[Briefing, bytes]]


def _pdf(briefing: Briefing, lang: str, today: date, threshold: int, made: PdfsMade) -> bytes:
    key = (briefing.locality_code, lang)
    if key in made and made[key][0] == briefing:
        return made[key][1]
    pdf = briefing_download(briefing, lang, today, threshold)
    made[key] = (briefing, pdf)
    return pdf


def digest_mail(
    db: Database,
    actor: Actor,
    address: str,
    token: str,
    locality_code: int,
    today: date,
    made: PdfsMade | None = None,
) -> Mail:
    """One leadership user's digest of one locality, read as that user."""
    lang = actor.language
    threshold = int(get_config().SUPPRESSION_THRESHOLD)
    briefing = build_briefing(db, actor, locality_code, today)
    blocks = _blocks(db, actor, briefing, today, lang, threshold)
    title = t("mail.digest.subject", lang, name=briefing.name(lang), date=fmt_date(today, lang))
    pdf = _pdf(briefing, lang, today, threshold, {} if made is None else made)
    attachments: tuple[Attachment, ...] = ()
    if len(pdf) <= MAX_MAIL_ATTACHMENT_BYTES:
        month = briefing.period or today
        name = f"briefing-{locality_code}-{month:%Y-%m}-{lang}.pdf"
        attachments = (Attachment(name, "application/pdf", pdf),)
    else:
        blocks.insert(0, layout.Paragraph(t("mail.digest.pdf_too_large", lang)))
    unsubscribe = layout.link(layout.UNSUBSCRIBE_PATH, token=token)
    footer = [t("mail.digest.why", lang), t("mail.digest.unsubscribe", lang, url=unsubscribe)]
    return layout.compose(
        KIND,
        layout.Recipient(address, actor.full_name, lang),
        title,
        blocks,
        footer,
        locality_code=locality_code,
        headers=layout.unsubscribe_headers(token),
        attachments=attachments,
        dedupe_key=_dedupe_key(actor.user_id, locality_code, today),
    )


def _digests(s: Session, today: date) -> Iterator[Mail]:
    db = SessionDatabase(s)
    queued = _queued(s, today)
    made: PdfsMade = {}
    for user_id, username, address in _readers(s):
        actor = load_actor(db, username)
        if actor is None or actor.localities is None:
            continue
        token = preferences.token_for(s, user_id=user_id)
        for code in sorted(actor.localities):
            if _dedupe_key(user_id, code, today) in queued:
                continue
            try:
                yield digest_mail(db, actor, address, token, code, today, made)
            except DomainError:  # a locality no longer served: the others still go
                LOG.exception("weekly digest of locality %s for user %s not made", code, user_id)


def weekly_digests(s: Session, today: date) -> list[Mail]:
    """This week's digests (the Israeli work week of `today`, as the scheduled run's period),
    for the caller to enqueue; a scheduled kind's builder (`schedule.ScheduledKind`). Every read
    runs in `s`, the run's transaction, which also makes the unsubscribe tokens the mails name.
    A digest already queued this week is not built again."""
    return list(_digests(s, today))
