"""Small-count suppression for every aggregate the product shows.

Primary suppression hides any count from 1 to threshold-1. Complementary suppression then hides
the next-smallest cell of a group whenever exactly one cell is hidden and the group's total is
shown, because the hidden one could otherwise be derived as total minus the others.
"""

from __future__ import annotations

from collections.abc import Mapping


def is_small(count: int | None, threshold: int) -> bool:
    return count is not None and 0 < count < threshold


def suppress_group(
    cells: Mapping[str, int | None], threshold: int, total_shown: bool = True
) -> dict[str, int | None]:
    """Return the cells with hidden ones as None."""
    result: dict[str, int | None] = {
        k: (None if is_small(v, threshold) else v) for k, v in cells.items()
    }
    hidden = [k for k, v in cells.items() if v is not None and result[k] is None]
    if total_shown and len(hidden) == 1:
        candidates = sorted(
            (v, k) for k, v in result.items() if v is not None and k not in hidden and v > 0
        )
        if candidates:
            result[candidates[0][1]] = None
    return result


def suppress_total(total: int | None, threshold: int) -> int | None:
    return None if is_small(total, threshold) else total
