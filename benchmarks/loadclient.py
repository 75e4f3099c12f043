"""A protocol-level Streamlit client: one simulated browser session over the app's websocket.

Why not a browser per session: on a 2-core machine fifty Chromium tabs rendering Vega charts would
measure Chromium, not the app server. This client speaks the same protobuf messages the browser's
frontend sends (`BackMsg.rerun_script` with widget states and the page's script hash) and reads the
same `ForwardMsg`s, so every rerun the server does for it is the rerun it would do for a browser,
while the client's own cost is a protobuf parse. What it does not do is run custom components'
JavaScript (the login cookie is read by the server from the request's Cookie header, which this
client sends like a browser does).

Timing is from sending the action to the `script_finished` that ends the run it caused (a run the
script restarts with `st.rerun` counts until the restarted run ends).
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.typing import Subprotocol

from components.common.form_feedback import REQUIRED_MARK

FINISHED = (
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
)


class ActionFailed(RuntimeError):
    """The server did not finish the run, or the page lacked what the action needs."""


@dataclass
class Timing:
    kind: str
    seconds: float
    runs: int


@dataclass
class Session:
    """One user's session: cookies from the first HTTP request, then the websocket."""

    base: str
    timeout: float = 60.0
    cookies: dict[str, str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # page title -> page script hash
    page_hash: str = ""
    elements: list[tuple[str, Any]] = field(default_factory=list)
    states: dict[str, WidgetState] = field(default_factory=dict)  # kept values, like the browser
    timings: list[Timing] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    error_alerts: list[str] = field(default_factory=list)
    runs: int = 0
    # The fragment that drew each widget (by widget id): an action on it reruns that fragment.
    fragments: dict[str, str] = field(default_factory=dict)
    # Each keyed tab set the last run drew: its widget id and its tabs' labels.
    tab_sets: list[tuple[str, list[str]]] = field(default_factory=list)
    _ws: Any = None

    async def open(self) -> None:
        """GET the page (a load balancer may set its sticky cookie) and open the websocket."""
        self.cookies.update(await asyncio.to_thread(_get_cookies, self.base + "/", self.cookies))
        ws_url = self.base.replace("http://", "ws://", 1) + "/_stcore/stream"
        headers = {"Origin": self.base}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self._ws = await websockets.connect(
            ws_url,
            subprotocols=[Subprotocol("streamlit")],
            additional_headers=headers,
            max_size=None,
            open_timeout=self.timeout,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def load(self) -> float:
        """The first run, as when a browser opens the app."""
        return await self._rerun("load", ClientState(query_string=""))

    async def login(self, username: str, password: str, labels: dict[str, str]) -> float:
        seconds = await self.attempt_login(username, password, labels)
        if not self.logged_in:
            said = [e.body for kind, e in self.elements if kind == "alert"]
            raise ActionFailed(
                f"login as {username} did not open the app: {said or self.exceptions}"
            )
        return seconds

    @property
    def logged_in(self) -> bool:
        """The last run drew the app for someone: the logout button (the login page has the menu's
        login and accessibility statement pages too, so counting pages cannot tell)."""
        return any(
            kind == "button" and element.id.endswith("-logout_button")
            for kind, element in self.elements
        )

    async def attempt_login(self, username: str, password: str, labels: dict[str, str]) -> float:
        """Fill in the login form and submit it, whatever the outcome."""
        user = self._find("text_input", labels["username"])
        pwd = self._find("text_input", labels["password"])
        submit = self._find("button", labels["submit"])
        states = [
            WidgetState(id=user.id, string_value=username),
            WidgetState(id=pwd.id, string_value=password),
            WidgetState(id=submit.id, trigger_value=True),
        ]
        return await self._rerun("login", self._client_state(states))

    async def open_page(self, title: str, action: str) -> float:
        """Follow the sidebar link with this title (the menu shows titles; the default page's URL
        path is empty, so titles are the one name every page has)."""
        if title not in self.pages:
            raise ActionFailed(f"no page {title!r} for this user")
        self.page_hash = self.pages[title]
        return await self._rerun(action, self._client_state([]))

    async def choose(self, kind: str, label: str, pick: Any, action: str) -> float:
        """Set a single-choice button group (segmented control) to the option `pick` chooses."""
        widget = self._find(kind, label, enabled=True)
        options = [o.content for o in widget.options]
        current = options[widget.default[0]] if widget.default else None
        value = pick(options, current)
        state = WidgetState(id=widget.id)
        state.string_array_value.data.append(value)
        client_state = self._client_state([state])
        client_state.fragment_id = self.fragments.get(widget.id, "")
        return await self._rerun(action, client_state)

    async def tick(self, action: str) -> float:
        """Flip the first checkbox on the page (the meeting form's first attendance tick)."""
        widget = next(e for k, e in self.elements if k == "checkbox")
        sent = self.states.get(widget.id)
        state = WidgetState(id=widget.id)
        state.bool_value = not (sent.bool_value if sent is not None else widget.default)
        client_state = self._client_state([state])
        client_state.fragment_id = self.fragments.get(widget.id, "")
        return await self._rerun(action, client_state)

    async def select(self, label: str, pick: Any, action: str) -> float:
        """Set the selectbox labelled `label` to the option `pick` chooses (as `choose`)."""
        widget = self._find("selectbox", label, enabled=True)
        options = list(widget.options)
        sent = self.states.get(widget.id)
        current = sent.string_value if sent is not None else options[widget.default]
        state = WidgetState(id=widget.id)
        state.string_value = pick(options, current)
        client_state = self._client_state([state])
        client_state.fragment_id = self.fragments.get(widget.id, "")
        return await self._rerun(action, client_state)

    async def open_tab(self, label: str, action: str) -> float:
        """Click the tab labelled `label` (of a keyed tab set: the page reruns with it open)."""
        tabs = next((tid for tid, labels in self.tab_sets if label in labels), None)
        if tabs is None:
            raise ActionFailed(f"no tab labelled {label!r} on the page")
        state = WidgetState(id=tabs, string_value=label)
        return await self._rerun(action, self._client_state([state]))

    def widgets(self, kind: str, label: str) -> list[Any]:
        """The widgets of this kind and label drawn by the last run."""
        return [e for k, e in self.elements if k == kind and e.label == label]

    def _client_state(self, extra: list[WidgetState]) -> ClientState:
        """Like the browser: the values of widgets on the page now, plus this action's."""
        on_page = {getattr(e, "id", None) for _, e in self.elements}
        on_page |= {tabs for tabs, _ in self.tab_sets}
        self.states = {k: v for k, v in self.states.items() if k in on_page}
        state = ClientState(query_string="", page_script_hash=self.page_hash)
        for w in extra:
            if not w.HasField("trigger_value"):
                self.states[w.id] = w
        sent = {**self.states, **{w.id: w for w in extra}}
        state.widget_states.widgets.extend(sent.values())
        return state

    def _find(self, kind: str, label: str, enabled: bool = False) -> Any:
        for k, element in self.elements:
            if k != kind or (enabled and element.disabled):
                continue
            if element.label.removesuffix(REQUIRED_MARK) == label:  # "Username *" is "Username"
                return element
        raise ActionFailed(f"no {kind} labelled {label!r} on the page")

    async def _rerun(self, kind: str, client_state: ClientState) -> float:
        msg = BackMsg()
        msg.rerun_script.CopyFrom(client_state)
        self.elements = []
        self.tab_sets = []
        start = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        runs = 0
        while True:
            try:
                raw = await asyncio.wait_for(self._ws.recv(), timeout=self.timeout)
            except TimeoutError as exc:
                raise ActionFailed(f"{kind}: no end of run in {self.timeout:.0f} s") from exc
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            which = fwd.WhichOneof("type")
            if which == "delta":
                self._on_delta(fwd, kind)
            elif which == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in fwd.navigation.app_pages}
                self.page_hash = fwd.navigation.page_script_hash
            elif which == "page_not_found":
                self.exceptions.append(f"{kind}: page not found")
            elif which == "script_finished":
                runs += 1
                if fwd.script_finished in FINISHED:
                    break
                self.elements = []
                self.tab_sets = []
        seconds = time.perf_counter() - start
        self.runs += runs
        self.timings.append(Timing(kind, seconds, runs))
        return seconds

    def _on_delta(self, fwd: ForwardMsg, action: str = "") -> None:
        if fwd.delta.WhichOneof("type") == "add_block":
            self._on_block(fwd.delta.add_block)
        if fwd.delta.WhichOneof("type") != "new_element":
            return
        element = fwd.delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        proto = getattr(element, kind)
        if getattr(proto, "id", "") and fwd.delta.fragment_id:
            self.fragments[proto.id] = fwd.delta.fragment_id
        if kind == "exception":
            self.exceptions.append(f"{action}: {proto.type}: {proto.message}")
        elif kind == "alert" and proto.format == Alert.ERROR:
            self.error_alerts.append(proto.body)
        self.elements.append((kind, proto))

    def _on_block(self, block: Any) -> None:
        """A keyed tab set is sent as its block, then one block per tab, in order."""
        if block.WhichOneof("type") == "tab_container" and block.tab_container.id:
            self.tab_sets.append((block.tab_container.id, []))
        elif block.WhichOneof("type") == "tab" and self.tab_sets:
            self.tab_sets[-1][1].append(block.tab.label)


def _get_cookies(url: str, cookies: dict[str, str]) -> dict[str, str]:
    request = urllib.request.Request(url)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        jar: dict[str, str] = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(header)
            jar.update({k: m.value for k, m in parsed.items()})
        return jar
