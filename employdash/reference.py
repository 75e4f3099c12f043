"""Reference data every installation needs: the CBS locality catalogue and the indicator catalogue.

One path loads it, for `migrate`, `prepare` and the demo seed, and it can run at any time, on an
empty database or on one in use: missing localities and definitions are added, existing ones get
the catalogue's current names, district and population (a locality renamed or merged by the CBS),
and which localities the installation serves (`Locality.is_program`, set by an admin) is never
touched. Indicator values are not reference data: imports write them.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from employdash.config import DATA_DIR
from employdash.db import Database
from employdash.indicators.catalogue import DEFINITIONS
from employdash.models import Locality
from employdash.models.indicators import IndicatorDefinition

LOCALITIES_CSV = DATA_DIR / "localities.csv"

# The catalogue's columns refreshed on every load; `is_program` and `region` are the installation's.
LOCALITY_FIELDS = (
    "name_he",
    "name_en",
    "district_id",
    "district_he",
    "district_en",
    "population",
    "latitude",
    "longitude",
    "municipal_status",
    "aliases",
)


@dataclass(frozen=True)
class Loaded:
    """What a load changed, for the command line to print."""

    localities_added: int
    localities_refreshed: int
    definitions_added: int
    definitions_refreshed: int

    def summary(self) -> str:
        return (
            f"reference data: {self.localities_added} localities added, "
            f"{self.localities_refreshed} refreshed; {self.definitions_added} indicator "
            f"definitions added, {self.definitions_refreshed} refreshed"
        )


def _number(text: str, kind: type[int] | type[float]) -> int | float | None:
    return kind(text) if text else None


@lru_cache(maxsize=1)
def _catalogue_rows() -> tuple[dict[str, str], ...]:
    with LOCALITIES_CSV.open(encoding="utf-8") as f:
        return tuple(csv.DictReader(f))


def _locality_fields(row: dict[str, str]) -> dict[str, Any]:
    aliases = ";".join(x for x in (row["previous_names"], row["merged_names"]) if x)
    return {
        "name_he": row["name_he"],
        "name_en": row["name_en"],
        "district_id": _number(row["district_id"], int),
        "district_he": row["district_he"] or None,
        "district_en": row["district_en"] or None,
        "population": _number(row["population"], int),
        "latitude": _number(row["latitude"], float),
        "longitude": _number(row["longitude"], float),
        "municipal_status": row["municipal_status"] or None,
        "aliases": aliases or None,
    }


def sub_districts() -> dict[int, str]:
    """The CBS sub-district (נפה) of each locality, in Hebrew as the catalogue names it.

    The database keeps the district; the sub-district is shown only on the localities page, so it
    is read from the catalogue file rather than stored."""
    return {int(r["code"]): r["sub_district_he"] for r in _catalogue_rows() if r["sub_district_he"]}


def _refresh(current: Any, fields: dict[str, Any]) -> bool:
    """Give an existing row the catalogue's values; True when any changed."""
    changed = any(getattr(current, k) != v for k, v in fields.items())
    for k, v in fields.items():
        setattr(current, k, v)
    return changed


def _load_localities(s: Session) -> tuple[int, int]:
    existing = {row.code: row for row in s.scalars(select(Locality))}
    added = refreshed = 0
    for row in _catalogue_rows():
        code, fields = int(row["code"]), _locality_fields(row)
        if code not in existing:
            s.add(Locality(code=code, is_program=False, **fields))
            added += 1
        else:
            refreshed += _refresh(existing[code], fields)
    s.flush()
    return added, refreshed


def _load_definitions(s: Session) -> tuple[int, int]:
    existing = {row.code: row for row in s.scalars(select(IndicatorDefinition))}
    added = refreshed = 0
    # Headline definitions first: breakdowns refer to them.
    for d in sorted(DEFINITIONS, key=lambda d: d.parent_code is not None):
        if d.code not in existing:
            s.add(IndicatorDefinition(**asdict(d)))
            s.flush()
            added += 1
        else:
            refreshed += _refresh(existing[d.code], asdict(d))
    s.flush()
    return added, refreshed


def load_reference(s: Session) -> Loaded:
    """Add and refresh the reference data in the caller's transaction (idempotent)."""
    return Loaded(*_load_localities(s), *_load_definitions(s))


def load(db: Database) -> Loaded:
    with db.transaction() as s:
        return load_reference(s)


def is_missing(db: Database) -> bool:
    """True when the database lacks reference data: two counts, cheap enough for every start."""
    with db.transaction() as s:
        localities = s.scalar(select(func.count()).select_from(Locality)) or 0
        definitions = s.scalar(select(func.count()).select_from(IndicatorDefinition)) or 0
    return localities < len(_catalogue_rows()) or definitions < len(DEFINITIONS)
