"""The forum's fixed vocabularies, for the UI (the models keep them as check constraints)."""

from employdash.models.forum import TASK_STATUSES

__all__ = ["TASK_STATUSES"]
