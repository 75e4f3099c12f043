"""Files ordered by what they cost, costliest first, for pytest-xdist's `--dist loadfile`.

xdist hands each idle worker the next whole file. In its own order (most tests first) the
browser files, few tests each but minutes long, came last and one worker ran the last of them
alone while the other idled. Longest-first leaves the many short files to even out the end.

COST is seconds per file (setup, call and teardown of its tests, from --junitxml) of one
`-n 3` run of the whole suite on the shared, loaded 2-core machine (the pipeline's property files,
tests/foundation/commands/, and tests/foundation/test_cli.py scaled by what they were measured to
save since); only the order matters, so it needs refreshing only when a file's cost changes a lot.
A file not listed counts PER_TEST seconds per test, or PER_BROWSER_TEST in tests/e2e/ (a browser
test costs thirty times another: counted like the rest, a new browser file came last and ran alone
at the end).
"""

from __future__ import annotations

import pytest

# The run's seconds over its tests, browser files and the others apart.
PER_TEST = 0.9
PER_BROWSER_TEST = 29

COST: dict[str, float] = {
    "tests/e2e/test_accessibility.py": 239,
    "tests/e2e/test_forum_from_empty.py": 174,
    "tests/e2e/test_zoom.py": 155,
    "tests/e2e/test_year_summary.py": 150,  # estimated: one journey, eight downloads
    "tests/e2e/test_mentoring.py": 130,
    "tests/e2e/test_between_meetings.py": 121,  # measured alone (counted as 29, it came later)
    "tests/e2e/test_record_journey.py": 118,  # measured alone, as above
    "tests/e2e/test_login_language.py": 88,
    "tests/e2e/test_sessions.py": 84,
    "tests/test_architecture.py": 84,
    "tests/e2e/test_readme_install.py": 80,
    "tests/indicators/test_briefing_stages.py": 79,
    "tests/foundation/test_cli.py": 75,
    "tests/app/test_mentoring.py": 71,
    "tests/replicas/test_replicas.py": 71,
    "tests/e2e/test_stakeholders.py": 64,
    "tests/e2e/test_user_text.py": 63,
    "tests/foundation/commands/test_foreign_references.py": 62,
    "tests/e2e/test_forum_flow.py": 55,
    "tests/e2e/test_survey.py": 55,
    "tests/e2e/test_briefing.py": 51,
    "tests/foundation/test_backup.py": 49,
    "tests/e2e/test_keyboard.py": 47,
    "tests/mentoring/test_ui_services.py": 46,
    "tests/e2e/test_briefing_partial_import.py": 40,
    "tests/e2e/test_rtl_first_paint.py": 40,
    "tests/foundation/commands/test_refused_roles.py": 38,
    "tests/foundation/commands/test_texts_and_versions.py": 32,
    "tests/foundation/test_users.py": 32,
    "tests/indicators/test_briefing.py": 32,
    "tests/app/test_stakeholders.py": 31,
    "tests/e2e/test_login_fast.py": 30,
    "tests/foundation/commands/test_audited.py": 30,
    "tests/foundation/commands/test_failed_last_step.py": 30,
    "tests/e2e/test_indicator_import.py": 29,
    "tests/foundation/test_handed_ids.py": 20,
    "tests/app/test_forum_record.py": 25,
    "tests/mentoring/test_funnel.py": 23,
    "tests/mentoring/test_import.py": 23,
    "tests/mentoring/test_services.py": 23,
    "tests/app/test_navigation.py": 20,
    "tests/forum/test_record.py": 20,
    "tests/app/test_outage.py": 19,
    "tests/app/test_login_warmup.py": 18,
    "tests/forum/test_stages_progress_health.py": 18,
    "tests/app/test_next_steps.py": 17,
    "tests/app/test_login.py": 15,
    "tests/forum/test_setup_rules.py": 15,
    "tests/foundation/test_localities_served.py": 15,
    "tests/stakeholders/test_survey_annex2.py": 15,
    "tests/forum/test_minutes_corrected.py": 14,
    "tests/foundation/test_audit_completeness.py": 14,
    "tests/indicators/test_import.py": 14,
    "tests/stakeholders/test_surveys.py": 14,
    "tests/app/test_admin_localities.py": 13,
    "tests/app/test_forum_pages.py": 13,
    "tests/foundation/test_authorization_matrix.py": 13,
    "tests/indicators/test_explorer.py": 13,
    "tests/foundation/test_bounded_input.py": 12,
    "tests/mentoring/test_stage_names_migration.py": 12,
    "tests/stakeholders/test_concurrency.py": 12,
    "tests/stakeholders/test_import.py": 12,
    "tests/stakeholders/test_register.py": 12,
    "tests/forum/test_meetings.py": 11,
    "tests/stakeholders/test_map.py": 11,
    "tests/app/test_refused_mentoring_forms.py": 10,
    "tests/foundation/test_access.py": 10,
    "tests/foundation/test_user_with_person.py": 10,
    "tests/indicators/test_import_scope.py": 10,
    "tests/app/test_briefing.py": 9,
    "tests/forum/test_briefing_pdf.py": 9,
    "tests/forum/test_tasks.py": 9,
    "tests/foundation/test_concurrency_all.py": 9,
    "tests/foundation/test_policy.py": 9,
    "tests/foundation/test_seed.py": 50,  # estimated: seeds five demos of its own
    "tests/importers/test_upload_limits.py": 9,
    "tests/stakeholders/test_chart_specs.py": 9,
    "tests/stakeholders/test_survey_migration.py": 9,
    "tests/app/test_admin.py": 8,
    "tests/app/test_localized_widgets.py": 8,
    "tests/forum/test_meeting_events.py": 8,
    "tests/forum/test_migration.py": 8,
    "tests/forum/test_next_steps.py": 8,
    "tests/foundation/test_scoped_reads.py": 8,
    "tests/indicators/test_values.py": 8,
    "tests/mentoring/test_standard_locking.py": 8,
    "tests/app/test_indicators_import.py": 7,
    "tests/app/test_setup_forms.py": 7,
    "tests/forum/test_metric_value_locking.py": 7,
    "tests/forum/test_value_version_migration.py": 7,
    "tests/foundation/test_reference.py": 7,
    "tests/foundation/test_schema.py": 7,
    "tests/indicators/test_local.py": 7,
    "tests/app/test_surveys.py": 6,
    "tests/forum/test_setup.py": 6,
    "tests/foundation/test_markdown_escaping.py": 6,
    "tests/app/test_indicators_explorer.py": 5,
    "tests/app/test_indicators_local.py": 5,
    "tests/app/test_stale_forms.py": 5,
    "tests/indicators/test_import_published.py": 5,
    "tests/stakeholders/test_network.py": 5,
    "tests/app/test_meeting_invalidation.py": 4,
    "tests/foundation/test_commands.py": 4,
    "tests/stakeholders/test_organisations.py": 4,
    "tests/app/test_chart_a11y.py": 3,
    "tests/app/test_refused_forum_forms.py": 3,
    "tests/stakeholders/test_rules.py": 3,
    "tests/app/test_accessibility_page.py": 2,
    "tests/foundation/test_config.py": 2,
    "tests/test_benchmark_results.py": 2,
    "tests/foundation/commands/test_rolled_back.py": 1,
    "tests/foundation/test_exports.py": 1,
    "tests/foundation/test_i18n.py": 1,
    "tests/indicators/test_matching.py": 1,
    "tests/test_ci_policy.py": 1,
    "tests/app/test_first_paint.py": 0,
    "tests/app/test_read_model_cache.py": 0,
    "tests/forum/test_catalogue.py": 0,
    "tests/foundation/test_command_declarations.py": 0,
    "tests/foundation/test_privacy.py": 0,
    "tests/importers/test_reading.py": 0,
    "tests/indicators/test_catalogue.py": 0,
    "tests/mentoring/test_catalogue.py": 0,
    "tests/test_streamlit_internals.py": 0,
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
        per_test = PER_BROWSER_TEST if name.startswith("tests/e2e/") else PER_TEST
        return COST.get(name, per_test * count[name])

    items.sort(key=lambda item: (-cost(file_of(item)), first[file_of(item)]))
