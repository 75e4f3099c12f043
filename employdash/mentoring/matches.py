"""Matches and their mentoring sessions: the list a coordinator works from, the session log,
the time since the last session and the flag for matches gone quiet for a set number of weeks.

Sessions hold the date, the duration and a short note; the mentor and mentee are the match's.
Listing names pseudonymous codes only, so it needs the participants permission of the locality.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from employdash.access import Actor, Area, read_scope, require_read
from employdash.commands import Ref, Write, execute
from employdash.db import Database
from employdash.errors import ValidationError
from employdash.handed_ids import in_scope
from employdash.mentoring.operations import MentoringChange
from employdash.models.mentoring import Match, MentoringSession, Participant, Program

QUIET_WEEKS = 4  # default: a running match with no session for this long is flagged


@dataclass(frozen=True)
class MatchRow:
    id: int
    version: int
    program_id: int
    mentor_id: int
    mentor_code: str
    mentee_id: int
    mentee_code: str
    started_on: date
    ended_on: date | None
    status: str
    end_reason: str | None
    sessions: int
    last_session: date | None
    days_since: int | None  # days since the last session (or the start) for a running match
    quiet: bool  # running, and no session for `weeks` weeks


@dataclass(frozen=True)
class SessionRow:
    id: int
    held_on: date
    minutes: int
    note: str | None
    version: int = 1


def matches(
    db: Database,
    actor: Actor,
    locality_code: int,
    as_of: date | None = None,
    weeks: int = QUIET_WEEKS,
    active_only: bool = False,
) -> list[MatchRow]:
    """The locality's matches with their session count, last session and quiet flag."""
    scope = read_scope(actor, Area.PARTICIPANTS, locality_code)
    as_of = as_of or date.today()
    mentor, mentee = aliased(Participant), aliased(Participant)
    last = (
        select(
            MentoringSession.match_id,
            func.count().label("n"),
            func.max(MentoringSession.held_on).label("last"),
        )
        .where(MentoringSession.held_on <= as_of)
        .group_by(MentoringSession.match_id)
        .subquery()
    )
    query = (
        select(
            Match,
            mentee.program_id,
            mentor.code,
            mentee.code,
            last.c.n,
            last.c.last,
        )
        .join(mentor, mentor.id == Match.mentor_id)
        .join(mentee, mentee.id == Match.mentee_id)
        .join(Program, Program.id == mentee.program_id)
        .outerjoin(last, last.c.match_id == Match.id)
        .where(scope.of(Program.locality_code), Match.started_on <= as_of)
        .order_by(Match.started_on.desc(), Match.id.desc())
    )
    if active_only:
        query = query.where(Match.status == "active")
    rows = []
    with db.transaction() as s:
        for m, program_id, mentor_code, mentee_code, n, last_on in s.execute(query):
            running = m.status == "active"
            since = (as_of - (last_on or m.started_on)).days if running else None
            rows.append(
                MatchRow(
                    m.id,
                    m.version,
                    program_id,
                    m.mentor_id,
                    mentor_code,
                    m.mentee_id,
                    mentee_code,
                    m.started_on,
                    m.ended_on,
                    m.status,
                    m.end_reason,
                    int(n or 0),
                    last_on,
                    since,
                    running and since is not None and since > weeks * 7,
                )
            )
    return rows


@dataclass
class LogSession(
    MentoringChange[int],
    entity="ment_session",
    texts={"note": "mentoring/session_note"},
):
    """One session of a match: on or after its start, not after its end, not in the future."""

    match: Ref[Match]
    held_on: date
    minutes: int
    note: str | None = None

    def validate(self, w: Write) -> None:
        _check_session(w.get(self.match), self.held_on, self.minutes)

    def run(self, w: Write) -> int:
        values = {"held_on": self.held_on, "minutes": self.minutes, "note": self.note}
        row = MentoringSession(match_id=self.match.id, **values)
        return w.create(row, {"match": self.match.id, **values}).id


def _check_session(match: Match, held: date, minutes: int) -> None:
    """A session's rules: on or after its match's start, not after its end, not in the future,
    and a plausible duration."""
    errors = {}
    if not isinstance(minutes, int) or not 0 < minutes <= 600:
        errors["minutes"] = "validation.invalid"
    if held < match.started_on or (match.ended_on and held > match.ended_on):
        errors["date"] = "ment.validation.session_date"
    if held > date.today() + timedelta(days=1):
        errors["date"] = "ment.validation.session_date"
    if errors:
        raise ValidationError(errors)


@dataclass
class CorrectSession(
    MentoringChange[int],
    entity="ment_session",
    texts={"note": "mentoring/session_note"},
):
    """A logged session put right (its date, duration or note) by its coordinator, from the
    version they read; the same rules as logging it. Returns the new version."""

    session: Ref[MentoringSession]
    version: int
    held_on: date
    minutes: int
    note: str | None = None

    def validate(self, w: Write) -> None:
        match = w.session.get_one(Match, w.get(self.session).match_id)
        _check_session(match, self.held_on, self.minutes)

    def run(self, w: Write) -> int:
        row = w.get(self.session)
        values = {"held_on": self.held_on, "minutes": self.minutes, "note": self.note}
        w.update(row, self.version, values)
        return row.version


@dataclass
class RemoveSession(
    MentoringChange[None],
    entity="ment_session",
    reason="mentoring/session_note",
):
    """A session logged by mistake removed by its coordinator, with the reason (the audit row
    keeps what it was)."""

    session: Ref[MentoringSession]
    version: int
    reason: str | None

    def run(self, w: Write) -> None:
        row = w.get(self.session)
        before = {
            "match": row.match_id,
            "held_on": row.held_on,
            "minutes": row.minutes,
            "note": row.note,
        }
        w.delete(row, before, version=self.version, after={"reason": self.reason})


def log_session(
    db: Database,
    actor: Actor,
    match_id: int,
    held_on: date,
    minutes: int,
    note: str | None = None,
) -> int:
    return execute(db, actor, LogSession.of(match_id, held_on, minutes, note)).value


def sessions(db: Database, actor: Actor, match_id: int) -> list[SessionRow]:
    """A match's sessions, latest first."""
    require_read(actor, Area.PARTICIPANTS)
    with db.transaction() as s:
        match = in_scope(s, actor, Match, match_id)
        mentee = in_scope(s, actor, Participant, match.mentee_id)
        program = in_scope(s, actor, Program, mentee.program_id)
        require_read(actor, Area.PARTICIPANTS, program.locality_code)
        return [
            SessionRow(r.id, r.held_on, r.minutes, r.note, r.version)
            for r in s.scalars(
                select(MentoringSession)
                .where(MentoringSession.match_id == match_id)
                .order_by(MentoringSession.held_on.desc(), MentoringSession.id.desc())
            )
        ]
