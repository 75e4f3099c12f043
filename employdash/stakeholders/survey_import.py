"""Employer survey import from CSV or Excel: read → validate every row → preview → commit.

The preview says how many rows were read, which would be added or revised, how many are already
stored unchanged, and every rejected row with its line number and reason. The commit writes all
accepted rows in one transaction (or nothing) and re-checks against the database, so importing
the same file twice changes nothing the second time.

The columns follow annex 2's questions, as the form does (English or Hebrew headers): company
(Q1), locality (CBS code or name; defaults to the chosen locality), survey_date, location (Q2),
branch (Q3), employee_count (Q4), recruitment_areas (Q5, ';'-separated localities),
has_vacancies (Q6), vacancies (Q7), open_positions (Q7's detail, "profession:count" or
"profession:count:ES code", ';'-separated), hiring_horizon (Q8), recruiting_help (Q8),
remote_work (Q9), training_offered (Q10, four levels), training_need (Q11, three levels),
training_needs (Q11's detail), service_contact (Q12: yes/no, or the older frequency none /
occasional / regular), satisfaction (Q13, 1-5), contact_consent (Q14), community_interest (Q15),
contact_name, contact_phone, contact_email (Q16). Choice columns take the code or its Hebrew or
English label; yes/no columns left empty mean "not asked". Files made for the older form still
import: `offers_training` yes/no and the older remote-work answers are read into the new scales.

A revision keeps the answers it overwrote: each revised response gets an audit row with the
fields before and after, and each employer the import creates gets one too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.access import Actor, Area, only, require_locality
from employdash.commands import Ref, Write, execute
from employdash.db import Database
from employdash.errors import NotFound, ValidationError
from employdash.handed_ids import in_scope
from employdash.i18n import t
from employdash.models import Locality
from employdash.models.stakeholders import TRAINING_OFFERED_LEGACY as TRAINING_LEGACY
from employdash.models.stakeholders import EmployerSurveyResponse
from employdash.reading import read_table, records
from employdash.stakeholders.common import StakeholderChange
from employdash.stakeholders.surveys import (
    CHOICES,
    SurveyInput,
    changes,
    clean_label,
    employer,
    find_employer,
    new_response,
    snapshot,
    validate,
)

HEADERS = {
    "company": ("company", "חברה", "שם החברה", "שם העסק"),
    "locality": ("locality", "locality_code", "יישוב", "ישוב", "סמל יישוב"),
    "survey_date": ("survey_date", "date", "תאריך", "תאריך הסקר"),
    "location": ("location", "מיקום", "מיקום העסק"),
    "branch": ("branch", "sector", "ענף"),
    "employee_count": ("employee_count", "employees", "מספר עובדים"),
    "recruitment_areas": ("recruitment_areas", "אזורי גיוס"),
    "open_positions": ("open_positions", "positions", "משרות פנויות"),
    "has_vacancies": ("has_vacancies", "יש משרות פנויות", "קיימות משרות פנויות"),
    "vacancies": ("vacancies", "מספר משרות פנויות", "מספר המשרות הפנויות"),
    "hiring_horizon": ("hiring_horizon", "hiring_plans", "תכנית גיוס", "תוכנית גיוס"),
    "recruiting_help": ("recruiting_help", "סיוע בגיוס", "צריך סיוע בגיוס"),
    "remote_work": ("remote_work", "עבודה מרחוק"),
    "training_offered": ("training_offered", "offers_training", "הכשרה בעסק", "מציע הכשרה"),
    "training_need": ("training_need", "צורך בהכשרה"),
    "training_needs": ("training_needs", "צורכי הכשרה", "צרכי הכשרה"),
    "service_contact": ("service_contact", "קשר עם שירות התעסוקה"),
    "satisfaction": ("satisfaction", "שביעות רצון"),
    "contact_consent": ("contact_consent", "הסכמה ליצירת קשר", "מעוניין ביצירת קשר"),
    "community_interest": ("community_interest", "קהילת מעסיקים"),
    "contact_name": ("contact_name", "contact", "איש קשר"),
    "contact_phone": ("contact_phone", "phone", "טלפון"),
    "contact_email": ("contact_email", "email", 'דוא"ל', "מייל"),
}
REQUIRED = ("company", "survey_date", "branch", "hiring_horizon")
# The older form's remote-work answers, read into annex 2's scale (as migration 0008 does).
OLD_REMOTE = {"no": "not_relevant", "partial": "considering", "yes": "hybrid"}
TRUE, FALSE = {"yes", "true", "1", "כן", "y"}, {"no", "false", "0", "לא", "n"}


@dataclass
class ParsedRow:
    line: int
    locality_code: int
    company: str
    data: SurveyInput
    # A revision: the stored response the preview compared the row with, and its version then.
    revises: int | None = None
    version: int | None = None


@dataclass
class Rejection:
    line: int
    reason: str  # catalogue key
    detail: str = ""


@dataclass
class SurveyPreview:
    filename: str
    locality_code: int | None = None  # the locality a row without one is for
    rows_read: int = 0
    to_add: list[ParsedRow] = field(default_factory=list)
    to_revise: list[ParsedRow] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    added: int
    revised: int
    unchanged: int
    rejected: int


def _normal(text: str) -> str:
    text = re.sub(r"[\"'״׳`\-–]", " ", str(text or "")).replace("קריית", "קרית")
    return re.sub(r"\s+", " ", text).strip().lower()


def read_rows(raw: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, {canonical column: cell}) for every data row of a CSV or Excel file."""
    table = read_table(filename, raw)
    lookup = {_normal(alias): key for key, aliases in HEADERS.items() for alias in aliases}
    columns = {header: lookup.get(_normal(header)) for header in table.header}
    missing = [k for k in REQUIRED if k not in columns.values()]
    if missing:
        raise ValidationError({k: "validation.required" for k in missing}, "missing columns")
    return [
        (line, {col: cells[header] for header, col in columns.items() if col})
        for line, cells in records(table)
    ]


