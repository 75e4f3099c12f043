"""Typed errors the services raise and the UI turns into messages.

Each carries a catalogue key (not a sentence) so the shell can show it in the user's language.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    message_key = "error.generic"

    def __init__(self, detail: str = "", **params: Any) -> None:
        super().__init__(detail or self.message_key)
        self.detail = detail
        self.params = params


class ConfigError(DomainError):
    message_key = "error.config"


class PermissionDenied(DomainError):
    message_key = "error.permission"


class NotFound(DomainError):
    message_key = "error.not_found"


class ValidationError(DomainError):
    """Bad input; `fields` maps a field name to a catalogue key describing what is wrong, and
    `field_params` a field name to that key's placeholders (e.g. the length limit)."""

    message_key = "error.validation"

    def __init__(
        self,
        fields: dict[str, str],
        detail: str = "",
        field_params: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail or "; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields
        self.field_params = field_params or {}


class StaleVersion(DomainError):
    """Someone else saved the record since it was read; `changes` says what they changed."""

    message_key = "error.stale"

    def __init__(self, changes: dict[str, tuple[Any, Any]], current_version: int) -> None:
        super().__init__(f"changed by someone else: {sorted(changes)}")
        self.changes = changes
        self.current_version = current_version


class DatabaseUnavailable(DomainError):
    message_key = "error.db_unavailable"


class SchemaOutdated(DomainError):
    message_key = "error.schema_outdated"
