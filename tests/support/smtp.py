"""A real SMTP server for tests: aiosmtpd on loopback, STARTTLS with a self-signed cert, AUTH.

Messages are kept in memory (parsed `EmailMessage`s). `refuse` makes the server answer every
RCPT with the given reply (e.g. "550 5.1.1 mailbox unknown" or "451 4.3.0 try later").
"""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "mailer"
PASSWORD = "mailer-secret"


def make_self_signed_cert(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """Write cert.pem and key.pem for `host` (valid as CA too, so clients can trust it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address(host)), x509.DNSName("localhost")]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StoringHandler:
    """aiosmtpd handler: keeps every accepted message; can be told to refuse recipients."""

    messages: list = field(default_factory=list)
    envelopes: list = field(default_factory=list)
    refuse: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and \
        auth_data.login.decode() == USER and auth_data.password.decode() == PASSWORD
    # handled=False: let aiosmtpd answer 535 itself (handled=True would leave the client waiting).
    return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    controller: Controller
    handler: StoringHandler
    port: int
    cert: Path

    @property
    def messages(self) -> list:
        with self.handler.lock:
            return list(self.handler.messages)

    def settings_overrides(self) -> dict:
        """OMS_SMTP_* values pointing at this server."""
        return {"smtp_host": "127.0.0.1", "smtp_port": self.port, "smtp_security": "starttls",
                "smtp_user": USER, "smtp_password": PASSWORD, "smtp_from": "orders@oms.test",
                "smtp_ca_file": self.cert}

    def stop(self) -> None:
        self.controller.stop()


def start_smtp(folder: Path) -> SmtpServer:
    """Start the server on a free port (port=0 breaks aiosmtpd's readiness check)."""
    import logging

    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd logs every SMTP verb
    cert, key = make_self_signed_cert(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = StoringHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context,
                            require_starttls=True, authenticator=_authenticator,
                            auth_require_tls=True, ready_timeout=10)
    controller.start()
    return SmtpServer(controller, handler, port, cert)
