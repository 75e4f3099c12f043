"""Streamlit's private APIs the app relies on, each held to what the app needs from it.

A Streamlit upgrade that renames, moves or changes one of these fails here with a message that
says which module depends on it and what to do, instead of somewhere deep in a page or a browser
test. Each one is kept because it pays for itself (benchmarks/results/internals.md):

- `streamlit.elements.vega_charts._convert_altair_to_vega_lite_spec`: components/common/charts.py
  converts a chart once, as `st.altair_chart` would, and caches the finished spec;
- `ScriptRunContext.pages_manager.main_script_hash` and `run_with_active_hash`: app.py runs as
  the main script in the first run of a fresh server (its login form's widget ids);
- `PagesManager.uses_pages_directory`: components/shell/context.current() leaves the
  pages-folder mode when a fresh server's first request is a mail's link to a page (it would
  run the page without app.py);
- Streamlit's `gc.collect()` after every script run (`runner.postScriptGC`): the reason
  components/common/cache.py freezes the imported heap.
"""

from __future__ import annotations

import inspect

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.testing.v1 import AppTest

UPGRADE = "a Streamlit upgrade changed a private API that {user} relies on: {what}"


def test_the_altair_converter_gives_the_spec_with_arrow_datasets() -> None:
    from streamlit.elements import vega_charts

    convert = getattr(vega_charts, "_convert_altair_to_vega_lite_spec", None)
    where = "components/common/charts.py (_drawing)"
    assert callable(convert), UPGRADE.format(
        user=where, what="vega_charts._convert_altair_to_vega_lite_spec is gone"
    )
    assert list(inspect.signature(convert).parameters) == ["altair_chart"], UPGRADE.format(
        user=where, what=f"its parameters are now {inspect.signature(convert)}"
    )
    frame = pd.DataFrame({"name": ["a", "b"], "n": [3, 5]})
    spec = convert(alt.Chart(frame).mark_bar().encode(x="name", y="n"))
    datasets = spec.get("datasets")
    assert isinstance(datasets, dict) and len(datasets) == 1, UPGRADE.format(
        user=where, what=f"the spec no longer carries one dataset per frame: {datasets!r}"
    )
    ((name, data),) = datasets.items()
    assert spec["data"] == {"name": name} and isinstance(data, bytes), UPGRADE.format(
        user=where, what="the datasets are no longer Arrow bytes referred to by name"
    )
    assert "width" not in spec.get("config", {}).get("view", {}), UPGRADE.format(
        user=where, what="Altair's default theme (fixed width) is no longer switched off"
    )
    # What charts.show does with it: the spec, as converted, drawn by the public element.
    st.vega_lite_chart(spec=dict(spec))


def _script_hashes() -> None:
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    assert ctx is not None
    main = ctx.pages_manager.main_script_hash
    # The same widget twice: only the active script's hash, part of a widget's id, tells them
    # apart (without it Streamlit refuses the second as a duplicate).
    with ctx.run_with_active_hash("another page"):
        st.text_input("name")
    with ctx.run_with_active_hash(main):
        st.text_input("name")
    st.text(main)


def test_a_run_can_act_as_the_main_script() -> None:
    """app.py's `_as_main_script`: `get_script_run_ctx()`, its `pages_manager.main_script_hash`,
    and `run_with_active_hash(hash)`, under which widgets get the ids that script gives them."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

    where = "app.py (_as_main_script)"
    assert callable(get_script_run_ctx), UPGRADE.format(user=where, what="get_script_run_ctx")
    method = getattr(ScriptRunContext, "run_with_active_hash", None)
    assert method is not None, UPGRADE.format(user=where, what="run_with_active_hash is gone")
    assert list(inspect.signature(method).parameters) == ["self", "page_hash"], UPGRADE.format(
        user=where, what=f"run_with_active_hash{inspect.signature(method)}"
    )
    at = AppTest.from_function(_script_hashes).run()
    assert not at.exception, UPGRADE.format(
        user=where, what=f"a widget's id no longer follows the active script: {at.exception}"
    )
    assert at.text[0].value, UPGRADE.format(user=where, what="main_script_hash is empty")
    first, second = at.text_input
    assert first.id != second.id, UPGRADE.format(
        user=where, what="a widget's id no longer includes the active script's hash"
    )


def test_streamlit_still_collects_garbage_after_every_script_run() -> None:
    """components/common/cache.py `settle_heap` freezes the imported heap because Streamlit runs a
    full `gc.collect()` after every script run; if it stops, settle_heap buys nothing: remove
    it (and its figure in benchmarks/bench_internals.py)."""
    from streamlit import config
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    where = "components/common/cache.py (settle_heap)"
    assert config.get_option("runner.postScriptGC") is True, UPGRADE.format(
        user=where, what="runner.postScriptGC is off by default"
    )
    source = inspect.getsource(ScriptRunner._on_script_finished)
    assert "gc.collect(" in source and "postScriptGC" in source, UPGRADE.format(
        user=where, what="ScriptRunner no longer collects garbage after a run"
    )


def test_every_apptest_looks_the_component_scan_up_where_the_tests_keep_it() -> None:
    """tests/support/components_scan.py keeps the first scan of the installed packages for the
    process; it works only while Streamlit looks `scan_component_manifests` up in its module
    when an AppTest starts."""
    from streamlit.components.v2 import manifest_scanner
    from streamlit.components.v2.component_manager import BidiComponentManager

    where = "tests/support/components_scan.py"
    source = inspect.getsource(BidiComponentManager.discover_and_register_components)
    assert "from streamlit.components.v2.manifest_scanner import" in source, UPGRADE.format(
        user=where, what="the component scan is no longer looked up in manifest_scanner"
    )
    assert "BidiComponentManager" in inspect.getsource(AppTest._run), UPGRADE.format(
        user=where, what="AppTest no longer scans for components through BidiComponentManager"
    )
    scan = manifest_scanner.scan_component_manifests
    assert hasattr(scan, "cache_info"), "tests/conftest.py did not install the kept scan"
    assert scan() is scan(), "the scan ran again instead of answering from the kept one"


def test_the_pages_folder_mode_is_a_flag_a_linked_page_can_leave() -> None:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import script_runner

    where = "components/shell/context.py (a mail's link to a fresh server)"
    assert hasattr(PagesManager, "uses_pages_directory"), UPGRADE.format(
        user=where, what="PagesManager.uses_pages_directory is gone"
    )
    assert "PagesManager.uses_pages_directory" in inspect.getsource(script_runner), UPGRADE.format(
        user=where, what="the script runner no longer chooses its mode by that flag"
    )
