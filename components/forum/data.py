"""Cached read models of the forum's pages: what the tasks page, the forum board and the meeting
form read on every run, read once per actor and inputs instead.

Each is the domain service itself, cached by `components.common.cache.read_model`: keyed by the
database and the actor (role, scope and person: one user's tasks never serve another), bounded,
expiring after CACHE_TTL_SECONDS (a write on another replica shows within that time), and cleared
by every command that invalidates one of the areas whose records it joins (a task's owner is a
person: a person renamed clears the task lists too). The services authorize every miss.
"""

from __future__ import annotations

from components.common.cache import read_model
from employdash.access import Area
from employdash.forum import (
    decisions,
    documents,
    health,
    history,
    planning,
    structure,
    target_status,
    targets,
)
from employdash.forum import tasks as task_service

# Tasks: the forum's records (tasks, teams, memberships) and the people they name.
TASKS = (Area.FORUM, Area.PEOPLE)
# Targets: the forum's metrics against the indicator values imported for them.
TARGETS = (Area.FORUM, Area.INDICATORS)
# Members and the people to pick: the forum's teams, the people and their organisations (an
# organisation is named and mapped by the stakeholder register too).
PEOPLE = (*TASKS, Area.STAKEHOLDERS)
# A record's history: its audit rows (the minutes sent for a meeting are the outbox's write).
HISTORY = (*TASKS, Area.OUTBOX)

my_tasks = read_model(*TASKS, max_entries=256)(task_service.my_tasks)
list_tasks = read_model(*TASKS)(task_service.list_tasks)
task_notes = read_model(*TASKS, max_entries=256)(task_service.notes_of)
overview = read_model(*TASKS)(structure.overview)
focus_work = read_model(*TASKS)(decisions.focus_work)
metric_statuses = read_model(*TARGETS)(target_status.metric_statuses)
metric_progress = read_model(*TARGETS)(targets.metric_progress)
forum_health = read_model(*TASKS, Area.INDICATORS)(health.forum_health)
members = read_model(*PEOPLE)(structure.members)
people_of = read_model(*PEOPLE)(structure.people_of)
record_history = read_model(*HISTORY)(history.record_history)
list_documents = read_model(*TASKS)(documents.list_documents)
# The indicators a metric can follow: the catalogue (local indicators are written under the
# catalogue area and clear the indicators' read models).
indicator_choices = read_model(Area.FORUM, Area.CATALOGUE, Area.INDICATORS)(
    structure.indicator_choices
)
my_invitations = read_model(Area.RSVP, *TASKS, max_entries=256)(planning.my_invitations)