class _Cells:
    """Turns one row's cells into typed values, collecting what is wrong with them."""

    def __init__(self, cells: dict[str, Any], places: dict[str, int]) -> None:
        self.cells, self.places = cells, places
        self.errors: dict[str, str] = {}

    def text(self, key: str) -> str | None:
        value = self.cells.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return clean_label(str(value)) if value not in (None, "") else None

    def integer(self, key: str) -> int | None:
        text = self.text(key)
        if text is None:
            return None
        try:
            return int(float(text.replace(",", "")))
        except ValueError:
            self.errors[key] = "validation.invalid"
            return None

    def flag(self, key: str) -> bool:
        return bool(self.maybe(key))

    def maybe(self, key: str) -> bool | None:
        """Yes, no, or None when the cell is empty (the question was not asked)."""
        text = (self.text(key) or "").lower()
        if not text:
            return None
        if text not in TRUE | FALSE:
            self.errors[key] = "validation.invalid"
        return text in TRUE

    def optional_choice(self, key: str) -> str | None:
        return self.choice(key) if self.text(key) else None

    def remote(self, key: str) -> str | None:
        text = _normal(self.text(key) or "")
        for old, new in OLD_REMOTE.items():
            names = {old, _normal(t(f"survey.remote_old.{old}", "he"))}
            names.add(_normal(t(f"survey.remote_old.{old}", "en")))
            if text in names:
                return new
        return self.optional_choice(key)

    def training_offered(self, key: str) -> str | None:
        """A level of Q10, or the older form's yes/no (yes: training offered, level unknown)."""
        text = (self.text(key) or "").lower()
        if text in TRUE:
            return TRAINING_LEGACY
        if text in FALSE:
            return "none"
        return self.optional_choice(key)

    def contact(self, key: str) -> tuple[bool | None, str | None]:
        """Q12 as yes/no, or the older frequency (which also answers yes/no)."""
        text = (self.text(key) or "").lower()
        if not text:
            return None, None
        if text in TRUE | FALSE:
            return text in TRUE, None
        frequency = self.choice(key)
        return (frequency != "none" if frequency else None), frequency or None

    def day(self, key: str) -> date | None:
        value = self.cells.get(key)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = self.text(key) or ""
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        self.errors[key] = "validation.invalid"
        return None

    def choice(self, key: str) -> str:
        prefix, codes = CHOICES[key]
        text = _normal(self.text(key) or "")
        for code in codes:
            names = {
                code,
                _normal(t(f"{prefix}.{code}", "he")),
                _normal(t(f"{prefix}.{code}", "en")),
            }
            if text in names:
                return code
        self.errors[key] = "validation.invalid"
        return ""

    def places_list(self, key: str) -> list[int]:
        found: list[int] = []
        for part in (self.text(key) or "").split(";"):
            part = _normal(part)
            if not part:
                continue
            code = self.places.get(part) or (int(part) if part.isdigit() else None)
            if code is None:
                self.errors[key] = "validation.invalid"
            else:
                found.append(code)
        return found

    def positions(self, key: str) -> list[tuple[str, int] | tuple[str, int, str | None]]:
        found: list[tuple[str, int] | tuple[str, int, str | None]] = []
        for part in (self.text(key) or "").split(";"):
            if not part.strip():
                continue
            pieces = part.split(":")
            code = None
            if len(pieces) >= 3 and pieces[-2].strip().isdigit():  # profession:count:code
                name, count, code = ":".join(pieces[:-2]), pieces[-2], pieces[-1].strip() or None
            else:
                name, _, count = part.rpartition(":")
            try:
                number = int(count.strip())
            except ValueError:
                self.errors[key] = "validation.invalid"
                continue
            found.append(
                (clean_label(name), number) if code is None else (clean_label(name), number, code)
            )
        return found


