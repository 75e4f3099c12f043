"""Files ordered by what they cost, costliest first, for pytest-xdist's `--dist loadfile`.

xdist hands each idle worker the next whole file. In its own order (most tests first) the
browser files, few tests each but minutes long, came last and one worker ran the last of them
alone while the other idled. Longest-first leaves the many short files to even out the end.

COST is seconds per file (setup, call and teardown of its tests, from --junitxml) of one
`-n 3` run of the whole suite on the shared, heavily loaded 2-core machine (about 2.7 times an idle
machine's figures; the pipeline's property files, tests/foundation/commands/, and
tests/test_ci_policy.py measured alone since and scaled alike); only the order matters, so it needs
refreshing only when a file's cost changes a lot. A file not listed counts PER_TEST seconds per
test.
"""

from __future__ import annotations

import pytest

PER_TEST = 5  # the whole run of COST over its number of tests

COST: dict[str, float] = {
    "tests/test_architecture.py": 425,
    "tests/e2e/test_accessibility.py": 399,
    "tests/e2e/test_forum_from_empty.py": 340,
    "tests/indicators/test_briefing_stages.py": 323,
    "tests/foundation/test_cli.py": 320,
    "tests/e2e/test_zoom.py": 224,
    "tests/mentoring/test_ui_services.py": 223,
    "tests/e2e/test_readme_install.py": 215,
    "tests/foundation/test_backup.py": 207,
    "tests/forum/test_record.py": 186,
    "tests/app/test_forum_record.py": 178,
    "tests/app/test_forum_pages.py": 170,
    "tests/foundation/test_users.py": 161,
    "tests/e2e/test_mentoring.py": 159,
    "tests/mentoring/test_import.py": 155,
    "tests/app/test_mentoring.py": 151,
    "tests/app/test_next_steps.py": 140,
    "tests/mentoring/test_funnel.py": 135,
    "tests/e2e/test_user_text.py": 132,
    "tests/forum/test_minutes_corrected.py": 132,
    "tests/e2e/test_sessions.py": 126,
    "tests/replicas/test_replicas.py": 125,
    "tests/e2e/test_stakeholders.py": 118,
    "tests/foundation/test_bounded_input.py": 118,
    "tests/mentoring/test_services.py": 112,
    "tests/e2e/test_login_fast.py": 111,
    "tests/app/test_setup_forms.py": 109,
    "tests/app/test_refused_mentoring_forms.py": 107,
    "tests/e2e/test_forum_flow.py": 104,
    "tests/app/test_surveys.py": 103,
    "tests/e2e/test_login_language.py": 102,
    "tests/app/test_stale_forms.py": 96,
    "tests/foundation/test_authorization_matrix.py": 92,
    "tests/app/test_login.py": 89,
    "tests/app/test_navigation.py": 87,
    "tests/forum/test_meetings.py": 82,
    "tests/foundation/test_concurrency_all.py": 80,
    "tests/foundation/test_policy.py": 79,
    "tests/app/test_refused_forum_forms.py": 77,
    "tests/e2e/test_briefing.py": 76,
    "tests/app/test_indicators_explorer.py": 70,
    "tests/e2e/test_keyboard.py": 69,
    "tests/forum/test_briefing_pdf.py": 66,
    "tests/e2e/test_survey.py": 65,
    "tests/e2e/test_indicator_import.py": 65,
    "tests/indicators/test_import.py": 54,
    "tests/indicators/test_briefing.py": 50,
    "tests/e2e/test_briefing_partial_import.py": 50,
    "tests/e2e/test_rtl_first_paint.py": 48,
    "tests/foundation/test_handed_ids.py": 47,
    "tests/forum/test_migration.py": 46,
    "tests/app/test_briefing.py": 46,
    "tests/app/test_indicators_import.py": 45,
    "tests/app/test_meeting_invalidation.py": 45,
    "tests/foundation/test_audit_completeness.py": 44,
    "tests/importers/test_upload_limits.py": 43,
    "tests/stakeholders/test_import.py": 43,
    "tests/app/test_outage.py": 43,
    "tests/indicators/test_import_scope.py": 42,
    "tests/stakeholders/test_chart_specs.py": 42,
    "tests/foundation/test_seed.py": 38,
    "tests/forum/test_setup.py": 38,
    "tests/app/test_admin.py": 37,
    "tests/stakeholders/test_survey_migration.py": 35,
    "tests/foundation/test_reference.py": 34,
    "tests/app/test_indicators_local.py": 34,
    "tests/app/test_accessibility_page.py": 34,
    "tests/indicators/test_local.py": 33,
    "tests/stakeholders/test_survey_annex2.py": 33,
    "tests/mentoring/test_stage_names_migration.py": 32,
    "tests/app/test_login_warmup.py": 28,
    "tests/stakeholders/test_concurrency.py": 27,
    "tests/foundation/test_user_with_person.py": 27,
    "tests/foundation/test_access.py": 27,
    "tests/app/test_stakeholders.py": 26,
    "tests/foundation/commands/test_foreign_references.py": 25,
    "tests/forum/test_stages_progress_health.py": 25,
    "tests/foundation/test_localities_served.py": 25,
    "tests/forum/test_setup_rules.py": 24,
    "tests/app/test_admin_localities.py": 23,
    "tests/stakeholders/test_surveys.py": 23,
    "tests/stakeholders/test_network.py": 23,
    "tests/stakeholders/test_map.py": 21,
    "tests/indicators/test_explorer.py": 20,
    "tests/forum/test_meeting_events.py": 20,
    "tests/indicators/test_values.py": 18,
    "tests/mentoring/test_standard_locking.py": 17,
    "tests/foundation/commands/test_audited.py": 16,
    "tests/foundation/commands/test_texts_and_versions.py": 16,
    "tests/foundation/commands/test_failed_last_step.py": 16,
    "tests/stakeholders/test_register.py": 16,
    "tests/forum/test_next_steps.py": 16,
    "tests/forum/test_metric_value_locking.py": 16,
    "tests/foundation/commands/test_refused_roles.py": 15,
    "tests/forum/test_tasks.py": 15,
    "tests/indicators/test_import_published.py": 15,
    "tests/app/test_localized_widgets.py": 14,
    "tests/stakeholders/test_organisations.py": 13,
    "tests/forum/test_value_version_migration.py": 13,
    "tests/foundation/test_schema.py": 13,
    "tests/foundation/test_scoped_reads.py": 11,
    "tests/forum/test_catalogue.py": 10,
    "tests/foundation/test_markdown_escaping.py": 8,
    "tests/foundation/test_config.py": 7,
    "tests/mentoring/test_catalogue.py": 6,
    "tests/app/test_chart_a11y.py": 6,
    "tests/foundation/test_commands.py": 5,
    "tests/test_ci_policy.py": 5,
    "tests/foundation/commands/test_rolled_back.py": 3,
    "tests/foundation/test_i18n.py": 2,
    "tests/foundation/test_exports.py": 1,
    "tests/test_streamlit_internals.py": 1,
    "tests/app/test_read_model_cache.py": 1,
    "tests/indicators/test_matching.py": 1,
    "tests/indicators/test_catalogue.py": 1,
    "tests/importers/test_reading.py": 1,
    "tests/app/test_first_paint.py": 1,
    "tests/stakeholders/test_rules.py": 0,
    "tests/test_benchmark_results.py": 0,
    "tests/foundation/test_privacy.py": 0,
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
