"""Meeting minutes in the source document's layout (forum-meeting-summary): title and date,
participants, absentees, guests, attached documents, agenda and issues discussed, decisions, tasks
with owners, next meeting dates; printed as PDF and Word by `employdash.reports.outline`.
"""

from __future__ import annotations

from employdash.forum.documents import describe
from employdash.forum.meetings import MeetingRecord, MinutesPerson
from employdash.i18n import fmt_date, t
from employdash.limits import (
    MAX_DOCUMENT_CHARS,
    MAX_DOCUMENT_LINES,
    document_line,
    strip_controls,
)
from employdash.reports import outline

DOCX_MIME = outline.DOCX_MIME


def _person(p: MinutesPerson) -> str:
    return " – ".join(x for x in (p["name"], p.get("role"), p.get("organisation")) if x)


def _lines(text: str) -> list[str]:
    """The non-blank lines of a multi-line text, split only at real line breaks (str.splitlines
    also splits at \x0b, \x1c..\x1e and \x85, which are control characters here)."""
    return [x for x in strip_controls(text, multiline=True).split("\n") if x.strip()]


def sections(record: MeetingRecord, lang: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """The title and (heading, lines) pairs both formats print, in the source's order."""
    title = t(
        "meet.minutes.title",
        lang,
        forum=record["forum"],
        team=record["team"],
        date=fmt_date(record["held_on"], lang),
    )
    corrected_on = record.get("corrected_on")  # a record built by hand may leave it out
    if corrected_on is not None:
        title = t("meet.minutes.corrected", lang, title=title, date=fmt_date(corrected_on, lang))
    number = record["number"]
    agenda = [*([t("meet.minutes.number", lang, n=number)] if number else []), *record["agenda"]]
    tasks = [
        t(
            "meet.minutes.task",
            lang,
            title=x["title"],
            owner=x["owner"] or "—",
            due=fmt_date(x["due_date"], lang),
        )
        for x in record["tasks"]
    ]
    attachments = [
        f"{a['title']} ({a['url']})" if a["url"] else a["title"] for a in record["attachments"]
    ]
    documents = record.get("documents", [])  # a record built by hand may leave them out
    parts = [
        (t("meet.minutes.present", lang), [_person(p) for p in record["present"]]),
        (t("meet.minutes.absent", lang), [_person(p) for p in record["absent"]]),
        (t("meet.minutes.guests", lang), [_person(g) for g in record["guests"]]),
        (t("meet.minutes.attachments", lang), attachments),
        (
            t("record.minutes.documents", lang),
            [describe(d["filename"], d["kind"], d["size"], lang) for d in documents],
        ),
        (t("meet.minutes.agenda", lang), agenda),
        (t("meet.minutes.issues", lang), _lines(record["issues"])),
        (t("meet.minutes.decisions", lang), record["decisions"]),
        (t("meet.minutes.tasks", lang), tasks),
        (t("meet.minutes.next", lang), [fmt_date(d, lang) for d in record["next_dates"]]),
    ]
    return document_line(title), _bounded([(h, lines) for h, lines in parts if lines], lang)


def _bounded(parts: list[tuple[str, list[str]]], lang: str) -> list[tuple[str, list[str]]]:
    """Every line cleaned and cut to a paragraph's limit; the document cut, with a note saying
    so, once it holds MAX_DOCUMENT_CHARS characters or MAX_DOCUMENT_LINES lines."""
    budget, room = MAX_DOCUMENT_CHARS, MAX_DOCUMENT_LINES
    out: list[tuple[str, list[str]]] = []
    for heading, lines in parts:
        kept: list[str] = []
        out.append((heading, kept))
        for line in lines:
            text = document_line(line)
            if len(text) > budget or room == 0:
                kept.append(t("meet.minutes.truncated", lang))
                return out
            budget, room = budget - len(text), room - 1
            kept.append(text)
    return out


def pdf(record: MeetingRecord, lang: str) -> bytes:
    return outline.pdf(*sections(record, lang), lang)


def docx(record: MeetingRecord, lang: str) -> bytes:
    return outline.docx(*sections(record, lang), lang)