# The answers read from the column of their own name, each as its question is read (the company,
# the positions, the training needs and the service contact are read by `_parse` itself).
READINGS: dict[str, Callable[[_Cells, str], Any]] = {
    "survey_date": _Cells.day,
    "branch": _Cells.choice,
    "hiring_horizon": _Cells.choice,
    "location": _Cells.text,
    "employee_count": _Cells.integer,
    "recruitment_areas": _Cells.places_list,
    "has_vacancies": _Cells.maybe,
    "vacancies": _Cells.integer,
    "recruiting_help": _Cells.maybe,
    "remote_work": _Cells.remote,
    "training_offered": _Cells.training_offered,
    "training_need": _Cells.optional_choice,
    "satisfaction": _Cells.integer,
    "contact_consent": _Cells.maybe,
    "community_interest": _Cells.flag,
    "contact_name": _Cells.text,
    "contact_phone": _Cells.text,
    "contact_email": _Cells.text,
}


def _places(s: Session) -> dict[str, int]:
    places: dict[str, int] = {}
    for code, he, en, aliases in s.execute(
        select(Locality.code, Locality.name_he, Locality.name_en, Locality.aliases)
    ):
        for name in (he, en, *(aliases or "").split(";")):
            if name:
                places.setdefault(_normal(name), code)
    return places


def _parse(
    s: Session,
    actor: Actor,
    line: int,
    cells: dict[str, Any],
    places: dict[str, int],
    default_locality: int | None,
) -> ParsedRow | Rejection:
    row = _Cells(cells, places)
    locality_text = row.text("locality")
    if locality_text:
        normal = _normal(locality_text)
        code = places.get(normal) or (int(normal) if normal.isdigit() else None)
    else:
        code = default_locality
    if code is None or s.get(Locality, code) is None:
        return Rejection(line, "survey.import.reason.locality", locality_text or "")
    if not actor.can_write(Area.STAKEHOLDERS, code):
        return Rejection(line, "survey.import.reason.scope", locality_text or str(code))
    company = row.text("company") or ""
    has_contact, frequency = row.contact("service_contact")
    data = SurveyInput(
        company=company,
        positions=row.positions("open_positions"),
        training_needs=[n for n in (row.text("training_needs") or "").split(";")],
        has_service_contact=has_contact,
        service_contact=frequency,
        **{answer: read(row, answer) for answer, read in READINGS.items()},
    )
    problems = dict(row.errors)
    try:
        validate(s, code, data)
    except ValidationError as exc:
        problems.update(exc.fields)
    if problems:
        return Rejection(line, "survey.import.reason.invalid", ", ".join(sorted(problems)))
    return ParsedRow(line, code, company, data)


def _existing(s: Session, parsed: ParsedRow) -> EmployerSurveyResponse | None:
    scope = only(parsed.locality_code)  # a row's locality is checked against the scope first
    org_id = find_employer(s, scope, parsed.company)
    if org_id is None:
        return None
    return s.scalar(
        select(EmployerSurveyResponse).where(
            scope.of(EmployerSurveyResponse.locality_code),
            EmployerSurveyResponse.organisation_id == org_id,
            EmployerSurveyResponse.survey_date == parsed.data.survey_date,
        )
    )


def _answers(values: dict[str, Any]) -> dict[str, Any]:
    mine = {k: v for k, v in values.items() if k != "survey_date"}
    mine["positions"] = sorted(tuple(p) for p in mine["positions"])
    return mine


def _same(row: EmployerSurveyResponse, values: dict[str, Any]) -> bool:
    return row.answers() == _answers(values)


def preview(
    db: Database,
    actor: Actor,
    raw: bytes,
    filename: str,
    default_locality: int | None = None,
) -> SurveyPreview:
    """Read and check the whole file without writing anything."""
    rows = read_rows(raw, filename)
    result = SurveyPreview(filename, default_locality, rows_read=len(rows))
    seen: dict[tuple[int, str, date | None], int] = {}
    with db.transaction() as s:
        places = _places(s)
        for line, cells in rows:
            parsed = _parse(s, actor, line, cells, places, default_locality)
            if isinstance(parsed, Rejection):
                result.rejected.append(parsed)
                continue
            key = (parsed.locality_code, clean_label(parsed.company), parsed.data.survey_date)
            if key in seen:
                result.rejected.append(
                    Rejection(line, "survey.import.reason.duplicate", str(seen[key]))
                )
                continue
            seen[key] = line
            stored = _existing(s, parsed)
            if stored is None:
                result.to_add.append(parsed)
            elif _same(stored, validate(s, parsed.locality_code, parsed.data)):
                result.unchanged += 1
            else:
                parsed.revises, parsed.version = stored.id, stored.version
                result.to_revise.append(parsed)
        s.rollback()
    return result


