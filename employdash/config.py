"""Settings, declared once with their defaults and help text.

Values come from the environment first, then from `.streamlit/secrets.toml` (read as plain TOML so
that this package never imports streamlit), then from the default. Secrets such as the cookie key
and the database URL are never in the repository. Safe by default: demo mode signs its cookies with
a random key made once per installation (kept in the git-ignored `data/cookie.key`), never a public
one, and runs only on the embedded SQLite file; outside demo mode `check_production_safety` refuses
a cookie key weaker than 32 random bytes, and any secret (the cookie key, the mail password, the
database's password) whose value is written anywhere in the repository: whoever reads it could
use it (forge a login cookie with the example file's key).
"""

from __future__ import annotations

import math
import os
import secrets
import subprocess
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from employdash.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_SQLITE = DATA_DIR / "dashboard.db"
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"

COOKIE_KEY_FILE = DATA_DIR / "cookie.key"
# Keys that were ever published (an old default, the example file's text): never accepted.
PUBLIC_COOKIE_KEYS = frozenset({"demo-cookie-key-not-secret-change-me", "CHANGE-ME", "change-me"})
MIN_KEY_BITS = 256  # 32 random bytes
# What a checkout holds besides the repository: tools, caches, and the git-ignored files where an
# installation keeps its own secrets and data (they are never published).
_NOT_PUBLISHED_DIRS = frozenset(
    {".git", ".venv", ".venv-tools", "node_modules", "__pycache__", "artifacts", "tmp"}
    | {".pytest_cache", ".ruff_cache", ".mypy_cache"}
)
_NOT_PUBLISHED_FILES = (Path(".streamlit", "secrets.toml"), Path("data", "cookie.key"))
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
    Setting(
        "COOKIE_KEY",
        "",
        "Secret that signs the login cookie (JWT), at least 32 random bytes; demo mode makes one "
        "per installation in data/cookie.key when unset.",
    ),
    Setting("COOKIE_NAME", "employdash_auth", "Name of the login cookie."),
    Setting("COOKIE_EXPIRY_DAYS", 7.0, "Days a login cookie stays valid.", float),
    Setting("DEFAULT_LANGUAGE", "he", "Language before a user chooses one (he or en)."),
    Setting("SUPPRESSION_THRESHOLD", 5, "Smallest count any aggregate may show.", int),
    Setting("LOCKOUT_ATTEMPTS", 5, "Failed logins in a row that lock a username.", int),
    Setting("LOCKOUT_MINUTES", 15, "How long a locked username stays locked.", int),
    Setting("CACHE_TTL_SECONDS", 60, "Lifetime of cached read models (per app replica).", int),
    Setting("LOGIN_SLEEP_SECONDS", 0.0, "Delay streamlit-authenticator adds before login.", float),
    Setting(
        "APP_URL",
        "http://localhost:8501",
        "The address people open the app at; the links in e-mails (RSVP, a task's card, the "
        "briefing, unsubscribe) start with it.",
    ),
    Setting(
        "SMTP_HOST", "", "The mail server that delivers the outbox. Empty: mail is off (queued)."
    ),
    Setting("SMTP_PORT", 587, "The mail server's port (587: submission with STARTTLS).", int),
    Setting("SMTP_STARTTLS", True, "Upgrade the connection with STARTTLS before AUTH.", bool),
    Setting("SMTP_USER", "", "The account the sender logs in with (AUTH); empty: no login."),
    Setting("SMTP_PASSWORD", "", "The password of SMTP_USER."),
    Setting(
        "MAIL_FROM",
        "",
        "The From address of every e-mail (the authority's, e.g. forum@city.gov.il); the "
        "calendar invitations name it as the organiser.",
    ),
    Setting(
        "REMINDER_DAYS", 3, "A task owner's daily reminder lists tasks due within these days.", int
    ),
    Setting(
        "NOTIFY_IN_APP",
        False,
        "Run the scheduled mail (`python -m employdash notify`) inside the app every few minutes; "
        "demo mode always does. A production installation runs it from cron or a systemd timer.",
        bool,
    ),
    Setting(
        "NOTIFY_INTERVAL_SECONDS",
        300,
        "Seconds between two in-app runs of notify (see NOTIFY_IN_APP); 0 turns the in-app "
        "runner off, also in demo mode.",
        int,
    ),
    Setting(
        "OIDC_ISSUER",
        "",
        "Sign-in with the municipality's identity provider (OpenID Connect): its issuer URL, the "
        "address its /.well-known/openid-configuration hangs under (Entra ID: "
        "https://login.microsoftonline.com/<tenant id>/v2.0). Staff sign in with it into their "
        "existing account, matched by e-mail; roles and locality scope stay in the app. Empty: "
        "usernames and passwords only.",
    ),
    Setting("OIDC_CLIENT_ID", "", "The app's client ID at the identity provider (OIDC_ISSUER)."),
    Setting("OIDC_CLIENT_SECRET", "", "The app's client secret at the identity provider."),
    Setting(
        "OIDC_PROVIDER_NAME",
        "",
        "The provider's name on the sign-in button (e.g. the municipality's name); empty: the "
        "button says only that it signs in with the organisational account.",
    ),
    Setting(
        "ACCESSIBILITY_CONTACT",
        "",
        "The accessibility coordinator the accessibility statement names (IS 5568 asks for one): "
        "name, phone and e-mail, shown as written. Empty: the statement refers readers to the "
        "local authority's accessibility coordinator through its municipal hotline (106).",
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
        # `vars(self)`, not `self.values`: unpickling (the mail sender's processes) asks for its
        # hooks before `values` is set, and `self.values` would come back here without end.
        try:
            return vars(self)["values"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def installation_key(path: Path = COOKIE_KEY_FILE) -> str:
    """The demo cookie key of this installation, made at random the first time it is needed.

    Several processes may start at once (replicas, test workers): the key is written to a private
    temporary file and linked into place, so exactly one key wins and nobody reads a half-written
    file.
    """
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(32) + "\n")
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text(encoding="ascii").strip()


def key_strength_bits(key: str) -> float:
    """A conservative estimate of the randomness in a key, in bits.

    Each character counts for the smallest usual alphabet that holds all of the key's characters
    (hex 16, base64 64, printable ASCII 95). A key that repeats a few characters ("xxxx…",
    "abcabc…") counts for nothing however long: random keys use a good part of their alphabet.
    """
    if not key:
        return 0.0
    chars = set(key)
    if chars <= set("0123456789abcdef") or chars <= set("0123456789ABCDEF"):
        alphabet = 16
    elif all(c.isascii() and (c.isalnum() or c in "-_+/=") for c in chars):
        alphabet = 64
    else:
        alphabet = 95
    if len(chars) < min(alphabet, len(key)) / 3:
        return 0.0
    return len(key) * math.log2(alphabet)


def load_config(
    env: dict[str, str] | None = None,
    secrets_file: Path = SECRETS_FILE,
    key_file: Path = COOKIE_KEY_FILE,
) -> Config:
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
    if not 1 <= values["SMTP_PORT"] <= 65535:
        raise ConfigError("SMTP_PORT must be a port number (1-65535)")
    if values["REMINDER_DAYS"] < 0:
        raise ConfigError("REMINDER_DAYS must be 0 or more")
    if values["SUPPRESSION_THRESHOLD"] < 1:
        raise ConfigError("SUPPRESSION_THRESHOLD must be at least 1")
    if values["OIDC_ISSUER"] and not (values["OIDC_CLIENT_ID"] and values["OIDC_CLIENT_SECRET"]):
        raise ConfigError("OIDC_ISSUER needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET")
    if values["OIDC_ISSUER"] and values["COOKIE_EXPIRY_DAYS"] <= 0:
        raise ConfigError("OIDC_ISSUER needs a login cookie: COOKIE_EXPIRY_DAYS must be above 0")
    if values["DEMO_MODE"]:
        if not str(values["DATABASE_URL"]).startswith("sqlite"):
            raise ConfigError(
                "DEMO_MODE runs only on the embedded SQLite database (its demo users share one "
                "public password): set DEMO_MODE=false for another database"
            )
        if not values["COOKIE_KEY"]:
            values["COOKIE_KEY"] = installation_key(key_file)
    return Config(values)


@lru_cache(maxsize=1)
def get_config() -> Config:
    return load_config()


def _published_files(repository: Path) -> Iterator[Path]:
    """The repository's files: those git tracks in a clone, else every file of the checkout but
    the tools, caches and git-ignored secrets and data (an installation from an archive)."""
    if (repository / ".git").exists():
        try:
            listed = subprocess.run(
                ["git", "-C", str(repository), "ls-files", "-z"],
                capture_output=True,
                check=True,
                timeout=30,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            pass
        else:
            yield from (repository / os.fsdecode(name) for name in listed.split(b"\0") if name)
            return
    for folder, dirs, files in os.walk(repository):
        dirs[:] = [d for d in dirs if d not in _NOT_PUBLISHED_DIRS]
        here = Path(folder)
        for name in files:
            path = here / name
            relative = path.relative_to(repository)
            if relative in _NOT_PUBLISHED_FILES or name.endswith((".db", ".db-wal", ".db-shm")):
                continue
            yield path


def published_secrets(config: Config, repository: Path = ROOT) -> list[str]:
    """The secret settings whose value is written somewhere in the repository (the example
    secrets file, a test, a document), compared by value: a published value is no secret,
    however random it looks."""
    wanted = {
        "COOKIE_KEY": config.COOKIE_KEY,
        "SMTP_PASSWORD": config.SMTP_PASSWORD,
        "OIDC_CLIENT_SECRET": config.OIDC_CLIENT_SECRET,
        "DATABASE_URL": unquote(urlsplit(str(config.DATABASE_URL)).password or ""),
    }
    needles = {name: str(value).encode() for name, value in wanted.items() if value}
    found: set[str] = set()
    for path in _published_files(repository):
        if len(found) == len(needles):
            break
        try:
            text = path.read_bytes()
        except OSError:
            continue
        found |= {name for name, needle in needles.items() if needle in text}
    return sorted(found)


def check_production_safety(
    config: Config, demo_credentials_in_use: bool, *, repository: Path = ROOT
) -> None:
    """Refuse to serve real users with public or weak secrets in place."""
    problems = []
    if config.COOKIE_KEY in PUBLIC_COOKIE_KEYS:
        problems.append("COOKIE_KEY is a published example key")
    if config.DEMO_MODE:
        if problems:
            raise ConfigError("Refusing to start: " + "; ".join(problems))
        return
    if not config.COOKIE_KEY:
        problems.append("COOKIE_KEY is not set")
    elif key_strength_bits(config.COOKIE_KEY) < MIN_KEY_BITS:
        problems.append(
            "COOKIE_KEY is weaker than 32 random bytes (make one with: python -c "
            "'import secrets; print(secrets.token_urlsafe(32))')"
        )
    problems += [
        f"{name} appears in the repository (a published value, e.g. the example secrets file's): "
        "set a new secret of your own"
        for name in published_secrets(config, repository)
    ]
    if demo_credentials_in_use:
        problems.append("a user still has the demo password; reset it or deactivate the user")
    if problems:
        raise ConfigError("Refusing to start outside demo mode: " + "; ".join(problems))
