"""Settings come from the environment, then secrets, then defaults; unsafe production refuses."""

from __future__ import annotations

import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from employdash.config import (
    PUBLIC_COOKIE_KEYS,
    SETTINGS,
    check_production_safety,
    key_strength_bits,
    load_config,
)
from employdash.errors import ConfigError


def test_environment_wins_over_secrets_over_defaults(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('DATABASE_URL = "sqlite:///from-secrets.db"\nSUPPRESSION_THRESHOLD = 7\n')
    cfg = load_config({"SUPPRESSION_THRESHOLD": "10"}, secrets)
    assert cfg.DATABASE_URL == "sqlite:///from-secrets.db"
    assert cfg.SUPPRESSION_THRESHOLD == 10
    assert cfg.LOCKOUT_ATTEMPTS == 5
    assert load_config({}, tmp_path / "missing.toml", tmp_path / "k").DEMO_MODE is True


def test_every_setting_has_help_text() -> None:
    assert all(s.help for s in SETTINGS)


@pytest.mark.parametrize(
    "env",
    [
        {"DEMO_MODE": "perhaps"},
        {"SUPPRESSION_THRESHOLD": "five"},
        {"SUPPRESSION_THRESHOLD": "0"},
        {"DEFAULT_LANGUAGE": "fr"},
    ],
)
def test_bad_values_are_clear_errors(tmp_path: Path, env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        load_config(env, tmp_path / "none.toml", tmp_path / "k")


def test_broken_secrets_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "secrets.toml"
    bad.write_text("DATABASE_URL = ")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config({}, bad)


def test_production_refuses_demo_secrets(tmp_path: Path) -> None:
    none = tmp_path / "none.toml"
    prod = load_config({"DEMO_MODE": "false"}, none, tmp_path / "k")
    with pytest.raises(ConfigError, match="COOKIE_KEY is not set"):
        check_production_safety(prod, demo_credentials_in_use=False)
    assert not (tmp_path / "k").exists()  # production never invents a key
    strong = load_config(
        {"DEMO_MODE": "false", "COOKIE_KEY": secrets.token_urlsafe(32)}, none, tmp_path / "k"
    )
    with pytest.raises(ConfigError, match="demo password"):
        check_production_safety(strong, demo_credentials_in_use=True)
    check_production_safety(strong, demo_credentials_in_use=False)


@pytest.mark.parametrize(
    "key",
    [
        "x" * 80,  # long but not random
        "abc" * 30,
        secrets.token_hex(16),  # 16 random bytes
        secrets.token_urlsafe(24),  # 24 random bytes
        "correct horse battery staple",
        *sorted(PUBLIC_COOKIE_KEYS),
    ],
    # Named, not shown: random keys would give each pytest-xdist worker different test ids.
    ids=["x*80", "abc*30", "16-random-bytes", "24-random-bytes", "passphrase"]
    + [f"public-{i}" for i in range(len(PUBLIC_COOKIE_KEYS))],
)
def test_production_refuses_a_key_under_32_random_bytes(tmp_path: Path, key: str) -> None:
    cfg = load_config({"DEMO_MODE": "false", "COOKIE_KEY": key}, tmp_path / "n", tmp_path / "k")
    with pytest.raises(ConfigError, match="COOKIE_KEY"):
        check_production_safety(cfg, demo_credentials_in_use=False)


@pytest.mark.parametrize(
    "key",
    [secrets.token_urlsafe(32), secrets.token_hex(32), secrets.token_urlsafe(48)],
    ids=["32-bytes-urlsafe", "32-bytes-hex", "48-bytes-urlsafe"],
)
def test_production_accepts_32_random_bytes(key: str) -> None:
    assert key_strength_bits(key) >= 256


def test_demo_mode_makes_one_random_key_per_installation(tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "cookie.key"
    first = load_config({}, tmp_path / "n", key_file)
    second = load_config({}, tmp_path / "n", key_file)
    assert first.COOKIE_KEY == second.COOKIE_KEY == key_file.read_text().strip()
    assert first.COOKIE_KEY not in PUBLIC_COOKIE_KEYS
    assert key_strength_bits(first.COOKIE_KEY) >= 256
    assert key_file.stat().st_mode & 0o077 == 0  # readable by the owner only
    other = load_config({}, tmp_path / "n", tmp_path / "elsewhere" / "cookie.key")
    assert other.COOKIE_KEY != first.COOKIE_KEY  # another installation, another key
    check_production_safety(first, demo_credentials_in_use=True)  # demo mode: demo users fine


def test_many_processes_starting_at_once_agree_on_one_key(tmp_path: Path) -> None:
    key_file = tmp_path / "cookie.key"
    code = (
        "import sys; from pathlib import Path; from employdash.config import load_config; "
        "print(load_config({}, Path('/nonexistent'), Path(sys.argv[1])).COOKIE_KEY)"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(key_file)], stdout=subprocess.PIPE)
        for _ in range(6)
    ]
    keys = {p.communicate(timeout=60)[0].decode().strip() for p in procs}
    assert len(keys) == 1 and keys == {key_file.read_text().strip()}
    assert [f.name for f in tmp_path.iterdir()] == ["cookie.key"]  # no temporary files left


def test_the_key_file_is_ignored_by_git() -> None:
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(["git", "check-ignore", "-q", "data/cookie.key"], cwd=root, check=False)
    assert result.returncode == 0


def test_demo_mode_refuses_a_shared_database(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "postgresql+psycopg://u@db.example/x"}
    with pytest.raises(ConfigError, match="SQLite"):
        load_config(env, tmp_path / "n", tmp_path / "k")
    assert load_config({**env, "DEMO_MODE": "false"}, tmp_path / "n", tmp_path / "k")


def test_demo_mode_refuses_a_published_key(tmp_path: Path) -> None:
    cfg = load_config(
        {"COOKIE_KEY": "demo-cookie-key-not-secret-change-me"}, tmp_path / "n", tmp_path / "k"
    )
    with pytest.raises(ConfigError, match="published"):
        check_production_safety(cfg, demo_credentials_in_use=True)


def _example_cookie_key() -> str:
    """The value the example secrets file shows for COOKIE_KEY (what a copy of it would set)."""
    example = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.example.toml"
    line = next(x for x in example.read_text().splitlines() if "COOKIE_KEY =" in x)
    return str(tomllib.loads(line.lstrip("# "))["COOKIE_KEY"])


def test_production_refuses_the_example_files_cookie_key(tmp_path: Path) -> None:
    key = _example_cookie_key()
    assert key_strength_bits(key) >= 256  # it passes the strength estimate: refused by value
    cfg = load_config({"DEMO_MODE": "false", "COOKIE_KEY": key}, tmp_path / "n", tmp_path / "k")
    with pytest.raises(ConfigError, match="COOKIE_KEY appears in the repository"):
        check_production_safety(cfg, demo_credentials_in_use=False)


@pytest.mark.parametrize(
    "setting", ["COOKIE_KEY", "SMTP_PASSWORD", "DATABASE_URL", "OIDC_CLIENT_SECRET"]
)
def test_production_refuses_any_secret_found_in_the_repository(
    tmp_path: Path, setting: str
) -> None:
    """Whatever the file and however strong the value: a secret written anywhere in the
    repository is published, and only a value found nowhere there is served."""
    repository = tmp_path / "repository"
    (repository / "docs" / "deep").mkdir(parents=True)
    published = secrets.token_urlsafe(32)
    (repository / "docs" / "deep" / "notes.md").write_text(f"try `{published}` in a test\n")
    for value, refused in ((published, True), (secrets.token_urlsafe(32), False)):
        env = {"DEMO_MODE": "false", "COOKIE_KEY": secrets.token_urlsafe(32)}
        if setting == "DATABASE_URL":
            env[setting] = f"postgresql+psycopg://app:{value}@db.example/employdash"
        elif setting == "OIDC_CLIENT_SECRET":
            env |= {"OIDC_ISSUER": "https://login.example/t/v2.0", "OIDC_CLIENT_ID": "app"}
            env[setting] = value
        else:
            env[setting] = value
        cfg = load_config(env, tmp_path / "n", tmp_path / "k")
        if refused:
            with pytest.raises(ConfigError, match=f"{setting} appears in the repository"):
                check_production_safety(cfg, False, repository=repository)
        else:
            check_production_safety(cfg, False, repository=repository)


def test_a_secret_kept_in_the_git_ignored_files_is_not_published(tmp_path: Path) -> None:
    """The real secrets file and the demo key file sit in the checkout but not in the repository."""
    repository = tmp_path / "repository"
    (repository / ".streamlit").mkdir(parents=True)
    (repository / "data").mkdir()
    key = secrets.token_urlsafe(32)
    (repository / ".streamlit" / "secrets.toml").write_text(f'COOKIE_KEY = "{key}"\n')
    (repository / "data" / "cookie.key").write_text(key)
    cfg = load_config({"DEMO_MODE": "false", "COOKIE_KEY": key}, tmp_path / "n", tmp_path / "k")
    check_production_safety(cfg, False, repository=repository)


def test_in_a_clone_only_the_files_git_tracks_are_the_repository(tmp_path: Path) -> None:
    """An installation's own untracked file (an environment file kept in the checkout) holds its
    real secrets; a tracked file publishes them."""
    repository = tmp_path / "clone"
    repository.mkdir()
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    key = secrets.token_urlsafe(32)
    (repository / "local.env").write_text(f"COOKIE_KEY={key}\n")
    cfg = load_config({"DEMO_MODE": "false", "COOKIE_KEY": key}, tmp_path / "n", tmp_path / "k")
    check_production_safety(cfg, False, repository=repository)
    subprocess.run(["git", "-C", str(repository), "add", "local.env"], check=True)
    with pytest.raises(ConfigError, match="COOKIE_KEY appears in the repository"):
        check_production_safety(cfg, False, repository=repository)
