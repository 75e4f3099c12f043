"""The indicators' fixed vocabularies, for the UI (the models keep them as check constraints)."""

from employdash.models.indicators import UNITS

__all__ = ["UNITS"]
