"""The one layout of every e-mail: a message kind describes its content as blocks, and `render`
turns them into the plain-text part and the HTML part.

Every text is escaped here (`html.escape`), so no caller writes HTML and a name or a title typed
with `<script>` arrives as text. The HTML is what mail clients handle: one table-free column,
inline styles only (clients drop `<style>` and classes), `dir="rtl"` and `lang="he"` on the root
for Hebrew so the whole message reads right to left, and a button that is a plain link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from employdash.config import get_config
from employdash.mail.message import one_line
from employdash.mail.outbox import Attachment, Mail


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Button:
    label: str
    url: str


@dataclass(frozen=True)
class Items:
    """A list under an optional heading; each line is (text, link or None)."""

    heading: str | None
    lines: Sequence[tuple[str, str | None]]


@dataclass(frozen=True)
class Table:
    caption: str | None
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]


Block = Paragraph | Button | Items | Table

_FONT = "font-family:Arial,'Noto Sans Hebrew',sans-serif;font-size:15px;line-height:1.5"
_INK = "#1f2937"
_ACCENT = "#1d4ed8"  # 7.0:1 on white (WCAG AA for text)
_RULE = "border-top:1px solid #d1d5db"


def link(path: str, **query: str) -> str:
    """An address in the app for an e-mail: APP_URL, the page's path, its query."""
    base = str(get_config().APP_URL).rstrip("/")
    return f"{base}/{path.lstrip('/')}" + (f"?{urlencode(query)}" if query else "")


def _text_block(block: Block) -> str:
    match block:
        case Paragraph(text):
            return text
        case Button(label, url):
            return f"{label}: {url}"
        case Items(heading, lines):
            items = [f"- {text}" + (f" ({url})" if url else "") for text, url in lines]
            return "\n".join(([heading] if heading else []) + items)
        case Table(caption, headers, rows):
            table = [" | ".join(headers), *(" | ".join(row) for row in rows)]
            return "\n".join(([caption] if caption else []) + table)


def _cell(text: str, tag: str) -> str:
    return f'<{tag} style="padding:4px 8px;text-align:start;{_RULE}">{escape(text)}</{tag}>'


def _html_block(block: Block) -> str:
    match block:
        case Paragraph(text):
            lines = "<br>".join(escape(line) for line in text.splitlines())
            return f'<p style="margin:0 0 12px">{lines}</p>'
        case Button(label, url):
            return (
                f'<p style="margin:16px 0"><a href="{escape(url, quote=True)}" '
                f'style="display:inline-block;padding:10px 18px;background:{_ACCENT};'
                f'color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold">'
                f"{escape(label)}</a></p>"
            )
        case Items(heading, lines):
            items = "".join(
                "<li style='margin:0 0 6px'>"
                + (
                    f'<a href="{escape(url, quote=True)}" style="color:{_ACCENT}">'
                    f"{escape(text)}</a>"
                    if url
                    else escape(text)
                )
                + "</li>"
                for text, url in lines
            )
            head = (
                f'<h2 style="font-size:17px;margin:16px 0 8px">{escape(heading)}</h2>'
                if heading
                else ""
            )
            return head + f'<ul style="margin:0 0 12px">{items}</ul>'
        case Table(caption, headers, rows):
            cap = (
                f'<caption style="text-align:start;font-weight:bold">{escape(caption)}</caption>'
                if caption
                else ""
            )
            head = "<tr>" + "".join(_cell(h, "th") for h in headers) + "</tr>"
            body = "".join("<tr>" + "".join(_cell(c, "td") for c in row) + "</tr>" for row in rows)
            return (
                '<table role="table" style="border-collapse:collapse;margin:0 0 12px;width:100%">'
                f"{cap}<thead>{head}</thead><tbody>{body}</tbody></table>"
            )


def render(
    language: str, title: str, blocks: Sequence[Block], footer: Sequence[str] = ()
) -> tuple[str, str]:
    """(plain text, HTML) of one e-mail."""
    text = "\n\n".join([title, *(_text_block(b) for b in blocks), *footer]) + "\n"
    direction = "rtl" if language == "he" else "ltr"
    foot = "".join(
        f'<p style="margin:4px 0;font-size:13px;color:#4b5563">{escape(line)}</p>'
        for line in footer
    )
    html = (
        f'<!DOCTYPE html><html lang="{escape(language)}" dir="{direction}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{escape(title)}</title></head>"
        f'<body dir="{direction}" style="margin:0;padding:16px;background:#f3f4f6">'
        f'<div dir="{direction}" style="max-width:640px;margin:0 auto;padding:20px;'
        f'background:#ffffff;color:{_INK};{_FONT};text-align:start">'
        f'<h1 style="font-size:20px;margin:0 0 16px">{escape(title)}</h1>'
        + "".join(_html_block(b) for b in blocks)
        + (f'<div style="margin-top:20px;{_RULE};padding-top:8px">{foot}</div>' if foot else "")
        + "</div></body></html>"
    )
    return text, html


UNSUBSCRIBE_PATH = "/mail/unsubscribe"


def unsubscribe_headers(token: str) -> dict[str, str]:
    """One-click unsubscribe (RFC 8058): a mail client offers it beside the sender's name."""
    return {
        "List-Unsubscribe": f"<{link(UNSUBSCRIBE_PATH, token=token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@dataclass(frozen=True)
class Recipient:
    address: str
    name: str | None
    language: str


def compose(
    kind: str,
    to: Recipient,
    title: str,
    blocks: Sequence[Block],
    footer: Sequence[str] = (),
    *,
    subject: str | None = None,
    locality_code: int | None = None,
    headers: dict[str, str] | None = None,
    attachments: tuple[Attachment, ...] = (),
    dedupe_key: str | None = None,
) -> Mail:
    """One e-mail to `to` in their language, its blocks rendered; the subject is the title
    unless given, and it and the name are one line (they become headers)."""
    text, html = render(to.language, title, blocks, footer)
    return Mail(
        kind,
        to.address,
        one_line(to.name) if to.name else None,
        to.language,
        one_line(subject or title),
        text,
        html,
        locality_code,
        headers,
        attachments,
        dedupe_key,
    )
