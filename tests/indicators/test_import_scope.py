"""Who imports what, and a preview that says what the import will do, on SQLite and PostgreSQL:
a manager imports the localities on their record and no other (in the preview and again in the
commit, whatever plan it is handed); a rejected line writes none of its cells; suppressed cells
stay suppressed; the preview names localities and measures and covers the file's months."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.i18n import t
from employdash.indicators.import_plan import Planned, Revision, apply_plan, build_plan
from employdash.indicators.imports import commit_import, list_batches, preview_import
from employdash.models import AuditEntry
from employdash.models.indicators import IndicatorValue
from tests.indicators.test_import import counts, stored

TODAY = date(2026, 11, 23)
SEDEROT, NETIVOT, KIRYAT_SHMONA, TEL_AVIV, OFAKIM = 1031, 246, 2800, 5000, 31
JAN, FEB = date(2020, 1, 1), date(2020, 2, 1)

# Sederot and Netivot are the demo manager's; Kiryat Shmona (by name) and Tel Aviv are not.
MIXED = """locality_code,locality,period,indicator,value
1031,,2020-01,job_seekers,812
246,,2020-01,job_seekers,1310
,קרית שמונה,2020-01,job_seekers,640
5000,,2020-01,job_seekers,9000
1031,,2020-02,job_seekers,835
""".encode()

# The Employment Service's wide layout: line 3 has one unreadable figure among good ones.
WIDE = """סמל יישוב,חודש,"סה""כ דורשי עבודה",גברים,נשים
1031,01/2020,812,371,441
1031,02/2020,835,abc,455
246,01/2020,1310,-1,<5
246,02/2020,1288,-,*
246,03/2020,1290,,-2
""".encode()


def values_before_2021(db: Database, locality: int) -> int:
    """How many values the locality has from before 2021 (the demo data starts later)."""
    with db.transaction() as s:
        return s.scalars(
            select(func.count())
            .select_from(IndicatorValue)
            .where(
                IndicatorValue.locality_code == locality, IndicatorValue.period < date(2021, 1, 1)
            )
        ).one()


def test_a_manager_imports_their_localities_and_other_rows_are_refused_with_the_reason(
    db: Database, actors: dict[str, Actor]
) -> None:
    manager = actors["manager"]
    plan = preview_import(db, manager, "mixed.csv", MIXED, TODAY)
    assert {(p.locality_code, p.period) for p in plan.to_add} == {
        (SEDEROT, JAN),
        (NETIVOT, JAN),
        (SEDEROT, FEB),
    }
    refused = [(r.line, r.reason, r.locality) for r in plan.rejected]
    assert refused == [
        (4, "ind.import.reason.outside_scope", KIRYAT_SHMONA),
        (5, "ind.import.reason.outside_scope", TEL_AVIV),
    ]
    # the reason, per line, in the user's language, naming the locality
    he, en = plan.locality_names[KIRYAT_SHMONA]
    assert he == "קריית שמונה" and en.lower().startswith("qiryat")
    assert t("ind.import.reason.outside_scope", "en", locality=en) == (
        f"locality {en} is outside your localities"
    )
    assert t("ind.import.reason.outside_scope", "he", locality=he) == (
        "היישוב קריית שמונה אינו מהיישובים שלך"
    )

    result = commit_import(db, manager, "mixed.csv", MIXED, "IES", TODAY)
    assert (result.added, result.rejected) == (3, 2)
    assert stored(db, SEDEROT, "job_seekers", FEB) == (835.0, "ok")
    assert stored(db, NETIVOT, "job_seekers", JAN) == (1310.0, "ok")
    assert stored(db, KIRYAT_SHMONA, "job_seekers", JAN) is None
    assert stored(db, TEL_AVIV, "job_seekers", JAN) is None
    with db.transaction() as s:
        logged = set(
            s.scalars(select(AuditEntry.locality_code).where(AuditEntry.action == "import_values"))
        )
    assert logged == {SEDEROT, NETIVOT}


def test_an_admin_imports_for_every_locality(db: Database, actors: dict[str, Actor]) -> None:
    result = commit_import(db, actors["admin"], "mixed.csv", MIXED, "IES", TODAY)
    assert (result.added, result.rejected) == (5, 0)
    assert stored(db, TEL_AVIV, "job_seekers", JAN) == (9000.0, "ok")


def test_the_commit_checks_the_scope_of_every_row_of_a_plan_it_is_handed(
    db: Database, actors: dict[str, Actor]
) -> None:
    """A plan built for all localities (as an admin's preview is) does not let a manager write
    a foreign row: the commit refuses it and writes nothing, not even the manager's own rows."""
    manager, before = actors["manager"], counts(db)
    with pytest.raises(PermissionDenied), db.transaction() as s:
        plan = build_plan(s, "mixed.csv", MIXED, TODAY, None)
        assert {p.locality_code for p in plan.to_add} >= {SEDEROT, TEL_AVIV}
        apply_plan(s, plan, manager, "IES")
    assert counts(db) == before

    # a revision handed with an own locality but the id of another locality's stored value
    with db.transaction() as s:
        foreign = s.scalars(
            select(IndicatorValue).where(IndicatorValue.locality_code == OFAKIM).limit(1)
        ).one()
        foreign_id, foreign_value = foreign.id, foreign.value
    with pytest.raises(PermissionDenied), db.transaction() as s:
        plan = build_plan(s, "none.csv", b"locality_code,period,indicator,value\n", TODAY, None)
        forged = Planned(2, SEDEROT, JAN, "job_seekers", 1.0, "ok")
        plan.to_revise.append(Revision(forged, foreign_id, foreign_value, "ok"))
        apply_plan(s, plan, manager, "IES")
    assert counts(db) == before
    with db.transaction() as s:
        assert s.get_one(IndicatorValue, foreign_id).value == foreign_value


def test_a_rejected_line_imports_none_of_its_cells(db: Database, actors: dict[str, Actor]) -> None:
    plan = preview_import(db, actors["admin"], "wide.csv", WIDE, TODAY)
    assert [(r.line, r.reason, r.indicators) for r in plan.rejected] == [
        (3, "ind.import.reason.bad_value", ("job_seekers.gender.men",)),
        (6, "ind.import.reason.bad_value", ("job_seekers.gender.women",)),
    ]
    assert not [p for p in plan.to_add if p.line in (3, 6)]
    commit_import(db, actors["admin"], "wide.csv", WIDE, "IES", TODAY)
    for indicator in ("job_seekers", "job_seekers.gender.men", "job_seekers.gender.women"):
        assert stored(db, SEDEROT, indicator, FEB) is None  # line 3: its good cells too
        assert stored(db, NETIVOT, indicator, date(2020, 3, 1)) is None  # line 6
    assert stored(db, SEDEROT, "job_seekers.gender.women", JAN) == (441.0, "ok")


def test_a_line_that_clashes_with_an_earlier_one_imports_none_of_its_cells(
    db: Database, actors: dict[str, Actor]
) -> None:
    data = WIDE.splitlines()[0] + b"\n1031,01/2020,812,371,441\n1031,01/2020,812,371,999\n"
    data += b"1031,04/2020,800,370,430\n"
    plan = preview_import(db, actors["admin"], "clash.csv", data, TODAY)
    assert [(r.line, r.reason, r.detail) for r in plan.rejected] == [
        (3, "ind.import.reason.duplicate", "2")
    ]
    assert not plan.duplicates  # the rejected line's equal cells are not listed twice
    assert {(p.line, p.indicator_code) for p in plan.to_add} == {
        (line, code)
        for line in (2, 4)
        for code in ("job_seekers", "job_seekers.gender.men", "job_seekers.gender.women")
    }


def test_suppressed_cells_are_kept_as_suppressed_not_rejected(
    db: Database, actors: dict[str, Actor]
) -> None:
    plan = preview_import(db, actors["admin"], "wide.csv", WIDE, TODAY)
    added = {
        (p.locality_code, p.period, p.indicator_code): (p.value, p.status) for p in plan.to_add
    }
    hidden = (None, "suppressed")
    assert added[(NETIVOT, JAN, "job_seekers.gender.men")] == hidden  # -1
    assert added[(NETIVOT, JAN, "job_seekers.gender.women")] == hidden  # <5
    assert added[(NETIVOT, FEB, "job_seekers.gender.men")] == hidden  # -
    assert added[(NETIVOT, FEB, "job_seekers.gender.women")] == hidden  # *
    assert plan.suppressed == 4
    long_file = b"locality_code,period,indicator,value\n1031,2020-05,job_seekers,-1\n"
    long_file += b"1031,2020-06,job_seekers,-1.0\n1031,2020-07,job_seekers,\n"
    commit_import(db, actors["admin"], "long.csv", long_file, "IES", TODAY)
    for month in (5, 6, 7):
        assert stored(db, SEDEROT, "job_seekers", date(2020, month, 1)) == hidden


def test_the_preview_names_measures_and_localities_and_covers_every_month(
    db: Database, actors: dict[str, Actor]
) -> None:
    rows = "\n".join(
        f"1031,{year}-{month:02d},job_seekers,{800 + month}"
        for year in range(2015, 2021)
        for month in range(1, 13)
    )
    data = f"locality_code,period,indicator,value\n{rows}\n1031,2020-01,jobs,5000\n".encode()
    plan = preview_import(db, actors["manager"], "history.csv", data, TODAY)
    assert (min(plan.months), max(plan.months), len(plan.months)) == (
        date(2015, 1, 1),
        date(2020, 12, 1),
        72,
    )
    assert plan.localities == {SEDEROT}
    assert plan.locality_names[SEDEROT] == ("שדרות", "Sederot")
    assert plan.indicator_names == {
        "job_seekers": ("דורשי עבודה", "Job seekers"),
        "jobs": ("מספר משרות ביישוב", "Jobs in the locality"),
    }
    wide = preview_import(db, actors["admin"], "wide.csv", WIDE, TODAY)
    assert wide.indicator_names["job_seekers.gender.men"][1] != "job_seekers.gender.men"


def test_a_manager_lists_the_imports_of_their_localities(
    db: Database, actors: dict[str, Actor]
) -> None:
    admin, manager = actors["admin"], actors["manager"]
    foreign = b"locality_code,period,indicator,value\n5000,2020-01,job_seekers,9000\n"
    commit_import(db, admin, "tel-aviv.csv", foreign, "IES", TODAY)
    commit_import(db, admin, "sderot.csv", foreign.replace(b"5000", b"1031"), "IES", TODAY)
    own = b"locality_code,period,indicator,value\n246,2020-01,job_seekers,1310\n"
    commit_import(db, manager, "netivot.csv", own, "IES", TODAY)
    assert {b["filename"] for b in list_batches(db, manager)} == {"sderot.csv", "netivot.csv"}
    assert {b["filename"] for b in list_batches(db, admin)} >= {
        "tel-aviv.csv",
        "sderot.csv",
        "netivot.csv",
    }
    assert values_before_2021(db, NETIVOT) == 1
