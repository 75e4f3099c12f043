"""Streamlit's scan of the installed packages for components, once per test process.

Every new AppTest runs `BidiComponentManager.discover_and_register_components`, which reads the
metadata of every installed distribution (84 in this environment) in a pool of threads. That
scan was most of an AppTest's cost: `app_as("manager", "pages/tasks.py")` took 0.86 s with it
and 0.22 s without it (median of 6 alternating runs on the shared 2-core machine), and the
suite creates an AppTest in nearly every test under tests/app/. The installed packages do not
change while the tests run, so the first scan's answer is every later scan's answer: it is kept
for the process. The scan itself still runs, once, and what it found is still registered in each
AppTest's own component manager. tests/test_streamlit_internals.py fails if Streamlit stops
looking the scan up where this replaces it.
"""

from __future__ import annotations

import functools


def scan_components_once() -> None:
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if not hasattr(scan, "cache_info"):
        manifest_scanner.scan_component_manifests = functools.cache(
            scan
        )  # same signature, answer kept
