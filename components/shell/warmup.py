"""Import the pages' modules once per process, in the background, while the first visitor types.

A fresh server's first login used to import the landing page's modules (pandas, Altair, the
area's services: seconds on this machine) inside the login's round trip. Then they were imported
at the end of the login form's own run, in the script thread: the run stayed "running" for
seconds after the form was drawn, and a submit in that time (Streamlit's fast reruns start a new
script thread and leave the old one to finish) ran the login and the landing page side by side
with the rest of those imports, competing for the interpreter lock (profiled in
benchmarks/results/foundation.md).

Now a daemon thread imports them once the login form has been sent: the landing pages' modules
first, then every other page's, then the rest of the UI. Before each module it waits while any
script run is under way, so a submit (or any other session's run) shares the interpreter with at
most the one module being imported; whatever a run needs and this thread did not reach yet, the
run imports itself, as without a warm-up. The garbage collector is off while a module is imported
(imports allocate what stays alive; collections only walked it again) and the imported heap is
frozen after each (components.common.cache.settle_heap), so later collections stay short.

Measured (benchmarks/results/internals.md, a loaded 2-core machine): the 126 modules of the plan
took 36 s to import after the login form's own imports; once warmed, the login finds them done
(0.001 s). It uses no Streamlit internals: app.py marks each run with `script_run`.
"""

from __future__ import annotations

import ast
import gc
import importlib
import logging
import pkgutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_LOG = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
POLL_SECONDS = 0.02

_lock = threading.Lock()
_active_runs = 0
_started = False
_enabled = False
done = threading.Event()


def enable() -> None:
    """Let `start` warm this process up: serve.py does, for a real server. (Not under AppTest:
    its runs share the test's process, whose imports a thread would race.)"""
    global _enabled
    _enabled = True


@contextmanager
def script_run() -> Iterator[None]:
    """Mark a script run as under way (app.py wraps each run in it)."""
    global _active_runs
    with _lock:
        _active_runs += 1
    try:
        yield
    finally:
        with _lock:
            _active_runs -= 1


def busy() -> bool:
    return _active_runs > 0


def page_imports(script: str) -> list[str]:
    """The modules a page script imports at its top level, in order."""
    tree = ast.parse((ROOT / script).read_text(encoding="utf-8"))
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            # `from package import module`: the module itself, when it is one
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def plan() -> list[str]:
    """What to import, in order: the landing pages' modules, every page's, then the UI's."""
    from components.shell.navigation import DEFAULT_PAGE, PAGES

    scripts = list(dict.fromkeys([*DEFAULT_PAGE.values(), *(p.path for p in PAGES)]))
    names = [name for script in scripts for name in page_imports(script)]
    import components

    names += [m.name for m in pkgutil.walk_packages(components.__path__, "components.")]
    return list(dict.fromkeys(names))


def _import(name: str) -> None:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:  # `from package import name` where name is not a module: fine
            _LOG.warning("warm-up could not import %s", name, exc_info=exc)
    except Exception as exc:  # the page that needs it imports it again and shows the error
        _LOG.warning("warm-up could not import %s", name, exc_info=exc)


def warm(names: list[str] | None = None, poll: float = POLL_SECONDS) -> None:
    """Import `names` (by default the `plan`) one by one, each only while no script run is under
    way."""
    from components.common.cache import settle_heap

    for name in plan() if names is None else names:
        while busy():
            time.sleep(poll)
        collecting = gc.isenabled()
        gc.disable()  # imports allocate only what stays: collections would walk it for nothing
        try:
            _import(name)
        finally:
            if collecting:
                gc.enable()
        settle_heap()
    done.set()


def start() -> None:
    """Start the warm-up once per process, if enabled (later calls return at once)."""
    global _started
    with _lock:
        if _started or not _enabled:
            return
        _started = True
    threading.Thread(target=warm, name="employdash-warmup", daemon=True).start()
