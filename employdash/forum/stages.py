"""The model's three stages and their milestones (WORKIT model ch. 3), and the stage they imply.

A forum is in the first stage whose milestones are not all checked; checking the last milestone of
a stage moves the forum on. Milestone names are catalogue keys: `forum.ms.<key>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STAGES: dict[int, tuple[str, ...]] = {
    1: (
        "mayor_on_board",
        "authority_agreement",
        "referent_appointed",
        "steering_team_formed",
        "first_stakeholder_map",
    ),
    2: (
        "employment_data_mapping",
        "organisation_questionnaires",
        "employer_survey",
        "public_participation",
        "forum_launched",
        "strategic_focuses_chosen",
        "work_plan_written",
        "task_teams_formed",
        "plan_presented_to_mayor",
    ),
    3: (
        "task_teams_meeting_monthly",
        "first_quarterly_control",
        "year_summary",
    ),
}
STAGE_KEYS = {1: "forum.stage.1", 2: "forum.stage.2", 3: "forum.stage.3"}
ALL_MILESTONES = tuple(key for keys in STAGES.values() for key in keys)
STAGE_OF = {key: stage for stage, keys in STAGES.items() for key in keys}

# The seven-meeting outline of annex 4, offered as the agenda of meeting number N.
MEETING_OUTLINE = {
    1: ("forum.outline.1.a", "forum.outline.1.b", "forum.outline.1.c", "forum.outline.1.d"),
    2: ("forum.outline.2.a", "forum.outline.2.b", "forum.outline.2.c"),
    3: ("forum.outline.3.a", "forum.outline.3.b", "forum.outline.3.c"),
    4: ("forum.outline.4.a", "forum.outline.4.b", "forum.outline.4.c"),
    5: ("forum.outline.5.a", "forum.outline.5.b", "forum.outline.5.c"),
    6: ("forum.outline.6.a", "forum.outline.6.b"),
    7: ("forum.outline.7.a", "forum.outline.7.b", "forum.outline.7.c"),
}


# Milestones the model leaves to the locality (a public-participation process is recommended,
# not required): marked not applicable with a reason, they do not hold the forum's stage back.
OPTIONAL_MILESTONES = frozenset({"public_participation"})
# The milestone the mayor's approval of the plan is the evidence of.
APPROVAL_MILESTONE = "plan_presented_to_mayor"


def stage_from(checked: set[str], start: int = 1) -> int:
    """The first stage from `start` (the stage the forum was set up at) with an unchecked
    milestone (3 once everything is done); `checked` holds the milestones done or marked not
    applicable."""
    for stage, keys in STAGES.items():
        if stage >= start and not set(keys) <= checked:
            return stage
    return 3


@dataclass(frozen=True)
class StageProgress:
    stage: int
    done: int
    total: int

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 1.0


def progress_by_stage(checked: set[str]) -> list[StageProgress]:
    return [StageProgress(s, len(set(k) & checked), len(k)) for s, k in STAGES.items()]


def stage_started_on(checks: dict[str, date], stage: int) -> date | None:
    """When the forum reached `stage`: the day the previous stage's last milestone was checked."""
    if stage == 1:
        return min(checks.values(), default=None)
    previous = [checks[k] for k in STAGES[stage - 1] if k in checks]
    return max(previous, default=None)
