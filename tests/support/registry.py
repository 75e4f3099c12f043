"""A decorator that files a test scenario under the service names it proves.

The audit-completeness and concurrency tables each keep one scenario per write service, and each
scans the services to find one that has none: this is their shared way of filling the table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])


def registrar(table: dict[str, F]) -> Callable[..., Callable[[F], F]]:
    """`under = registrar(TABLE)`; then `@under("pkg.module.service", ...)` files the function."""

    def under(*services: str) -> Callable[[F], F]:
        def register(fn: F) -> F:
            for service in services:
                table[service] = fn
            return fn

        return register

    return under
