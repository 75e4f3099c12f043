"""Files ordered by what they cost, costliest first, for pytest-xdist's `--dist loadfile`.

xdist hands each idle worker the next whole file. In its own order (most tests first) the
browser files, few tests each but minutes long, came last and one worker ran the last of them
alone while the other idled. Longest-first leaves the many short files to even out the end.

COST is seconds per file (setup, call and teardown of its tests, from --junitxml) of one `-n 2`
run on the shared 2-core machine; only the order matters, so it needs refreshing only when a file's
cost changes a lot. A file not listed counts PER_TEST seconds per test.
"""

from __future__ import annotations

import pytest

PER_TEST = 0.5

COST: dict[str, float] = {
    "tests/e2e/test_accessibility.py": 471,
    # files added since, from a -n 3 run (same order of magnitude; only the order matters)
    "tests/foundation/test_commands.py": 86,
    "tests/e2e/test_readme_install.py": 55,
    "tests/foundation/test_cli.py": 51,
    "tests/indicators/test_briefing_stages.py": 46,
    "tests/e2e/test_indicator_import.py": 27,
    "tests/e2e/test_briefing_partial_import.py": 26,
    "tests/app/test_next_steps.py": 8,
    "tests/foundation/test_localities_served.py": 16,
    # tests/app/ from a -n 2 run of that folder once its AppTests shared one component scan
    # (tests/support/components_scan.py): about half what they cost before
    "tests/app/test_setup_forms.py": 12,
    "tests/app/test_login_warmup.py": 10,
    "tests/app/test_refused_mentoring_forms.py": 8,
    "tests/app/test_refused_forum_forms.py": 7,
    "tests/app/test_admin_localities.py": 6,
    "tests/e2e/test_mentoring.py": 364,
    "tests/e2e/test_zoom.py": 332,
    "tests/e2e/test_forum_from_empty.py": 314,
    "tests/foundation/test_audit_completeness.py": 212,
    "tests/e2e/test_stakeholders.py": 204,
    "tests/foundation/test_concurrency_all.py": 170,
    "tests/app/test_mentoring.py": 102,
    "tests/e2e/test_user_text.py": 125,
    "tests/e2e/test_forum_flow.py": 99,
    "tests/replicas/test_replicas.py": 95,
    "tests/e2e/test_sessions.py": 94,
    "tests/e2e/test_keyboard.py": 92,
    "tests/e2e/test_login_language.py": 82,
    "tests/e2e/test_briefing.py": 78,
    "tests/app/test_navigation.py": 52,
    "tests/e2e/test_survey.py": 73,
    "tests/app/test_forum_record.py": 28,
    "tests/app/test_forum_pages.py": 27,
    "tests/e2e/test_rtl_first_paint.py": 58,
    "tests/indicators/test_briefing.py": 58,
    "tests/mentoring/test_import.py": 51,
    "tests/foundation/test_users.py": 50,
    "tests/app/test_login.py": 17,
    "tests/mentoring/test_funnel.py": 40,
    "tests/e2e/test_login_fast.py": 40,
    "tests/forum/test_briefing_pdf.py": 38,
    "tests/mentoring/test_services.py": 30,
    "tests/foundation/test_seed.py": 28,
    "tests/foundation/test_authorization_matrix.py": 25,
    "tests/foundation/test_backup.py": 24,
    "tests/mentoring/test_ui_services.py": 22,
    "tests/test_ci_policy.py": 22,
    "tests/app/test_outage.py": 15,
    "tests/app/test_stakeholders.py": 14,
    "tests/stakeholders/test_register.py": 18,
    "tests/stakeholders/test_concurrency.py": 18,
    "tests/app/test_surveys.py": 7,
    "tests/forum/test_stages_progress_health.py": 16,
    "tests/app/test_admin.py": 5,
    "tests/stakeholders/test_survey_annex2.py": 15,
    "tests/stakeholders/test_chart_specs.py": 13,
    "tests/indicators/test_explorer.py": 13,
    "tests/forum/test_migration.py": 12,
    "tests/app/test_indicators_explorer.py": 9,
    "tests/foundation/test_bounded_input.py": 11,
    "tests/forum/test_meetings.py": 11,
    "tests/foundation/test_handed_ids.py": 9,
    "tests/stakeholders/test_surveys.py": 9,
    "tests/foundation/test_access.py": 8,
    "tests/forum/test_record.py": 8,
    "tests/indicators/test_values.py": 7,
    "tests/stakeholders/test_import.py": 7,
    "tests/stakeholders/test_map.py": 6,
    "tests/indicators/test_import.py": 6,
    "tests/forum/test_tasks.py": 6,
    "tests/forum/test_setup.py": 5,
    "tests/foundation/test_policy.py": 5,
    "tests/stakeholders/test_organisations.py": 5,
    "tests/app/test_accessibility_page.py": 2,
    "tests/foundation/test_schema.py": 5,
    "tests/importers/test_upload_limits.py": 4,
    "tests/stakeholders/test_survey_migration.py": 4,
    "tests/app/test_indicators_local.py": 4,
    "tests/app/test_briefing.py": 6,
    "tests/indicators/test_import_published.py": 4,
    "tests/mentoring/test_stage_names_migration.py": 4,
    "tests/indicators/test_local.py": 3,
}


def file_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def order_by_cost(items: list[pytest.Item]) -> None:
    """Sort `items` in place: whole files, costliest first; each file's tests keep their order."""
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for index, item in enumerate(items):
        name = file_of(item)
        first.setdefault(name, index)
        count[name] = count.get(name, 0) + 1

    def cost(name: str) -> float:
        return COST.get(name, PER_TEST * count[name])

    items.sort(key=lambda item: (-cost(file_of(item)), first[file_of(item)]))
