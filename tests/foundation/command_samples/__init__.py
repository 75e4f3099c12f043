"""One valid command per registered command, for the pipeline's generic tests.

Each module of this package holds the samples of one product area, filed with `@sample(name)`
under the command's dotted name; `load()` imports them all. A sample builds its command from the
demo data of Sederot (the manager's locality), so the generic tests can run it as the manager.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from employdash.access import Actor
from employdash.commands import Command
from employdash.db import Database
from employdash.models.base import Base
from employdash.models.forum import Forum, StrategicFocus, Team
from tests.support.registry import registrar

SEDEROT = 1031
Sample = Callable[[Database, dict[str, Actor]], Command[Any]]
SAMPLES: dict[str, Sample] = {}
sample = registrar(SAMPLES)


def load() -> dict[str, Sample]:
    """Every area's samples, by command name."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return SAMPLES


def first(db: Database, model: type[Base], *where: Any) -> int:
    """The ID of the first demo record of `model` matching `where`."""
    with db.transaction() as s:
        found = s.scalar(select(model.id).where(*where).order_by(model.id).limit(1))  # type: ignore[attr-defined]
    assert found is not None, f"the demo data has no {model.__name__} for this sample"
    return int(found)


def of_forum(db: Database, model: type[Team] | type[StrategicFocus]) -> int:
    """A team or focus of Sederot's forum."""
    return first(
        db, model, model.forum_id.in_(select(Forum.id).where(Forum.locality_code == SEDEROT))
    )
