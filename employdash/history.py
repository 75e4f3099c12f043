"""A record's history in words: who changed what and when, with field names and values from the
catalogue (a status in words, a person by name, a date as Israelis write it), never codes or JSON.

One renderer for every place that shows history: the panel under a task, decision, focus, metric
or meeting (for everyone who may read it) and the administrator's audit page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from employdash.access import Actor
from employdash.audit import AuditFilter, AuditRow, list_entries
from employdash.db import Database
from employdash.i18n import fmt_date, has_key, t
from employdash.models import Person, User
from employdash.models.forum import Meeting, StrategicFocus, Task, Team
from employdash.models.indicators import IndicatorDefinition

EMPTY = "—"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# Fields whose value names another record, by the kind of record it names.
_NAMED = {
    "owner_person_id": "person",
    "person_id": "person",
    "lead_person_id": "person",
    "team_id": "team",
    "focus_id": "focus",
    "meeting_id": "meeting",
    "task_id": "task",
    "indicator_code": "indicator",
}
# Fields whose value is a code of a fixed vocabulary: the catalogue key of each value.
_VOCABULARY = {
    "status": "task.status.{}",
    "direction": "forum.metric.direction.{}",
    "attached_to": "record.history.owner.{}",
    "entity": "record.history.entity.{}",
    "language": "record.history.language.{}",
}
# A field of the same name whose values depend on the record kind.
_KIND = {
    "document": "record.documents.kind.{}",
    "meeting": "forum.kind.{}",
    "team": "forum.kind.{}",
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str

    def words(self, lang: str, wrap: Callable[[str], str] = str) -> str:
        """ "field: before → after" (the arrow the language's way), or "field: after" when it
        was empty; `wrap` marks each value (the screen isolates them from the line's script)."""
        if self.before == EMPTY:
            return t("record.history.set", lang, field=self.field, after=wrap(self.after))
        return t(
            "record.history.change",
            lang,
            field=self.field,
            before=wrap(self.before),
            after=wrap(self.after),
        )


@dataclass(frozen=True)
class HistoryLine:
    """One audit row in words."""

    at: datetime
    who: str
    entity: str  # the record kind, in words
    action: str  # what was done, in words
    changes: list[Change]
    entity_id: str | None = None
    locality_code: int | None = None

    def summary(self, lang: str) -> str:
        """The changes on one line (the audit page's column)."""
        return "; ".join(c.words(lang) for c in self.changes)


def _pairs(s: Session, key: Any, value: Any, wanted: set[Any]) -> dict[Any, Any]:
    """`{key: value}` of the rows whose key is one of `wanted`."""
    if not wanted:
        return {}
    return {k: v for k, v in s.execute(select(key, value).where(key.in_(wanted)))}


class Names:
    """The names of the records an audit row's values point at, read once for a list of rows."""

    def __init__(self, s: Session, rows: Iterable[AuditRow], lang: str) -> None:
        wanted: dict[str, set[Any]] = {kind: set() for kind in set(_NAMED.values())}
        users: set[str] = set()
        for row in rows:
            users.add(row["username"])
            for values in (row["before"] or {}, row["after"] or {}):
                for name, value in values.items():
                    if name in _NAMED and value is not None and not isinstance(value, list | dict):
                        wanted[_NAMED[name]].add(value)
                    if name == "attendance" and isinstance(value, dict):
                        wanted["person"] |= {int(k) for k in value}
        ints = {k: {int(v) for v in ids if str(v).isdigit()} for k, ids in wanted.items()}
        self.lang = lang
        indicator_name = (
            IndicatorDefinition.name_he if lang == "he" else IndicatorDefinition.name_en
        )
        self.by_kind: dict[str, dict[Any, str]] = {
            "person": _pairs(s, Person.id, Person.full_name, ints["person"]),
            "team": _pairs(s, Team.id, Team.name, ints["team"]),
            "focus": _pairs(s, StrategicFocus.id, StrategicFocus.title, ints["focus"]),
            "task": _pairs(s, Task.id, Task.title, ints["task"]),
            "meeting": {
                i: fmt_date(d, lang)
                for i, d in _pairs(s, Meeting.id, Meeting.held_on, ints["meeting"]).items()
            },
            "indicator": _pairs(
                s, IndicatorDefinition.code, indicator_name, {str(v) for v in wanted["indicator"]}
            ),
        }
        self.users: dict[str, str] = _pairs(s, User.username, User.full_name, users)

    def of(self, kind: str, value: Any) -> str:
        key = int(value) if kind != "indicator" and str(value).isdigit() else value
        return self.by_kind[kind].get(key) or t("record.history.gone", self.lang)


def _label(key: str, lang: str, fallback: str) -> str:
    return t(key, lang) if has_key(key) else fallback


def entity_words(lang: str, keep: str = "") -> Callable[[str], str]:
    """A record kind in words (`keep` stays as it is: a filter's "everyone")."""
    return lambda e: (
        e if e == keep else _label(f"record.history.entity.{e}", lang, e.replace("_", " "))
    )


def action_words(lang: str, keep: str = "") -> Callable[[str], str]:
    """What was done, in words (`keep` stays as it is)."""
    return lambda a: (
        a if a == keep else _label(f"record.history.action.{a}", lang, a.replace("_", " "))
    )


def field_name(entity: str, name: str, lang: str) -> str:
    """A field in words: the record kind's own word for it, else the shared one."""
    return _label(
        f"record.history.field.{entity}.{name}",
        lang,
        _label(f"record.history.field.{name}", lang, name.replace("_", " ")),
    )


def _scalar(entity: str, name: str, value: Any, names: Names) -> str:
    lang = names.lang
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return t("record.history.yes" if value else "record.history.no", lang)
    if name in _NAMED:
        return names.of(_NAMED[name], value)
    pattern = _VOCABULARY.get(name) or (_KIND.get(entity) if name == "kind" else None)
    if pattern and has_key(pattern.format(value)):
        return t(pattern.format(value), lang)
    if isinstance(value, str) and _DATE.match(value):
        return fmt_date(date.fromisoformat(value), lang)
    if isinstance(value, str) and _DATETIME.match(value):
        return fmt_date(datetime.fromisoformat(value), lang)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def value_text(entity: str, name: str, value: Any, names: Names) -> str:
    """A value in words: a list item by item, the attendance as who came and who did not."""
    lang = names.lang
    if name == "attendance" and isinstance(value, Mapping):
        came = [names.of("person", k) for k, v in value.items() if v]
        missed = [names.of("person", k) for k, v in value.items() if not v]
        return t(
            "record.history.attendance",
            lang,
            present=", ".join(sorted(came)) or EMPTY,
            absent=", ".join(sorted(missed)) or EMPTY,
        )
    if isinstance(value, Mapping):
        return ", ".join(
            _scalar(entity, name, v, names) for v in value.values() if v not in (None, "")
        )
    if isinstance(value, list) and value:
        return "; ".join(value_text(entity, name, v, names) for v in value)
    return _scalar(entity, name, value, names)


def in_words(row: AuditRow, names: Names) -> HistoryLine:
    """One audit row as people read it."""
    lang, entity = names.lang, row["entity"]
    before, after = row["before"] or {}, row["after"] or {}

    def text(values: Mapping[str, Any], name: str) -> str:
        return value_text(entity, name, values[name], names) if name in values else EMPTY

    if row["action"] == "delete":  # the record as it was, then why it went
        fields = [*before, *(k for k in after if k not in before)]
    else:
        fields = [*after, *(k for k in before if k not in after)]
    changes = [Change(field_name(entity, k, lang), text(before, k), text(after, k)) for k in fields]
    return HistoryLine(
        at=row["at"],
        who=names.users.get(row["username"], row["username"]),
        entity=_label(f"record.history.entity.{entity}", lang, entity.replace("_", " ")),
        action=_label(
            f"record.history.action.{row['action']}", lang, row["action"].replace("_", " ")
        ),
        changes=changes,
        entity_id=row["entity_id"],
        locality_code=row["locality_code"],
    )


def lines(db: Database, rows: list[AuditRow], lang: str) -> list[HistoryLine]:
    """Audit rows (already read within the reader's scope) in words."""
    with db.transaction() as s:
        names = Names(s, rows, lang)
        return [in_words(r, names) for r in rows]


def audit_in_words(db: Database, actor: Actor, flt: AuditFilter, lang: str) -> list[HistoryLine]:
    """The administrator's audit page: the log as `audit.list_entries` filters it, in words."""
    return lines(db, list_entries(db, actor, flt), lang)
