"""A throwaway PostgreSQL server for the test run (Debian `postgresql`, started by the tests).

`pg_ctl` refuses to run as root, so as root the server runs as the `postgres` system user. Set
`TEST_POSTGRES_URL` to use a server you already run instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _pg_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not candidates:
        raise RuntimeError("PostgreSQL is not installed: run `make test`, which installs it")
    return Path(candidates[-1])


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def running_server() -> Iterator[str]:
    """Yield a server URL (without database name)."""
    existing = os.environ.get("TEST_POSTGRES_URL")
    if existing:
        yield existing.rstrip("/")
        return
    pg_bin = _pg_bin()
    tmp = Path(tempfile.mkdtemp(prefix="employdash-pg-"))
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    data, log, port = tmp / "data", tmp / "log", free_port()
    subprocess.run(
        _as_postgres(
            [
                str(pg_bin / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            [
                str(pg_bin / "pg_ctl"),
                "start",
                "-w",
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                f"-F -p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c max_connections=200",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(pg_bin / "pg_ctl"), "stop", "-m", "fast", "-w", "-D", str(data)]),
            capture_output=True,
        )
        shutil.rmtree(tmp, ignore_errors=True)


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    import psycopg

    plain = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        # FILE_COPY copies the template's files directly: about twice as fast as the default
        # WAL_LOG strategy for a seeded template, and durability is irrelevant here.
        suffix = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{suffix}')
    return f"{server_url}/{name}"


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    plain = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class OwnServer:
    """A PostgreSQL server of one test's own, which the test may stop and start again (an outage)
    without disturbing the run's shared server."""

    def __init__(self) -> None:
        self.pg_bin = _pg_bin()
        self.tmp = Path(tempfile.mkdtemp(prefix="employdash-own-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres", "postgres")
        self.data, self.log, self.port = self.tmp / "data", self.tmp / "log", free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"
        subprocess.run(
            _as_postgres(
                [
                    str(self.pg_bin / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = f"-F -p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1"
        command = [str(self.pg_bin / "pg_ctl"), "start", "-w", "-D", str(self.data)]
        subprocess.run(
            _as_postgres([*command, "-l", str(self.log), "-o", options]),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        command = [str(self.pg_bin / "pg_ctl"), "stop", "-m", "fast", "-w", "-D", str(self.data)]
        subprocess.run(_as_postgres(command), check=True, capture_output=True)


@contextmanager
def own_server() -> Iterator[OwnServer]:
    """A started server that belongs to the caller alone (never TEST_POSTGRES_URL's)."""
    server = OwnServer()
    server.start()
    try:
        yield server
    finally:
        subprocess.run(
            _as_postgres(
                [str(server.pg_bin / "pg_ctl"), "stop", "-m", "immediate", "-D", str(server.data)]
            ),
            capture_output=True,
        )
        shutil.rmtree(server.tmp, ignore_errors=True)
