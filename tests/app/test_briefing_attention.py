"""The briefing page shows an off-track target of the forum's plan in its attention list, even
when more indicators are falling than the list has places (AppTest)."""

from __future__ import annotations

import re

import pytest

from employdash.db import Database
from tests.support.apptest import app_as, rendered, texts
from tests.support.falling import every_headline_falling

SEDEROT = 1031
OFF_TRACK = {
    "he": "המדד דורשי עבודה חורג מהמסלול ליעד שלו.",
    "en": "Job seekers is off track against its target.",
}
FALLING = {"he": "גרוע מאשתקד", "en": "worse than a year earlier"}


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_mayor_sees_the_off_track_target_among_falling_indicators(
    app_db: str, lang: str
) -> None:
    db = Database(app_db)
    every_headline_falling(db, SEDEROT)
    db.dispose()
    at = app_as("mayor", "pages/briefing.py", lang=lang)
    assert not at.exception, at.exception
    items = re.findall(r"^\d+\. (.+)$", rendered(texts(at)), re.MULTILINE)
    assert len(items) == 5
    # each kind's worst (indicator, target, forum, mentoring), then the next falling indicator
    assert sum(FALLING[lang] in item for item in items) == 2
    assert OFF_TRACK[lang] in [re.sub(r"[\u2066-\u2069]", "", item) for item in items]
