"""What a committed import says it did, for every import (indicator files, survey files)."""

from __future__ import annotations

from typing import Protocol

from components.shell.context import tr


class ImportCounts(Protocol):
    """The rows of a committed file by what became of them."""

    @property
    def added(self) -> int: ...
    @property
    def revised(self) -> int: ...
    @property
    def unchanged(self) -> int: ...
    @property
    def rejected(self) -> int: ...


def import_done(key: str, result: ImportCounts) -> str:
    """The catalogue's `key` (an import's "done" line) with the result's four counts."""
    return tr(
        key,
        added=result.added,
        revised=result.revised,
        unchanged=result.unchanged,
        rejected=result.rejected,
    )
