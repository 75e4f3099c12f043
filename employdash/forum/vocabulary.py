"""The forum's fixed vocabularies, for the UI (the models keep them as check constraints)."""

from employdash.models.forum import FORUM_ROLES, TASK_STATUSES, TEAM_KINDS

__all__ = ["FORUM_ROLES", "TASK_STATUSES", "TEAM_KINDS"]
