"""The login's warm-up: the pages' modules are imported in the background, never beside a run.

The bug: the login form's run imported every UI module after drawing the form, in the script
thread. The run stayed "running" for seconds, and a submit in that time started a new script
thread (Streamlit's fast reruns) while the old one went on importing: the login's bcrypt check and
the landing page ran side by side with those imports (benchmarks/results/foundation.md). And
Streamlit's source watcher re-read every imported module's path on the event loop after the
landing page's run, holding back every session's messages.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from components.shell import navigation, warmup

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def probe_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Two importable modules no one has imported, each noting when it was imported."""
    names = [f"warmup_probe_{i}_{tmp_path.name}".replace("-", "_") for i in range(2)]
    for name in names:
        (tmp_path / f"{name}.py").write_text("import time\nIMPORTED_AT = time.monotonic()\n")
    (tmp_path / "warmup_broken.py").write_text("raise RuntimeError('a page module that fails')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield names
    for name in [*names, "warmup_broken"]:
        sys.modules.pop(name, None)


def test_the_warm_up_imports_nothing_while_a_script_runs(probe_modules: list[str]) -> None:
    done = threading.Event()

    def warm_then_signal() -> None:
        warmup.warm(probe_modules, poll=0.005)
        done.set()

    with warmup.script_run():  # a login submitted: its run is under way
        thread = threading.Thread(target=warm_then_signal, daemon=True)
        thread.start()
        time.sleep(0.3)
        assert not any(name in sys.modules for name in probe_modules)
        run_ended = time.monotonic()
    thread.join(timeout=10)
    assert done.is_set()
    assert all(run_ended <= sys.modules[name].IMPORTED_AT for name in probe_modules)


def test_a_run_that_stops_or_reruns_still_ends_its_mark() -> None:
    """Streamlit's st.stop and st.rerun are BaseExceptions: the mark must go with them."""
    for control in (KeyboardInterrupt, SystemExit):
        with pytest.raises(control), warmup.script_run():
            assert warmup.busy()
            raise control
    assert not warmup.busy()


def test_a_module_that_fails_to_import_does_not_stop_the_warm_up(
    probe_modules: list[str],
) -> None:
    warmup.warm(["warmup_broken", *probe_modules])
    assert all(name in sys.modules for name in probe_modules)


def test_the_landing_pages_modules_come_first_and_every_page_is_covered() -> None:
    plan = warmup.plan()
    landing = {name for s in navigation.DEFAULT_PAGE.values() for name in warmup.page_imports(s)}
    assert set(plan[: len(landing)]) == landing
    for page in navigation.PAGES:
        assert set(warmup.page_imports(page.path)) <= set(plan)
    assert "components.briefing.sections" in landing  # the leaders' landing page: the briefing


def test_the_warm_up_starts_only_where_serve_py_enabled_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not under AppTest (app.py alone): its runs share the test process's imports."""
    started: list[object] = []
    monkeypatch.setattr(warmup, "_started", False)
    monkeypatch.setattr(warmup, "_enabled", False)

    def record_thread(**kw: object) -> _NoThread:
        started.append(kw)
        return _NoThread()

    monkeypatch.setattr(threading, "Thread", record_thread)
    warmup.start()
    assert started == []
    warmup.enable()
    warmup.start()
    warmup.start()
    assert len(started) == 1


class _NoThread:
    def start(self) -> None:
        pass


def _served_option(command_line: str | None = None) -> str:
    """`server.fileWatcherType` once serve.py is loaded, as `streamlit run serve.py` loads it
    (the command line's options are set first)."""
    preset = (
        f"config.set_option('server.fileWatcherType', {command_line!r}, 'command-line'); "
        if command_line
        else ""
    )
    code = (
        f"from streamlit import config; {preset}import serve; "
        "print(config.get_option('server.fileWatcherType'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_served_the_source_watcher_is_off_unless_asked_for() -> None:
    assert _served_option() == "none"
    assert _served_option("poll") == "poll"  # `--server.fileWatcherType poll`
