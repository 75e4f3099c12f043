"""Settings come from the environment, then secrets, then defaults; unsafe production refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from employdash.config import DEMO_COOKIE_KEY, SETTINGS, check_production_safety, load_config
from employdash.errors import ConfigError


def test_environment_wins_over_secrets_over_defaults(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('DATABASE_URL = "sqlite:///from-secrets.db"\nSUPPRESSION_THRESHOLD = 7\n')
    cfg = load_config({"SUPPRESSION_THRESHOLD": "10"}, secrets)
    assert cfg.DATABASE_URL == "sqlite:///from-secrets.db"
    assert cfg.SUPPRESSION_THRESHOLD == 10
    assert cfg.LOCKOUT_ATTEMPTS == 5
    assert load_config({}, tmp_path / "missing.toml").DEMO_MODE is True


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
def test_bad_values_are_clear_errors(tmp_path: Path, env: dict) -> None:
    with pytest.raises(ConfigError):
        load_config(env, tmp_path / "none.toml")


def test_broken_secrets_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "secrets.toml"
    bad.write_text("DATABASE_URL = ")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config({}, bad)


def test_production_refuses_demo_secrets(tmp_path: Path) -> None:
    none = tmp_path / "none.toml"
    prod = load_config({"DEMO_MODE": "false"}, none)
    with pytest.raises(ConfigError, match="COOKIE_KEY"):
        check_production_safety(prod, demo_credentials_in_use=False)
    strong = load_config({"DEMO_MODE": "false", "COOKIE_KEY": "x" * 40}, none)
    with pytest.raises(ConfigError, match="demo password"):
        check_production_safety(strong, demo_credentials_in_use=True)
    check_production_safety(strong, demo_credentials_in_use=False)
    check_production_safety(load_config({"COOKIE_KEY": DEMO_COOKIE_KEY}, none), True)  # demo mode
