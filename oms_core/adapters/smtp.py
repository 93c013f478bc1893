"""Outbound mail over SMTP (OMS_SMTP_*): STARTTLS, implicit TLS or plain, with clear errors."""
from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from email.message import EmailMessage
from pathlib import Path

log = logging.getLogger(__name__)


class SmtpError(Exception):
    """Sending failed; `transient` says whether a later retry may succeed."""

    def __init__(self, message: str, transient: bool):
        super().__init__(message)
        self.message = message
        self.transient = transient


class SmtpSender:
    """Sends one EmailMessage per call over a fresh connection (simple and robust for an outbox).

    4xx replies, refused/closed connections and timeouts are transient; 5xx replies (mailbox
    unknown, relay denied, auth refused) are permanent.
    """

    def __init__(self, host: str | None, port: int = 587, security: str = "starttls",
                 user: str | None = None, password: str | None = None,
                 ca_file: Path | str | None = None, timeout: float = 30.0):
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.password = password
        self.timeout = timeout
        self.ssl_context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)

    @classmethod
    def from_settings(cls, settings) -> "SmtpSender":
        """Build from OMS_SMTP_* (OMS_SMTP_CA_FILE trusts a self-signed server, if set)."""
        return cls(settings.smtp_host, settings.smtp_port, settings.smtp_security,
                   settings.smtp_user, settings.smtp_password,
                   getattr(settings, "smtp_ca_file", None))

    def send(self, message: EmailMessage) -> str:
        """Deliver the message; returns its Message-ID. Raises SmtpError."""
        if not self.host:
            raise SmtpError("OMS_SMTP_HOST is not set", transient=False)
        try:
            with self._connect() as smtp:
                if self.user:
                    self._login(smtp)
                refused = smtp.send_message(message)
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
                else str(exc.smtp_error)
            raise SmtpError(f"SMTP {exc.smtp_code}: {text}", transient=exc.smtp_code < 500) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            raise SmtpError(f"all recipients refused: {exc.recipients}",
                            transient=all(code < 500 for code in codes)) from exc
        except (smtplib.SMTPException, OSError, socket.timeout) as exc:
            raise SmtpError(f"SMTP {self.host}:{self.port} unavailable: {exc}",
                            transient=True) from exc
        if refused:
            log.warning("SMTP refused some recipients of %s: %s", message["Message-ID"], refused)
        return message["Message-ID"]

    def _login(self, smtp: smtplib.SMTP) -> None:
        smtp.ehlo_or_helo_if_needed()
        if "PLAIN" in smtp.esmtp_features.get("auth", "").upper().split():
            # PLAIN in one step (we are on TLS); smtplib's fallback chain to LOGIN after a
            # refused password can hang on some servers instead of reporting 535.
            smtp.user, smtp.password = self.user, self.password or ""
            smtp.auth("PLAIN", smtp.auth_plain)
        else:
            smtp.login(self.user, self.password or "")

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                    context=self.ssl_context)
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            try:
                smtp.starttls(context=self.ssl_context)
            except Exception:
                smtp.close()
                raise
        return smtp


class PickupDirSender:
    """The embedded default without an SMTP server: each message becomes an .eml file in a folder.

    Like an MTA pickup directory: written atomically under the Message-ID, so a resend of the
    same confirmation replaces, never doubles, its file. Set OMS_SMTP_PICKUP_DIR to use it.
    """

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> str:
        """Write the message; returns its Message-ID."""
        import hashlib
        import os

        self.folder.mkdir(parents=True, exist_ok=True)
        message_id = message["Message-ID"]
        name = hashlib.sha256(message_id.encode()).hexdigest()[:24] + ".eml"
        tmp = self.folder / f".{name}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(message.as_bytes())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.folder / name)
        return message_id


def build_sender(settings):
    """SMTP when OMS_SMTP_HOST is set; else the pickup folder when OMS_SMTP_PICKUP_DIR is set."""
    if not settings.smtp_host and getattr(settings, "smtp_pickup_dir", None):
        return PickupDirSender(settings.smtp_pickup_dir)
    return SmtpSender.from_settings(settings)
