"""App servers and nginx in front of them, for the replica test and the load benchmark.

Each app server writes its log to a file (a pipe nobody reads would fill and stall a busy server)
and is returned with its process, so callers can read its CPU time and memory. nginx runs in the
foreground (`daemon off`) from a generated nginx.conf whose `http` block includes the tested
template deploy/nginx/employdash.conf with its two placeholders filled in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.browser import streamlit_run
from tests.support.postgres import free_port
from tests.support.processes import stop

ROOT = Path(__file__).resolve().parents[2]
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "employdash.conf"
NGINX = "/usr/sbin/nginx"


@dataclass
class AppServer:
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def tracebacks(self) -> list[str]:
        """The tracebacks the server has logged so far (Streamlit logs a script's exception with
        its traceback and shows the user only a redacted message)."""
        return tracebacks_in(self.log.read_text(errors="replace") if self.log.exists() else "")


def tracebacks_in(text: str) -> list[str]:
    """Each `Traceback (most recent call last):` block of a log, up to the line naming the error
    (the first unindented line after it)."""
    found: list[str] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("Traceback (most recent call last):"):
            continue
        block = [line]
        for following in lines[i + 1 :]:
            block.append(following)
            if following and not following.startswith((" ", "\t")):
                break
        found.append("\n".join(block))
    return found


def _wait_ok(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer:\n{log.read_text(errors='replace')[-4000:]}")
        time.sleep(0.2)


@contextmanager
def app_server(database_url: str, extra_env: dict[str, str] | None = None) -> Iterator[AppServer]:
    """Serve the app (serve.py, as `make run` does) against `database_url` on a free port."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix=f"employdash-app-{port}-", suffix=".log")[1])
    env = {**os.environ, "DATABASE_URL": database_url, "DEMO_MODE": "true", **(extra_env or {})}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                *streamlit_run(str(port)),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ok(f"{base}/_stcore/health", proc, log)
        yield AppServer(base, proc, log)
    finally:
        stop(proc, timeout=15)
        log.unlink(missing_ok=True)


def render_template(listen: str, upstreams: list[str]) -> str:
    """The deploy template with its placeholders filled: the listen port and one server line per
    replica (`host:port`)."""
    servers = "\n    ".join(f"server {u};" for u in upstreams)
    return NGINX_TEMPLATE.read_text().replace("@LISTEN@", listen).replace("@SERVERS@", servers)


def _nginx_conf(work: Path, port: int, upstreams: list[str]) -> Path:
    site = work / "employdash.conf"
    site.write_text(render_template(f"127.0.0.1:{port}", upstreams))
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / sub).mkdir()
    # One worker: its event loop relays thousands of connections, and on a 2-core machine a
    # second worker would only be one more process competing with the replicas for the cores.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = work / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {site};
}}
"""
    )
    return conf


@contextmanager
def nginx(upstream_bases: list[str]) -> Iterator[str]:
    """nginx on a free loopback port in front of the given app servers; yield its base URL."""
    if not Path(NGINX).exists():
        raise RuntimeError("nginx is not installed: run `make test`, which installs it")
    work = Path(tempfile.mkdtemp(prefix="employdash-nginx-"))
    port = free_port()
    upstreams = [b.removeprefix("http://") for b in upstream_bases]
    conf = _nginx_conf(work, port, upstreams)
    check = subprocess.run([NGINX, "-t", "-p", str(work), "-c", str(conf)], capture_output=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx rejected the configuration:\n{check.stderr.decode()}")
    proc = subprocess.Popen(
        [NGINX, "-p", str(work), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ok(f"{base}/_stcore/health", proc, work / "error.log", timeout=30)
        yield base
    finally:
        proc.terminate()  # SIGTERM: nginx's fast shutdown
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)
