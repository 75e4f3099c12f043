"""The model's quadrant rule, point spreading, follow-up and coverage rules (no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from employdash.stakeholders.rules import (
    BOUNDARY,
    RECOMMENDED_SECTORS,
    SPREAD,
    coverage_gaps,
    needs_follow_up,
    offsets,
    quadrant,
)


@pytest.mark.parametrize("power", range(1, 6))
@pytest.mark.parametrize("interest", range(1, 6))
def test_quadrant_follows_the_grid_lines(power: int, interest: int) -> None:
    high_p, high_i = power > BOUNDARY, interest > BOUNDARY
    expected = {(True, True): "A", (True, False): "B", (False, True): "C", (False, False): "D"}
    assert quadrant(power, interest) == expected[(high_p, high_i)]


def test_quadrant_corners_and_the_model_actions() -> None:
    assert quadrant(5, 5) == "A"  # work with them closely
    assert quadrant(5, 1) == "B"  # powerful but not interested: raise awareness
    assert quadrant(1, 5) == "C"  # interested but weak: build capacity and position
    assert quadrant(1, 1) == "D"  # do not invest
    assert quadrant(3, 3) == "A"  # "medium" counts as high


@pytest.mark.parametrize("count", [1, 2, 3, 7, 40, 500])
def test_offsets_keep_points_apart_and_inside_their_cell(count: int) -> None:
    spread = offsets(count)
    assert len(spread) == count
    assert len(set(spread)) == count
    assert all((dx * dx + dy * dy) ** 0.5 <= SPREAD + 1e-9 for dx, dy in spread)
    assert SPREAD < 0.5  # never reaches the neighbouring cell
    assert offsets(count) == spread  # deterministic


def test_follow_up_only_for_quadrant_a_after_sixty_days() -> None:
    today = date(2026, 11, 1)
    assert needs_follow_up(5, 5, None, today)
    assert needs_follow_up(4, 4, today - timedelta(days=61), today)
    assert not needs_follow_up(4, 4, today - timedelta(days=60), today)
    assert not needs_follow_up(5, 1, None, today)  # quadrant B
    assert not needs_follow_up(1, 5, today - timedelta(days=400), today)  # quadrant C


def test_coverage_gaps_name_missing_recommended_sectors_in_model_order() -> None:
    assert coverage_gaps(["municipality", "employer", "government"]) == [
        "employment_office",
        "academia_training",
        "ngo",
    ]
    assert coverage_gaps(RECOMMENDED_SECTORS) == []
