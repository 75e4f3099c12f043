"""The mayor's weekly digest: for each leadership user with an e-mail who has not stopped it, one
e-mail per locality in their scope with the briefing's figures, forum, mentoring and attention
items, the briefing PDF attached and a button to the briefing page.

It is built from the same read the briefing page makes (`build_briefing` as that user's
`Actor`), so the role, the scope and the small-cell suppression are exactly the app's: a digest
shows nothing its reader could not see on the page. Its dedupe key names the user, the locality
and the ISO week, so a second run of the same week enqueues nothing new.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.access import LEADERSHIP, Actor
from employdash.briefing.build import Briefing, build_briefing
from employdash.briefing.pdf import MAX_ATTENTION, briefing_download, forum_lines, mentoring_lines
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
from employdash.mail import layout
from employdash.mail.outbox import Attachment, Mail
from employdash.models import User
from employdash.models.mail import MailPreference
from employdash.users import load_actor

LOG = logging.getLogger(__name__)
KIND = "digest"
UNSUBSCRIBE_PATH = "/mail/unsubscribe"
_COLUMNS = (
    "brief.col.indicator",
    "brief.col.value",
    "mail.digest.col.month",
    "brief.col.year",
    "brief.col.district",
)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _readers(s: Session) -> list[tuple[int, str, str]]:
    """(user id, username, address) of each active leadership user with a valid e-mail who has
    not stopped the digest."""
    stopped = select(MailPreference.user_id).where(
        MailPreference.digest_off.is_(True), MailPreference.user_id.is_not(None)
    )
    found = []
    for user in s.scalars(
        select(User)
        .where(User.role == LEADERSHIP, User.active.is_(True), User.id.not_in(stopped))
        .order_by(User.id)
    ):
        try:
            address = validate_email(user.email or "", check_deliverability=False).normalized
        except EmailNotValidError:
            continue
        found.append((user.id, user.username, str(address)))
    return found


def _tokens(s: Session, user_ids: list[int]) -> dict[int, str]:
    """Each user's unsubscribe token, made for those who have none yet."""
    tokens: dict[int, str] = {
        int(user_id): token
        for user_id, token in s.execute(
            select(MailPreference.user_id, MailPreference.token).where(
                MailPreference.user_id.in_(user_ids)
            )
        )
        if user_id is not None
    }
    for user_id in user_ids:
        if user_id not in tokens:
            tokens[user_id] = secrets.token_urlsafe(32)
            s.add(MailPreference(user_id=user_id, token=tokens[user_id]))
    return tokens


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


def digest_mail(
    db: Database, actor: Actor, address: str, token: str, locality_code: int, today: date
) -> Mail:
    """One leadership user's digest of one locality, read as that user."""
    lang = actor.language
    threshold = int(get_config().SUPPRESSION_THRESHOLD)
    briefing = build_briefing(db, actor, locality_code, today)
    blocks = _blocks(db, actor, briefing, today, lang, threshold)
    title = t("mail.digest.subject", lang, name=briefing.name(lang), date=fmt_date(today, lang))
    pdf = briefing_download(briefing, lang, today, threshold)
    attachments: tuple[Attachment, ...] = ()
    if len(pdf) <= MAX_MAIL_ATTACHMENT_BYTES:
        month = briefing.period or today
        name = f"briefing-{locality_code}-{month:%Y-%m}-{lang}.pdf"
        attachments = (Attachment(name, "application/pdf", pdf),)
    else:
        blocks.insert(0, layout.Paragraph(t("mail.digest.pdf_too_large", lang)))
    unsubscribe = layout.link(UNSUBSCRIBE_PATH, token=token)
    footer = [t("mail.digest.why", lang), t("mail.digest.unsubscribe", lang, url=unsubscribe)]
    text, html = layout.render(lang, title, blocks, footer)
    return Mail(
        kind=KIND,
        to_address=address,
        to_name=actor.full_name,
        language=lang,
        subject=title,
        text_body=text,
        html_body=html,
        locality_code=locality_code,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        attachments=attachments,
        dedupe_key=f"{KIND}:{actor.user_id}:{locality_code}:{iso_week(today)}",
    )


def _digests(
    db: Database, today: date, readers: list[tuple[int, str, str]], tokens: dict[int, str]
) -> Iterator[Mail]:
    for user_id, username, address in readers:
        actor = load_actor(db, username)
        if actor is None or actor.localities is None:
            continue
        for code in sorted(actor.localities):
            try:
                yield digest_mail(db, actor, address, tokens[user_id], code, today)
            except DomainError:  # a locality no longer served: the others still go
                LOG.exception("weekly digest of locality %s for user %s not made", code, user_id)


def weekly_digests(db: Database, today: date) -> list[Mail]:
    """This week's digests, for the caller to enqueue (`outbox.enqueue_all`, in its run's
    transaction). The unsubscribe tokens missing are made first, in a transaction of their own:
    a token with no mail sent harms nothing, and the briefing reads open their own."""
    with db.transaction() as s:
        readers = _readers(s)
        tokens = _tokens(s, [user_id for user_id, _, _ in readers])
    return list(_digests(db, today, readers, tokens))
