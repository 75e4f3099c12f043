"""`streamlit run`, for an app server that the browser-test modules of one worker share.

Starting an app server per module cost each module a Python start, Streamlit's and the app's
imports and the first runs of its pages. The modules that need no configuration of their own
share one server instead (tests/e2e/conftest.py): each loads the untouched demo into the server's
database file before it starts, and sends this process SIGUSR1, which forgets every cached read
model (st.cache_data: keyed by database URL and actor, so another module's answers would otherwise
be served for up to CACHE_TTL_SECONDS) and then touches the file named by FORGOTTEN_ENV, so the
test knows it is done. Everything else a server keeps between browser sessions lives in the
database.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

FORGOTTEN_ENV = "E2E_CACHES_FORGOTTEN_FILE"


def _forget_cached_data() -> None:
    import streamlit as st

    st.cache_data.clear()
    Path(os.environ[FORGOTTEN_ENV]).touch()


def _on_signal(_signum: int, _frame: FrameType | None) -> None:
    # Out of the signal handler: it interrupts the event loop's thread, which may hold a lock.
    threading.Thread(target=_forget_cached_data, name="forget-cached-data").start()


def main() -> None:
    from streamlit.web import cli

    signal.signal(signal.SIGUSR1, _on_signal)
    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
