"""Stakeholders at scale: 2,000 stakeholders and 10,000 relations in one locality, and 50,000
employer survey responses across the 14 program localities. Figures: the grid, the network and
the region's survey summary, each rendered to a chart spec, against the raw queries behind them
measured in the same run, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import altair as alt
from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from benchmarks.harness import Figure, paired_median_times, write
from components.stakeholders.charts import grid_chart, network_chart
from components.stakeholders.survey_charts import (
    hiring_chart,
    professions_chart,
    satisfaction_chart,
    training_chart,
)
from employdash.access import Actor, ReadScope, only
from employdash.db import Database, migrate
from employdash.i18n import t
from employdash.models import SECTORS, Organisation
from employdash.models.base import Base
from employdash.models.stakeholders import (
    BRANCHES,
    HIRING_HORIZONS,
    RELATION_KINDS,
    EmployerSurveyPosition,
    EmployerSurveyResponse,
    Stakeholder,
    StakeholderPosition,
    StakeholderRelation,
)
from employdash.reference import load as load_reference
from employdash.seed.context import PROGRAM_LOCALITIES
from employdash.stakeholders import grid as stakeholders_map
from employdash.stakeholders import network as stakeholders_network
from employdash.stakeholders import surveys
from employdash.stakeholders.grid import forum_member_ids, grid_query, previous_positions
from employdash.stakeholders.network import nodes_query, relations_query

CODE = 1031
STAKEHOLDERS, RELATIONS, RESPONSES = 2_000, 10_000, 50_000
AS_OF = date(2026, 11, 1)
PROFESSIONS = (
    "מלצרות",
    "נהגים",
    "מטפלות",
    "מחסנאים",
    "מפתחי תוכנה",
    "אנשי מכירות",
    "רתכים",
    "קופאים",
    "טבחים",
    "חשמלאים",
    "מורים",
    "סייעות",
)
NEEDS = ("מלגזה", "שירות לקוחות", "עברית לעבודה", "אקסל", "בטיחות בעבודה", "ניהול צוות")
ADMIN = Actor(user_id=0, username="bench", full_name="bench", role="admin", localities=None)
REPEAT = 7


AnyChart = (
    alt.Chart
    | alt.ConcatChart
    | alt.FacetChart
    | alt.HConcatChart
    | alt.LayerChart
    | alt.RepeatChart
    | alt.VConcatChart
)


def render(chart: AnyChart) -> None:
    """What `st.altair_chart` does with a chart: the Vega-Lite spec plus Arrow datasets."""
    _convert_altair_to_vega_lite_spec(chart)


def tr(key: str, **params: object) -> str:
    return t(key, "he", **params)


def _chunks(rows: list[dict[str, Any]], size: int = 5_000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _bulk(s: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        s.execute(insert(model), chunk)


def build(db: Database) -> None:
    migrate(db)
    load_reference(db)
    rng = random.Random(5)
    with db.transaction() as s:
        _bulk(
            s,
            Organisation,
            [
                {"name": f"ארגון {i}", "sector": SECTORS[i % len(SECTORS)], "locality_code": CODE}
                for i in range(STAKEHOLDERS)
            ],
        )
        orgs = s.scalars(
            select(Organisation.id)
            .where(Organisation.locality_code == CODE)
            .order_by(Organisation.id)
        ).all()
        _bulk(
            s,
            Stakeholder,
            [
                {
                    "locality_code": CODE,
                    "organisation_id": org,
                    "sector": SECTORS[k % len(SECTORS)],
                    "power": rng.randint(1, 5),
                    "interest": rng.randint(1, 5),
                    "version": 1,
                    "stance": "neutral",
                    "engagement": "forum_member" if k < 40 else "contacted",
                }
                for k, org in enumerate(orgs)
            ],
        )
        ids = s.scalars(select(Stakeholder.id).where(Stakeholder.locality_code == CODE)).all()
        _bulk(
            s,
            StakeholderPosition,
            [
                {
                    "stakeholder_id": i,
                    "review_period": date(2026, 7, 1),
                    "power": rng.randint(1, 5),
                    "interest": rng.randint(1, 5),
                    "stance": "neutral",
                    "engagement": "contacted",
                }
                for i in ids
                if rng.random() < 0.7
            ],
        )
        seen: set[tuple[int, int, str]] = set()
        while len(seen) < RELATIONS:
            a, b = rng.sample(ids, 2)
            seen.add((a, b, rng.choice(RELATION_KINDS)))
        _bulk(
            s,
            StakeholderRelation,
            [
                {"locality_code": CODE, "source_id": a, "target_id": b, "kind": k}
                for a, b, k in sorted(seen)
            ],
        )
        employers = {}
        for code in PROGRAM_LOCALITIES:
            _bulk(
                s,
                Organisation,
                [
                    {"name": f"מעסיק {code}-{i}", "sector": "employer", "locality_code": code}
                    for i in range(400)
                ],
            )
            employers[code] = s.scalars(
                select(Organisation.id).where(
                    Organisation.locality_code == code, Organisation.sector == "employer"
                )
            ).all()
        per = RESPONSES // len(PROGRAM_LOCALITIES)
        rows = []
        for code in PROGRAM_LOCALITIES:
            for k in range(
                per
                + (
                    RESPONSES - per * len(PROGRAM_LOCALITIES)
                    if code == PROGRAM_LOCALITIES[0]
                    else 0
                )
            ):
                rows.append(
                    {
                        "locality_code": code,
                        "organisation_id": employers[code][k % 400],
                        "survey_date": AS_OF - timedelta(days=k // 400 + 1),
                        "branch": rng.choice(BRANCHES),
                        "hiring_horizon": rng.choice(HIRING_HORIZONS),
                        "remote_work": "not_relevant",
                        "training_offered": "none",
                        "training_needs": rng.sample(NEEDS, rng.randint(0, 2)),
                        "recruitment_areas": [code],
                        "service_contact": "regular",
                        "satisfaction": rng.randint(1, 5),
                        "community_interest": rng.random() < 0.5,
                        "created_by": "bench",
                    }
                )
        _bulk(s, EmployerSurveyResponse, rows)
        response_ids = s.scalars(select(EmployerSurveyResponse.id)).all()
        _bulk(
            s,
            EmployerSurveyPosition,
            [
                {"response_id": r, "profession": p, "count": rng.randint(1, 9)}
                for r in response_ids
                for p in rng.sample(PROFESSIONS, rng.randint(0, 3))
            ],
        )


def _raw_grid(db: Database) -> None:
    with db.transaction() as s:
        s.execute(grid_query(only(CODE))).all()
        previous_positions(s, only(CODE), AS_OF)


def _raw_network(db: Database) -> None:
    with db.transaction() as s:
        s.execute(nodes_query(only(CODE))).all()
        s.execute(relations_query(only(CODE))).all()
        forum_member_ids(s, only(CODE))


def _raw_survey(db: Database) -> None:
    with db.transaction() as s:
        surveys.summary_queries(s, ReadScope(frozenset(PROGRAM_LOCALITIES)))


def _grid(db: Database) -> None:
    render(grid_chart(stakeholders_map.grid(db, ADMIN, CODE, as_of=AS_OF), tr))


def _network(db: Database) -> None:
    model = stakeholders_network.network(db, ADMIN, CODE)
    render(network_chart(model.nodes, stakeholders_network.drawable_edges(model), tr))


def _grid_model(db: Database) -> None:
    stakeholders_map.grid(db, ADMIN, CODE, as_of=AS_OF)


def _network_model(db: Database) -> None:
    stakeholders_network.drawable_edges(stakeholders_network.network(db, ADMIN, CODE))


def _survey(db: Database) -> None:
    summary = surveys.summary(db, ADMIN, list(PROGRAM_LOCALITIES))
    for chart in (
        professions_chart(summary.by_profession, tr),
        hiring_chart(summary.hiring, tr),
        training_chart(summary.training, tr),
        satisfaction_chart(summary.satisfaction, tr),
    ):
        render(chart)


def measure(db: Database, label: str) -> list[Figure]:
    codes = list(PROGRAM_LOCALITIES)
    cases = (
        (
            "grid read model (2,000 stakeholders)",
            lambda: stakeholders_map.grid(db, ADMIN, CODE, as_of=AS_OF),
            _raw_grid,
            "grid query + previous positions",
            "within 3× of its raw queries",
        ),
        (
            "grid rendered: read model + chart conversion",
            lambda: _grid(db),
            _raw_grid,
            "grid query + previous positions",
            "under 0.5 s",
        ),
        (
            "network read model + layout (2,000 / 10,000)",
            lambda: stakeholders_network.network(db, ADMIN, CODE),
            _raw_network,
            "nodes, relations and forum-member queries",
            "within 5× of its raw queries",
        ),
        (
            "network rendered: read model + chart conversion",
            lambda: _network(db),
            _raw_network,
            "nodes, relations and forum-member queries",
            "under 1 s",
        ),
        (
            "grid rendered, against its read model",
            lambda: _grid(db),
            _grid_model,
            "grid read model (2,000 stakeholders)",
            "within 2× of its read model",
        ),
        (
            "network rendered, against its read model",
            lambda: _network(db),
            _network_model,
            "network read model + layout + drawable edges",
            "within 2× of its read model",
        ),
        (
            "survey summary, region (50,000 responses)",
            lambda: surveys.summary(db, ADMIN, codes),
            _raw_survey,
            "the summary's aggregate queries",
            "within 1.5× of its raw queries",
        ),
        (
            "survey summary rendered: summary + 4 chart conversions",
            lambda: _survey(db),
            _raw_survey,
            "the summary's aggregate queries",
            "within 2× of its raw queries",
        ),
    )
    figures = []
    for name, fn, raw, baseline, aim in cases:
        full_s, raw_s = paired_median_times(fn, partial(raw, db), REPEAT, warmup=1)
        figures.append(Figure(name, full_s, baseline, raw_s, label, aim))
        print(f"{label}: {name}: {full_s:.3f}s vs {raw_s:.3f}s", flush=True)
    return figures


def main() -> None:
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        build(db)
        figures += measure(db, "sqlite")
        db.dispose()
    from tests.support.postgres import create_database, drop_database, running_server

    with running_server() as server:
        db = Database(create_database(server, "bench_stakeholders"))
        build(db)
        figures += measure(db, "postgresql")
        db.dispose()
        drop_database(server, "bench_stakeholders")
    write(
        "stakeholders",
        figures,
        notes=(
            f"{STAKEHOLDERS:,} stakeholders and {RELATIONS:,} relations in one locality (70% "
            f"with a previous-quarter position), {RESPONSES:,} survey responses over "
            f"{len(PROGRAM_LOCALITIES)} localities with 0-3 professions each. Each figure is the "
            "service's read model plus converting its Altair charts the way st.altair_chart does "
            "(Vega-Lite spec and Arrow datasets); the read model alone is measured too. Each "
            "figure is against the raw SQL queries the service runs (but the two against their "
            "read model), median of 7 after a warm-up, each figure and its baseline timed "
            "alternately. The grid's and network's chart specs are built and validated once per "
            "language and height and refilled with each render's data "
            '(components/common/chart_specs.py); "rendered, against its read model" is the '
            "render over the read model alone, measured in the same run."
        ),
    )


if __name__ == "__main__":
    main()
