"""Settings, declared once with their defaults and help text.

Values come from the environment first, then from `.streamlit/secrets.toml` (read as plain TOML so
that this package never imports streamlit), then from the default. Secrets such as the cookie key
and the database URL are never in the repository: the default cookie key is a public demo value
that `check_production_safety` refuses outside demo mode.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from employdash.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_SQLITE = DATA_DIR / "dashboard.db"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"

DEMO_COOKIE_KEY = "demo-cookie-key-not-secret-change-me"
DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    kind: type = str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}", "SQLAlchemy URL of the shared database."
    ),
    Setting("DEMO_MODE", True, "Embedded demo: seeds demo data and the demo users.", bool),
    Setting("COOKIE_KEY", DEMO_COOKIE_KEY, "Secret that signs the login cookie (JWT)."),
    Setting("COOKIE_NAME", "employdash_auth", "Name of the login cookie."),
    Setting("COOKIE_EXPIRY_DAYS", 7.0, "Days a login cookie stays valid.", float),
    Setting("DEFAULT_LANGUAGE", "he", "Language before a user chooses one (he or en)."),
    Setting("SUPPRESSION_THRESHOLD", 5, "Smallest count any aggregate may show.", int),
    Setting("LOCKOUT_ATTEMPTS", 5, "Failed logins in a row that lock a username.", int),
    Setting("LOCKOUT_MINUTES", 15, "How long a locked username stays locked.", int),
    Setting("CACHE_TTL_SECONDS", 60, "Lifetime of cached read models (per app replica).", int),
    Setting("LOGIN_SLEEP_SECONDS", 0.0, "Delay streamlit-authenticator adds before login.", float),
    Setting(
        "ACCESSIBILITY_CONTACT",
        "accessibility@municipality.example",
        "Who the accessibility statement names for accessibility requests (IS 5568).",
    ),
)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _coerce(setting: Setting, raw: Any) -> Any:
    if setting.kind is bool and not isinstance(raw, bool):
        text = str(raw).strip().lower()
        if text not in _TRUE | _FALSE:
            raise ConfigError(f"{setting.name}={raw!r} is not true or false")
        return text in _TRUE
    try:
        return setting.kind(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{setting.name}={raw!r} is not a valid {setting.kind.__name__}") from exc


def _read_secrets(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


@dataclass(frozen=True)
class Config:
    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def load_config(env: dict[str, str] | None = None, secrets_file: Path = SECRETS_FILE) -> Config:
    env = dict(os.environ) if env is None else env
    secrets = _read_secrets(secrets_file)
    values = {}
    for setting in SETTINGS:
        if setting.name in env:
            raw = env[setting.name]
        elif setting.name in secrets:
            raw = secrets[setting.name]
        else:
            raw = setting.default
        values[setting.name] = _coerce(setting, raw)
    if values["DEFAULT_LANGUAGE"] not in {"he", "en"}:
        raise ConfigError("DEFAULT_LANGUAGE must be 'he' or 'en'")
    if values["SUPPRESSION_THRESHOLD"] < 1:
        raise ConfigError("SUPPRESSION_THRESHOLD must be at least 1")
    return Config(values)


@lru_cache(maxsize=1)
def get_config() -> Config:
    return load_config()


def check_production_safety(config: Config, demo_credentials_in_use: bool) -> None:
    """Refuse to serve real users with the public demo secrets still in place."""
    if config.DEMO_MODE:
        return
    problems = []
    if config.COOKIE_KEY == DEMO_COOKIE_KEY or len(config.COOKIE_KEY) < 16:
        problems.append("COOKIE_KEY is the public example key (or shorter than 16 characters)")
    if demo_credentials_in_use:
        problems.append("a user still has the demo password; reset it or deactivate the user")
    if problems:
        raise ConfigError("Refusing to start outside demo mode: " + "; ".join(problems))
