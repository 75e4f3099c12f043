"""The e-mail layout: every text escaped, Hebrew right to left, the plain-text part complete."""

from __future__ import annotations

from html.parser import HTMLParser

from employdash.mail.layout import Block, Button, Items, Paragraph, Table, link, render

HOSTILE = '<script>alert("x")</script> & <img src=x>'


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.roots: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.roots.append(dict(attrs))


def _parse(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    return tags


def test_user_text_arrives_as_text_in_every_block() -> None:
    blocks: list[Block] = [
        Paragraph(HOSTILE),
        Button(HOSTILE, 'https://app.example/x?a=1&b="2"'),
        Items(HOSTILE, [(HOSTILE, "https://app.example/t"), (HOSTILE, None)]),
        Table(HOSTILE, [HOSTILE], [[HOSTILE]]),
    ]
    text, html = render("en", HOSTILE, blocks, footer=[HOSTILE])
    tags = _parse(html).tags
    assert "script" not in tags and "img" not in tags
    assert html.count("&lt;script&gt;") == 11  # title twice (<title>, <h1>), 8 in blocks, footer
    assert 'href="https://app.example/x?a=1&amp;b=&quot;2&quot;"' in html
    assert text.count(HOSTILE) == 10  # the title once in the text part


def test_hebrew_reads_right_to_left_and_english_left_to_right() -> None:
    _, hebrew = render("he", "זימון", [Paragraph("שלום")])
    _, english = render("en", "Invitation", [Paragraph("Hello")])
    assert _parse(hebrew).roots == [{"lang": "he", "dir": "rtl"}]
    assert _parse(english).roots == [{"lang": "en", "dir": "ltr"}]


def test_the_plain_text_part_holds_every_link_and_line() -> None:
    text, _ = render(
        "en",
        "Your tasks",
        [
            Paragraph("Two tasks are due.\nOne is late."),
            Items("Due", [("Call the employers", "https://app.example/tasks?task=4")]),
            Button("Open the app", "https://app.example/"),
        ],
        footer=["Stop these reminders: https://app.example/mail/unsubscribe?token=t"],
    )
    assert text.splitlines() == [
        "Your tasks",
        "",
        "Two tasks are due.",
        "One is late.",
        "",
        "Due",
        "- Call the employers (https://app.example/tasks?task=4)",
        "",
        "Open the app: https://app.example/",
        "",
        "Stop these reminders: https://app.example/mail/unsubscribe?token=t",
    ]


def test_links_start_at_the_app_address() -> None:
    from employdash.config import get_config

    base = str(get_config().APP_URL).rstrip("/")
    assert link("/rsvp", token="a b&c") == f"{base}/rsvp?token=a+b%26c"
    assert link("briefing") == f"{base}/briefing"
