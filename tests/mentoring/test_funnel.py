"""Funnel and duration figures recomputed as of past dates, with back-moves, drops, suppression."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest

from employdash.access import Actor
from employdash.db import Database
from employdash.errors import PermissionDenied
from employdash.mentoring import operations as svc
from employdash.mentoring.funnel import (
    Selection,
    compute_funnel,
    dropoff,
    durations,
    funnel,
    time_to_outcome,
)
from tests.mentoring.conftest import Scenario

# Every test reaches the database through transaction(): one database per kind for the module.
pytestmark = pytest.mark.rolled_back


def column(frame: pd.DataFrame, name: str, group: Any = None) -> list[int | None]:
    if group is not None:
        frame = frame[frame["group"] == group]
    return [None if v is None or v != v else int(v) for v in frame[name]]


def test_reached_counts_as_of_a_past_date_and_now(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    sel = Selection(program_ids=(scenario.program_id,))
    past = funnel(db, actors["manager"], sel, date(2025, 2, 1))
    assert column(past.table, "reached") == [12, 10, 8, 0, 0, 0, 0]
    later = funnel(db, actors["manager"], sel, date(2025, 4, 1))
    # moving back does not un-reach "matched": 6 reached it, 5 are in it now
    assert column(later.table, "reached") == [12, 10, 8, 6, 0, 0, 0]
    assert column(later.table, "in_stage")[2:4] == [None, 5]  # 2 + 1 back in "accepted": small
    conversion = list(later.table["conversion"])
    assert conversion[1] == pytest.approx(10 / 12) and conversion[3] == pytest.approx(6 / 8)
    before_start = funnel(db, actors["manager"], sel, date(2024, 12, 31))
    assert before_start.table.empty or column(before_start.table, "reached") == [0] * 7


def test_raw_current_state_follows_back_moves_and_drops(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    sel = Selection(program_ids=(scenario.program_id,))
    with db.transaction() as s:
        raw = compute_funnel(s, actors["manager"], sel, date(2025, 4, 1)).table
    assert column(raw, "in_stage") == [1, 0, 3, 5, 0, 0, 0]
    assert column(raw, "dropped") == [1, 2, 0, 0, 0, 0, 0]
    with db.transaction() as s:
        early = compute_funnel(s, actors["manager"], sel, date(2025, 1, 15)).table
    assert column(early, "in_stage") == [2, 10, 0, 0, 0, 0, 0]
    assert column(early, "dropped") == [0] * 7


def test_median_and_p90_days_in_stage_as_of(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    sel = Selection(program_ids=(scenario.program_id,))
    now = durations(db, actors["manager"], sel, date(2025, 4, 1)).set_index("stage")
    # referred: 10 left after 10 days, 1 dropped after 19 → median 10, p90 (10th of 11) 10
    assert (
        now.at["referred", "stays"],
        now.at["referred", "median_days"],
        now.at["referred", "p90_days"],
    ) == (11, 10, 10)
    # screened: 8 stays of 20 days, 2 of 25 (dropped) → median 20, p90 25
    assert (
        now.at["screened", "stays"],
        now.at["screened", "median_days"],
        now.at["screened", "p90_days"],
    ) == (10, 20, 25)
    assert (now.at["accepted", "median_days"], now.at["accepted", "p90_days"]) == (30, 30)
    assert now.at["matched", "stays"] is None  # one stay only: hidden
    past = durations(db, actors["manager"], sel, date(2025, 2, 1)).set_index("stage")
    assert (past.at["screened", "stays"], past.at["screened", "p90_days"]) == (8, 20)
    assert "accepted" not in past.index


def test_complementary_suppression_across_groups(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    sel = Selection(program_ids=(scenario.program_id,))
    by_pop = funnel(db, actors["manager"], sel, date(2025, 4, 1), by="population").table
    referred = by_pop[by_pop["position"] == 1].set_index("group")["reached"]
    # Arab 3 is small; Haredi 9 would reveal it from the total of 12, so it is hidden too
    assert referred["arab"] is None and referred["haredi"] is None
    total = funnel(db, actors["manager"], sel, date(2025, 4, 1)).table
    assert column(total, "reached")[0] == 12


def test_dropoff_reasons_hide_small_counts(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    sel = Selection(program_ids=(scenario.program_id,))
    drops = dropoff(db, actors["manager"], sel, date(2025, 4, 1))
    assert set(drops["reason"]) == {"moved", "lost_contact"}
    assert all(v is None or v != v for v in drops["count"])
    assert dropoff(db, actors["manager"], sel, date(2025, 1, 19)).empty


def test_members_have_no_access_and_scope_is_enforced(
    db: Database, actors: dict[str, Actor]
) -> None:
    with pytest.raises(PermissionDenied):
        funnel(db, actors["member"], Selection())
    with pytest.raises(PermissionDenied):
        funnel(db, actors["mayor"], Selection(locality_codes=(246,)))
    mayor = funnel(db, actors["mayor"], Selection(), by="locality")
    assert set(mayor.groups) <= {1031}
    admin = funnel(db, actors["admin"], Selection(), by="locality")
    assert {1031, 246} <= set(admin.groups)


def test_time_to_outcome_by_cohort_hides_small_counts(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    sel = Selection(program_ids=(scenario.program_id,))
    for pid in scenario.ids[:6]:  # 104 days after entry: month 3
        svc.record_outcome(db, manager, pid, "job", date(2025, 4, 15))
    curve = time_to_outcome(db, manager, sel, date(2025, 6, 30))
    assert set(curve["cohort"]) == {"2025-H1"}
    shares = dict(zip(curve["month"], curve["share"], strict=True))
    assert shares == {0: 0.0, 1: 0.0, 2: 0.0, 3: 0.5, 4: 0.5, 5: 0.5, 6: 0.5}
    # as of an earlier date only the months observed by then are drawn
    early = time_to_outcome(db, manager, sel, date(2025, 3, 1))
    assert early["month"].max() == 1 and (early["share"] == 0).all()


def test_time_to_outcome_drops_points_revealing_few_people(
    db: Database, actors: dict[str, Actor], scenario: Scenario
) -> None:
    manager = actors["manager"]
    for pid in scenario.ids[:3]:
        svc.record_outcome(db, manager, pid, "job", date(2025, 4, 15))
    curve = time_to_outcome(
        db, manager, Selection(program_ids=(scenario.program_id,)), date(2025, 6, 30)
    )
    assert list(curve["month"]) == [0, 1, 2]  # 3 of 12 from month 3 on: hidden
