"""A real SMTP server for the tests (aiosmtpd in a thread): submission as a provider offers it.

It requires STARTTLS (a self-signed certificate made at start) and then AUTH (LOGIN or PLAIN,
one account) before it takes a message, so a sender that skips either is refused as a real
server would refuse it. Each message it accepts is kept parsed, with its envelope and whether it
came over TLS and by whom. `refuse(address, code)` makes it answer a recipient with a 4xx or 5xx
(the retry tests); `stop()` and `start()` take it down and bring it back on the same port.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
import socket
import ssl
import tempfile
import threading
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from employdash.config import Config, load_config

HOST = "127.0.0.1"
USER = "sender@test.example"
# Made per run: outside demo mode a secret written in the repository is refused.
PASSWORD = secrets.token_urlsafe(16)
MAIL_FROM = "forum@test.example"


@dataclass(frozen=True)
class Received:
    """One message the server accepted: parsed, with its envelope and how it came."""

    message: EmailMessage
    mail_from: str
    rcpt_tos: tuple[str, ...]
    tls: bool
    authenticated_as: str | None

    def __getitem__(self, header: str) -> Any:
        return self.message[header]


def _certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (and localhost), and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(  # aiosmtpd's hook name
        self, _smtp: SMTP, _session: Session, envelope: Envelope, address: str, _options: list[str]
    ) -> str:
        answer = self.server.refusals.get(address.lower())
        if answer is not None:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # aiosmtpd's hook name
        self, _smtp: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        parsed = message_from_bytes(raw, policy=default)
        assert isinstance(parsed, EmailMessage)
        login = session.auth_data
        user = login.login.decode() if isinstance(login, LoginPassword) else None
        with self.server.lock:
            self.server.received.append(
                Received(
                    parsed,
                    str(envelope.mail_from),
                    tuple(envelope.rcpt_tos),
                    session.ssl is not None,
                    user,
                )
            )
        return "250 Message accepted for delivery"


def _authenticate(
    _smtp: SMTP, _session: Session, _envelope: Envelope, _mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    # handled=False: aiosmtpd answers a refusal itself (535). Its default, handled=True, means
    # the authenticator has answered, so the client would wait for a reply that never comes.
    return AuthResult(success=ok, handled=False, auth_data=data if ok else None)


class SmtpServer:
    """The test server; `env()` is the settings that point the app's sender at it."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="smtp-test-")
        self.cert_file, self.key_file = _certificate(Path(self._dir.name))
        self.port = _free_port()
        self.received: list[Received] = []
        self.refusals: dict[str, str] = {}
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    def client_context(self) -> ssl.SSLContext:
        """A verifying TLS context that trusts this server's certificate (and nothing else)."""
        return ssl.create_default_context(cafile=str(self.cert_file))

    def env(self) -> dict[str, str]:
        """The settings that point the app at this server. `SSL_CERT_FILE` makes the default
        (verifying) TLS context of a process started with this environment trust its
        certificate: the app's own verification stays on."""
        return {
            "SMTP_HOST": HOST,
            "SMTP_PORT": str(self.port),
            "SMTP_USER": USER,
            "SMTP_PASSWORD": PASSWORD,
            "SMTP_STARTTLS": "true",
            "MAIL_FROM": MAIL_FROM,
            "SSL_CERT_FILE": str(self.cert_file),
        }

    def config(self, **settings: str) -> Config:
        """The app's settings with this server's (and `settings`) in place."""
        env = {"DEMO_MODE": "false", **self.env(), **settings}
        return load_config(env, secrets_file=Path(self._dir.name) / "none.toml")

    def refuse(self, address: str, answer: str = "550 5.1.1 No such mailbox") -> None:
        """Answer RCPT TO `address` with `answer` (say "451 4.3.0 Try later") from now on."""
        self.refusals[address.lower()] = answer

    def clear(self) -> None:
        with self.lock:
            self.received.clear()
        self.refusals.clear()

    def start(self) -> None:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(self.cert_file, self.key_file)
        self._controller = Controller(
            _Handler(self),
            hostname=HOST,
            port=self.port,
            server_hostname="localhost",
            tls_context=tls,
            require_starttls=True,
            authenticator=_authenticate,
            auth_required=True,
            auth_require_tls=True,
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def close(self) -> None:
        self.stop()
        self._dir.cleanup()
