"""The stakeholder area's fixed vocabularies, for the UI: the models keep them as check constraints,
and components read them here rather than reaching into the models."""

from employdash.models.core import SECTORS
from employdash.models.stakeholders import (
    AUDIENCES,
    BRANCHES,
    ENGAGEMENTS,
    HIRING_HORIZONS,
    RELATION_KINDS,
    REMOTE_STANCES,
    SERVICE_CONTACTS,
    STANCES,
    TRAINING_NEEDS,
    TRAINING_OFFERED,
)

__all__ = [
    "AUDIENCES",
    "BRANCHES",
    "ENGAGEMENTS",
    "HIRING_HORIZONS",
    "RELATION_KINDS",
    "REMOTE_STANCES",
    "SECTORS",
    "SERVICE_CONTACTS",
    "STANCES",
    "TRAINING_NEEDS",
    "TRAINING_OFFERED",
]
