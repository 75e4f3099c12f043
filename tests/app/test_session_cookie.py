"""The one-time tokens a login trades for its cookie (components/shell/session_cookie.py)."""

from __future__ import annotations

import time

import pytest

from components.shell import session_cookie


def test_a_token_buys_its_cookie_once() -> None:
    token = session_cookie.issue_exchange("the-cookie", 123.0)
    assert session_cookie._redeem(token) == ("the-cookie", 123.0)
    assert session_cookie._redeem(token) is None
    assert session_cookie._redeem("never-issued") is None


def test_a_token_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    late, stale = session_cookie.issue_exchange("a", 1.0), session_cookie.issue_exchange("b", 1.0)
    now[0] += session_cookie.EXCHANGE_SECONDS + 1
    assert session_cookie._redeem(late) is None
    session_cookie.issue_exchange("c", 1.0)  # issuing drops the expired ones
    assert stale not in session_cookie._pending
