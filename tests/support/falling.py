"""Every headline indicator of a locality worse than a year earlier for its last months: more
indicator attention items than the briefing shows, so a test can see what else keeps a place."""

from __future__ import annotations

from sqlalchemy import select, update

from employdash.db import Database
from employdash.indicators.values import add_months
from employdash.models.indicators import IndicatorDefinition, IndicatorValue

MONTHS = 4


def every_headline_falling(db: Database, locality_code: int) -> None:
    """The last `MONTHS` months of each headline indicator a fifth worse than a year before."""
    with db.transaction() as s:
        for d in s.scalars(select(IndicatorDefinition).where(IndicatorDefinition.headline)):
            mine = IndicatorValue.locality_code == locality_code
            of_it = IndicatorValue.indicator_code == d.code
            latest = s.scalar(
                select(IndicatorValue.period)
                .where(mine, of_it)
                .order_by(IndicatorValue.period.desc())
            )
            if latest is None:
                continue
            worse = 0.8 if d.higher_is_better else 1.2
            for back in range(MONTHS):
                month = add_months(latest, -back)
                year_ago = s.scalar(
                    select(IndicatorValue.value).where(
                        mine, of_it, IndicatorValue.period == add_months(month, -12)
                    )
                )
                if year_ago is not None:
                    s.execute(
                        update(IndicatorValue)
                        .where(mine, of_it, IndicatorValue.period == month)
                        .values(value=year_ago * worse)
                    )
