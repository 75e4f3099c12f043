"""Bounds on everything a user can hand the app: text fields, uploaded files, generated documents.

One place declares them so forms and imports refuse the same things: the command pipeline
bounds every text a command declares with `FIELDS`, and `clean_text` is the boundary for other
user text (a search, a text inside a change). Both remove control characters (they break the Word
export and hide text on screen), keep line breaks and tabs only where a field is multi-line,
strip surrounding space, and refuse text over the field's limit with a `ValidationError` whose
message names the limit in the user's language. The limits sit at or
below the database columns' lengths (a test checks that), so no database ever truncates or fails.
"""

from __future__ import annotations

import re
from collections.abc import Sized
from dataclasses import dataclass

from employdash.errors import ValidationError

TOO_LONG = "validation.too_long_max"
TOO_MANY = "validation.too_many_max"
# Items of one list in a form (agenda items, decisions, guests, tasks, attendance rows).
MAX_MEETING_ITEMS = 500
# A meeting form's draft, as JSON: a long meeting's form fits many times over.
MAX_DRAFT_CHARS = 500_000


@dataclass(frozen=True)
class TextLimit:
    max_len: int
    multiline: bool = False


# "entity/field" -> limit ("entity.field" would read as a catalogue key). Column lengths in
# employdash/models bound the single-line ones.
FIELDS: dict[str, TextLimit] = {
    "organisation/name": TextLimit(200),
    "person/full_name": TextLimit(160),
    "person/job_title": TextLimit(160),
    "person/email": TextLimit(200),
    "person/phone": TextLimit(40),
    "user/full_name": TextLimit(160),
    "user/email": TextLimit(200),
    "indicator/name": TextLimit(160),
    "indicator/source": TextLimit(120),
    "forum/focus_title": TextLimit(200),
    "forum/focus_description": TextLimit(4_000, multiline=True),
    "forum/name": TextLimit(200),
    "forum/team_name": TextLimit(200),
    "forum/metric_name": TextLimit(200),
    "forum/metric_unit": TextLimit(20),
    "forum/milestone_note": TextLimit(4_000, multiline=True),
    "forum/milestone_link_title": TextLimit(200),
    "forum/milestone_link_url": TextLimit(500),
    "forum/approval_note": TextLimit(2_000, multiline=True),
    "task/title": TextLimit(300),
    "task/note": TextLimit(4_000, multiline=True),
    "programme/note": TextLimit(4_000, multiline=True),
    "meeting/agenda_item": TextLimit(500),
    "meeting/issues": TextLimit(20_000, multiline=True),
    "meeting/decision": TextLimit(4_000, multiline=True),
    "decision/outcome": TextLimit(4_000, multiline=True),
    "meeting/guest_name": TextLimit(160),
    "meeting/guest_organisation": TextLimit(200),
    "meeting/attachment_title": TextLimit(200),
    "meeting/attachment_url": TextLimit(500),
    "planned_meeting/place": TextLimit(300),
    "planned_meeting/online_url": TextLimit(500),
    "planned_meeting/agenda_topic": TextLimit(300),
    "planned_meeting/agenda_presenter": TextLimit(160),
    "planned_meeting/guest_name": TextLimit(160),
    "planned_meeting/guest_email": TextLimit(200),
    "planned_meeting/cancel_reason": TextLimit(1_000, multiline=True),
    "meeting/delete_reason": TextLimit(300),
    "meeting/minutes_note": TextLimit(1_000, multiline=True),
    "stakeholder/role": TextLimit(160),
    "stakeholder/notes": TextLimit(4_000, multiline=True),
    "stakeholder/relation_note": TextLimit(300),
    "profile/text": TextLimit(4_000, multiline=True),
    "profile/program": TextLimit(200),
    "survey/company": TextLimit(200),
    "survey/location": TextLimit(200),
    "survey/profession": TextLimit(120),
    "survey/training_need": TextLimit(120),
    "survey/contact_name": TextLimit(160),
    "survey/contact_phone": TextLimit(40),
    "survey/contact_email": TextLimit(200),
    "mentoring/program_name": TextLimit(200),
    "mentoring/cohort_name": TextLimit(120),
    "mentoring/participant_code": TextLimit(20),
    "mentoring/pipeline_code": TextLimit(30),
    "mentoring/pipeline_label": TextLimit(120),
    "mentoring/session_note": TextLimit(500, multiline=True),
    "mentoring/standard_code": TextLimit(30),
    "mentoring/standard_name": TextLimit(200),
    "mentoring/gap_note": TextLimit(500, multiline=True),
    "document/filename": TextLimit(200),
    "person/delete_reason": TextLimit(300),
    "import/filename": TextLimit(255),  # most file systems' longest name
}