def _response_in_scope(
    s: Session, actor: Actor, response_id: int, locality_code: int
) -> EmployerSurveyResponse:
    """A revised response may be of any locality the actor writes (a file may span several);
    `ImportSurveys.validate` holds it to its row's locality."""
    return in_scope(s, actor, EmployerSurveyResponse, response_id)


@dataclass
class ImportSurveys(
    StakeholderChange[ImportResult],
    entity="employer_survey_response",
    texts={
        "filename": "import/filename",
        "adds[].company": "survey/company",
        "edits[].company": "survey/company",
    },
):
    """The accepted rows of a preview, written all or nothing and re-checked against the data:
    a row stored meanwhile as the file says counts as unchanged, a response revised meanwhile
    refuses the whole import as stale. Each response added or revised gets its own audit row (a
    revision with the answers before and after, so overwritten contact details are not lost),
    and each locality of the file one with the counts. Every row's answers are checked and
    bounded by `surveys.validate`, as in the preview."""

    locality_code: int
    filename: str
    adds: list[ParsedRow]
    targets: list[Ref[EmployerSurveyResponse]]  # the stored responses the edits revise
    edits: list[ParsedRow]
    unchanged: int = 0
    rejected: int = 0

    @classmethod
    def of(cls, checked: SurveyPreview) -> ImportSurveys:
        rows = checked.to_add + checked.to_revise
        code = checked.locality_code or (rows[0].locality_code if rows else None)
        if code is None:
            raise ValidationError({"locality": "validation.required"}, "no row to import")
        return cls(
            code,
            checked.filename,
            list(checked.to_add),
            [
                Ref(EmployerSurveyResponse, int(p.revises or 0), _response_in_scope)
                for p in checked.to_revise
            ],
            list(checked.to_revise),
            checked.unchanged,
            len(checked.rejected),
        )

    def validate(self, w: Write) -> None:
        for code in {p.locality_code for p in self.adds + self.edits}:
            require_locality(w.actor, code)
        for target, parsed in zip(self.targets, self.edits, strict=True):
            if w.get(target).locality_code != parsed.locality_code:
                raise NotFound(f"EmployerSurveyResponse {target.id}")

    def run(self, w: Write) -> ImportResult:
        added = revised = unchanged = 0
        for parsed in self.adds:
            values = validate(w.session, parsed.locality_code, parsed.data)
            stored = _existing(w.session, parsed)
            if stored is not None and _same(stored, values):
                unchanged += 1
                continue
            if stored is not None:
                raise ValidationError(
                    {"survey_date": "validation.duplicate"}, f"line {parsed.line} stored since"
                )
            org_id = employer(w, parsed.locality_code, parsed.company)
            row = new_response(w, parsed.locality_code, org_id, values)
            after = {**snapshot(row), **self._source(parsed)}
            w.create(row, after, locality_code=parsed.locality_code)
            added += 1
        for target, parsed in zip(self.targets, self.edits, strict=True):
            values = validate(w.session, parsed.locality_code, parsed.data)
            stored = w.get(target)
            if _same(stored, values):
                unchanged += 1
                continue
            w.update(
                stored,
                parsed.version or 0,
                changes(values),
                action="import_revise",
                note=self._source(parsed),
                locality_code=parsed.locality_code,
            )
            revised += 1
        if added or revised:
            counts = {"added": added, "revised": revised, "rejected": self.rejected}
            for code in sorted({p.locality_code for p in self.adds + self.edits}):
                after = {"file": self.filename, **counts}
                w.audit("import", None, after=after, locality_code=code)
        return ImportResult(added, revised, unchanged + self.unchanged, self.rejected)

    def _source(self, parsed: ParsedRow) -> dict[str, Any]:
        return {"file": self.filename, "line": parsed.line}


def commit(db: Database, actor: Actor, checked: SurveyPreview) -> ImportResult:
    """Write every accepted row of a preview (see `ImportSurveys`)."""
    if not checked.to_add and not checked.to_revise:
        return ImportResult(0, 0, checked.unchanged, len(checked.rejected))
    return execute(db, actor, ImportSurveys.of(checked)).value
