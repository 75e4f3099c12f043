"""Every section of the forum page is a tab a person can open, with its content (drawn only
while it is open), in both languages (the tabs wrap onto more rows in a narrow window:
tests/e2e/test_forum_tabs.py)."""

from __future__ import annotations

import pytest

from components.forum.views import EDITOR_TABS, TABS
from employdash.i18n import t
from tests.support.apptest import app_as


@pytest.mark.parametrize(
    ("username", "lang", "sections"),
    [
        ("manager", "he", TABS + EDITOR_TABS),
        ("manager", "en", TABS + EDITOR_TABS),
        ("member", "en", TABS),
    ],
)
def test_every_section_is_a_tab_with_its_content(
    app_db: str, username: str, lang: str, sections: tuple[str, ...]
) -> None:
    at = app_as(username, "pages/forum.py", lang=lang, locality=1031)
    assert not at.exception, at.exception
    labels = [t(key, lang) for key in sections]
    tabs = {tab.label: tab for tab in at.tabs}
    assert [label for label in tabs if label in labels] == labels
    assert (t("forum.tab.setup", lang) in tabs) == (username == "manager")
    for label in labels:  # only the open tab's content runs: open each in turn
        at.session_state[f"forum_tabs_{lang}"] = label  # what a click on the tab sends
        at.run()
        assert not at.exception, (label, at.exception)
        tabs = {tab.label: tab for tab in at.tabs}
        assert len(tabs[label].children) > 0, label
        assert all(not tab.children for other, tab in tabs.items() if other != label), label
