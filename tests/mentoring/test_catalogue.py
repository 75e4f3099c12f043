"""Every key the mentoring area builds dynamically exists in both languages."""

from __future__ import annotations

import re
from pathlib import Path

from employdash.i18n import has_key
from employdash.mentoring.operations import DROP_REASONS
from employdash.models.mentoring import (
    AGE_BANDS,
    EVENT_KINDS,
    MATCH_STATUSES,
    OPERATING_MODELS,
    OUTCOME_KINDS,
    POPULATIONS,
    ROLES,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = {
    "mentee": (
        "referred",
        "screened",
        "accepted",
        "matched",
        "in_sessions",
        "completed",
        "with_outcome",
    ),
    "mentor": ("recruited", "interviewed", "trained", "matched", "active", "completed"),
    "certification": (
        "enrolled",
        "in_training",
        "practicum",
        "supervised",
        "assessed",
        "certified",
    ),
}


def test_enumerations_and_stages_have_labels() -> None:
    keys = [f"ment.pop.{p}" for p in (*POPULATIONS, "mixed")]
    keys += [f"ment.model.{m}" for m in OPERATING_MODELS]
    keys += [f"ment.reason.{r}" for r in DROP_REASONS]
    keys += [f"ment.outcome.{o}" for o in OUTCOME_KINDS]
    keys += [f"ment.kind.{k}" for k in EVENT_KINDS]
    keys += [f"ment.age.{a}" for a in AGE_BANDS]
    keys += [f"ment.role.{r}" for r in ROLES]
    keys += [f"ment.match.{s}" for s in MATCH_STATUSES]
    keys += [f"ment.pipeline.{p}" for p in SHIPPED]
    keys += [f"ment.stage.{p}.{s}" for p, stages in SHIPPED.items() for s in stages]
    assert [k for k in keys if not has_key(k)] == []


def test_keys_named_in_the_domain_code_exist() -> None:
    used: set[str] = set()
    for path in [*ROOT.glob("employdash/mentoring/*.py")]:
        used |= set(
            re.findall(
                r'"(ment\.(?:import|validation)\.[a-z_.]+)"', path.read_text(encoding="utf-8")
            )
        )
    assert used and [k for k in sorted(used) if not has_key(k)] == []