# C0/C1 controls, lone surrogates and the Unicode noncharacters (U+FDD0..U+FDEF, U+xFFFE/F).
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_SINGLE_LINE_SPACE = re.compile("[\t\n\r\u2028\u2029]+")


def strip_controls(text: str, *, multiline: bool = False) -> str:
    """`text` without control characters; line breaks and tabs stay only when `multiline`
    (as `\\n`), elsewhere they become one space."""
    if multiline:
        return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))
    return _CONTROLS.sub("", _SINGLE_LINE_SPACE.sub(" ", text))


# The same, but for tab and the line breaks: what a text cell of an export may hold as it is.
_CONTROLS_BUT_BREAKS = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]"
)


def printable(text: str) -> str:
    """`text` without the control characters no file format holds (an Excel or Word cell refuses
    them, a UTF-8 file cannot carry a lone surrogate); tab, CR and LF stay as they are."""
    return _CONTROLS_BUT_BREAKS.sub("", text)


def too_long(field: str, max_len: int) -> ValidationError:
    return ValidationError(
        {field: TOO_LONG}, f"{field}: over {max_len} characters", {field: {"max": max_len}}
    )


def clean_text(
    value: object, field: str, max_len: int | None = None, *, multiline: bool | None = None
) -> str:
    """The text of `value` cleaned for storage ("" for None), or a `ValidationError` naming
    `field` when it is longer than `max_len`. `field` may be a key of FIELDS ("task/title"),
    which gives the limit and whether line breaks stay; explicit arguments win."""
    declared = FIELDS.get(field)
    limit = max_len if max_len is not None else declared.max_len if declared else None
    if limit is None:
        raise KeyError(f"no length limit declared for {field!r}")
    lines = multiline if multiline is not None else bool(declared and declared.multiline)
    text = strip_controls("" if value is None else str(value), multiline=lines).strip()
    if len(text) > limit:
        raise too_long(field.rsplit("/", 1)[-1] if declared else field, limit)
    return text


def check_count(items: Sized, field: str, max_items: int) -> None:
    """Refuse a list (agenda items, decisions, ...) longer than `max_items`."""
    if len(items) > max_items:
        raise ValidationError(
            {field: TOO_MANY}, f"{field}: over {max_items} items", {field: {"max": max_items}}
        )


# --- uploads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadLimits:
    """What one uploaded file may hold. Excel files are zip archives whose contents can expand a
    thousandfold, so the expanded size is checked before anything is parsed, and rows are
    counted while the sheet is streamed."""

    max_bytes: int
    max_rows: int
    max_unzipped_bytes: int
    max_columns: int = 200
    max_cell_chars: int = 10_000  # an Excel cell; a CSV cell stops at the csv module's limit


MIB = 1024 * 1024
# Employer surveys and mentoring files: a few thousand rows at most.
FORM_UPLOAD = UploadLimits(max_bytes=10 * MIB, max_rows=20_000, max_unzipped_bytes=64 * MIB)
# Indicator files: the benchmark imports a million-row CSV; Excel itself stops at 1,048,576 rows
# but the published wide tables are a row per locality and month (tens of thousands).
INDICATOR_UPLOAD = UploadLimits(
    max_bytes=200 * MIB, max_rows=2_500_000, max_unzipped_bytes=128 * MIB
)
# Rows an Excel sheet may hold (streaming it costs about 40 µs a row).
MAX_EXCEL_ROWS = 150_000


# --- generated documents ------------------------------------------------------------------------

# A PDF lays out about 5,000 characters a second (HarfBuzz shaping, line breaking), so a
# document holds at most this many characters and paragraphs, and a paragraph at most this many
# characters: a meeting of 2 MB of text (or one saved before these limits) prints in seconds.
MAX_DOCUMENT_LINE = 2_000
MAX_DOCUMENT_CHARS = 24_000
MAX_DOCUMENT_LINES = 400
ELLIPSIS = "…"
# A file attached to an e-mail: well under what mail servers accept (often 10-25 MB, counted
# after base64 grows it by a third); the documents made above stay far below it.
MAX_MAIL_ATTACHMENT_BYTES = 5 * MIB


def document_line(text: object) -> str:
    """One paragraph of a generated document: no control characters (they are not allowed in
    a Word document's XML) and at most MAX_DOCUMENT_LINE characters."""
    line = strip_controls("" if text is None else str(text)).strip()
    return line if len(line) <= MAX_DOCUMENT_LINE else line[:MAX_DOCUMENT_LINE] + ELLIPSIS


# --- documents attached to forum records ----------------------------------------------------------

# A document attached to a meeting, milestone, focus or task: a plan, slides, a signed protocol.
# Stored in the database (backups and replicas carry it), so bounded per file and per record.
MAX_DOCUMENT_BYTES = 10 * MIB
MAX_DOCUMENTS_PER_RECORD = 30
