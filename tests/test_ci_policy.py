"""The CI rule itself: a skip becomes a failure when CI is set.

The probe runs in this process (pytester's in-process run, with the real tests/conftest.py as a
plugin): a pytest of its own in a new interpreter twice cost two imports of everything the
conftest imports, the largest part of this test's time.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

PROBE = "import pytest\n\ndef test_skipped():\n    pytest.skip('probe')\n"


def test_a_skip_fails_under_ci(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(test_skip_probe=PROBE)
    arguments = ("-p", "tests.conftest", "-p", "no:cacheprovider", "-p", "no:xdist")
    monkeypatch.setenv("CI", "true")
    pytester.runpytest_inprocess(*arguments).assert_outcomes(failed=1)
    monkeypatch.delenv("CI")
    pytester.runpytest_inprocess(*arguments).assert_outcomes(skipped=1)
