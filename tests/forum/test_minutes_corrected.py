"""The minutes say when a meeting's record was corrected, in both formats and both languages."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from employdash.access import Actor
from employdash.db import Database
from employdash.forum import meeting_edits, meetings, minutes
from employdash.i18n import fmt_date
from tests.forum.test_meetings import _input

pytestmark = pytest.mark.rolled_back

CORRECTED = {"he": "תוקן ב-", "en": "corrected on"}


def _texts(record: meetings.MeetingRecord, lang: str) -> tuple[str, str]:
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes.pdf(record, lang))).pages)
    word = "\n".join(
        p.text for p in WordDocument(io.BytesIO(minutes.docx(record, lang))).paragraphs
    )
    return pdf, word


@pytest.mark.parametrize("lang", ["he", "en"])
def test_minutes_say_when_they_were_corrected(
    db: Database, actors: dict[str, Actor], lang: str
) -> None:
    manager = actors["manager"]
    mid = meetings.save_meeting(db, manager, _input(db, manager, actors["member"].person_id))
    record = meetings.meeting_record(db, manager, mid)
    assert record["corrected_on"] is None
    pdf, word = _texts(record, lang)
    assert CORRECTED[lang] not in word
    assert "corrected" not in pdf

    data, version = meeting_edits.meeting_input(db, manager, mid)
    data.decisions = [*data.decisions, "Open a youth desk"]
    meeting_edits.correct_meeting(db, manager, mid, version, data)

    record = meetings.meeting_record(db, manager, mid)
    assert record["corrected_on"] == datetime.now(UTC).date()
    day = fmt_date(datetime.now(UTC).date(), lang)
    pdf, word = _texts(record, lang)
    assert f"{CORRECTED[lang]}{'' if lang == 'he' else ' '}{day}" in word
    assert day in pdf
    if lang == "en":
        assert f"corrected on {day}" in pdf
