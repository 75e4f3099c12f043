"""An outbox row as the MIME message the sender hands to SMTP.

Headers are set through `email.message.EmailMessage`, which refuses a line break in a header
value, and names and subjects are made one line first: a name or subject typed with a line break
cannot add a header (no header injection). A calendar invitation goes both as an alternative part
(`text/calendar; method=...`, which mail clients show with accept and decline buttons) and as an
`.ics` attachment (for those that only offer files).
"""

from __future__ import annotations

from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from employdash.limits import strip_controls
from employdash.models.mail import OutboxMessage


class _HeaderClasses(HeaderRegistry):
    """The standard header registry, each header class made once. The stock one makes a new
    class (`type(...)`) for every header set, parsed or folded: a sixth of what building and
    sending a message cost (profiled in benchmarks/bench_notify.py's run)."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[type, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> Any:
        kind = self.registry.get(name.lower(), self.default_class)
        if kind not in self._made:
            self._made[kind] = super().__getitem__(name)
        return self._made[kind]


# `refold_source="none"`: a header set with `set_raw` (see `_as_written`) goes out as written.
POLICY = SMTP.clone(header_factory=_HeaderClasses(), refold_source="none")
LONGEST_LINE = 998  # RFC 5322: a line may pass 78 characters, never 998


def _as_written(msg: EmailMessage, name: str, value: str) -> None:
    """A header of the app's own (List-Unsubscribe's link in angle brackets) exactly as written.
    Folded, a value longer than a line (an unsubscribe link with its token) goes out as RFC 2047
    encoded words, which no mail client reads in a structured header: no one-click unsubscribe.
    A value that is not ASCII still goes encoded."""
    if value.isascii() and len(name) + 2 + len(value) <= LONGEST_LINE:
        msg.set_raw(name, value)
    else:
        msg[name] = value


def one_line(text: str) -> str:
    """`text` as one line with no control characters (a header, a calendar's name)."""
    return " ".join(strip_controls(text).split())


def _parameters(content_type: str) -> tuple[str, str, dict[str, str]]:
    kind, *rest = (part.strip() for part in content_type.split(";"))
    maintype, _, subtype = kind.partition("/")
    params = dict(p.partition("=")[::2] for p in rest if "=" in p)
    return maintype, subtype, {k.strip(): v.strip().strip('"') for k, v in params.items()}


def message_id(row: OutboxMessage, mail_from: str) -> str:
    """Stable per outbox row: a message delivered twice by accident is one message to the
    receiving server (it may drop the copy), and tests can find it."""
    domain = mail_from.rpartition("@")[2] or "localhost"
    return f"<outbox-{row.id}@{domain}>"


def build(row: OutboxMessage, mail_from: str) -> EmailMessage:
    msg = EmailMessage(policy=POLICY)
    msg["From"] = mail_from
    msg["To"] = Address(display_name=one_line(row.to_name or ""), addr_spec=row.to_address)
    msg["Subject"] = one_line(row.subject)
    msg["Date"] = format_datetime(row.created_at)
    msg["Message-ID"] = message_id(row, mail_from)
    msg["Auto-Submitted"] = "auto-generated"
    for name, value in (row.headers or {}).items():
        _as_written(msg, one_line(name), one_line(str(value)))
    msg.set_content(row.text_body)
    if row.html_body:
        msg.add_alternative(row.html_body, subtype="html")
    for attachment in row.attachments:
        maintype, subtype, params = _parameters(attachment.content_type)
        if (maintype, subtype) == ("text", "calendar"):
            msg.add_alternative(
                attachment.content.decode("utf-8"), subtype="calendar", params=params
            )
    for attachment in row.attachments:
        maintype, subtype, params = _parameters(attachment.content_type)
        msg.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=params,
        )
    # Last: making the message multipart moves every Content-* header into its first part.
    msg["Content-Language"] = row.language
    return msg
