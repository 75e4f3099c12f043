"""Mentoring's fixed vocabularies, for the UI (the models keep them as check constraints)."""

from employdash.models.mentoring import (
    AGE_BANDS,
    EVENT_KINDS,
    OPERATING_MODELS,
    OUTCOME_KINDS,
    POPULATIONS,
    PROGRAM_KINDS,
)

__all__ = [
    "AGE_BANDS",
    "EVENT_KINDS",
    "OPERATING_MODELS",
    "OUTCOME_KINDS",
    "POPULATIONS",
    "PROGRAM_KINDS",
]
