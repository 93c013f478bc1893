"""Opening an IMAP connection from settings: ssl, starttls or none, a CA file, clear errors."""
from __future__ import annotations

import imaplib
import ssl

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}

# Errors after which reconnecting may help: the server went away or the line dropped.
CONNECTION_ERRORS = (IMAPClientAbortError, imaplib.IMAP4.abort, OSError, EOFError, ssl.SSLError)


class ImapConfigError(RuntimeError):
    """A mistake retrying cannot fix: wrong password, untrusted certificate, missing setting."""


class ImapAuthError(ImapConfigError):
    """The server refused the user name or password."""


def mailbox_id(settings) -> str:
    """A stable name for the polled mailbox: user@host:port/folder."""
    port = settings.imap_port or DEFAULT_PORTS[settings.imap_security]
    return f"{settings.imap_user}@{settings.imap_host}:{port}/{settings.imap_folder}"


def ssl_context(settings) -> ssl.SSLContext:
    """A verifying TLS context; trusts OMS_IMAP_CA_FILE when set (self-signed servers)."""
    cafile = str(settings.imap_ca_file) if settings.imap_ca_file else None
    try:
        return ssl.create_default_context(cafile=cafile)
    except (FileNotFoundError, ssl.SSLError) as exc:
        raise ImapConfigError(f"cannot load OMS_IMAP_CA_FILE {cafile}: {exc}") from exc


def connect(settings, timeout: float = 30.0) -> IMAPClient:
    """Connect and log in; raises ImapConfigError for bad settings, CONNECTION_ERRORS otherwise."""
    if not settings.imap_host or not settings.imap_user or settings.imap_password is None:
        raise ImapConfigError("OMS_IMAP_HOST, OMS_IMAP_USER and OMS_IMAP_PASSWORD must all be set")
    security = settings.imap_security
    port = settings.imap_port or DEFAULT_PORTS[security]
    where = f"{settings.imap_host}:{port} ({security})"
    context = ssl_context(settings) if security in ("ssl", "starttls") else None
    try:
        client = IMAPClient(
            settings.imap_host, port=port, ssl=security == "ssl", ssl_context=context, timeout=timeout
        )
    except ssl.SSLCertVerificationError as exc:
        raise ImapConfigError(f"TLS certificate of {where} is not trusted ({exc.verify_message}); set OMS_IMAP_CA_FILE") from exc
    try:
        if security == "starttls":
            try:
                client.starttls(context)
            except ssl.SSLCertVerificationError as exc:
                raise ImapConfigError(
                    f"TLS certificate of {where} is not trusted ({exc.verify_message}); set OMS_IMAP_CA_FILE"
                ) from exc
            except IMAPClientError as exc:
                raise ImapConfigError(f"{where} refused STARTTLS: {exc}") from exc
        try:
            client.login(settings.imap_user, settings.imap_password)
        except LoginError as exc:
            raise ImapAuthError(f"IMAP login as {settings.imap_user} at {where} failed: {_text(exc)}") from exc
    except BaseException:
        _close_quietly(client)
        raise
    return client


def _text(exc: Exception) -> str:
    message = str(exc)
    return message.removeprefix("b'").removeprefix('b"').rstrip("'\"") or type(exc).__name__


def _close_quietly(client: IMAPClient) -> None:
    try:
        client.shutdown()
    except Exception:  # noqa: BLE001 - the connection is being thrown away
        pass


def logout_quietly(client: IMAPClient | None) -> None:
    """Log out if the line is still up; close the socket either way."""
    if client is None:
        return
    try:
        client.logout()
    except Exception:  # noqa: BLE001
        _close_quietly(client)


__all__ = [
    "CONNECTION_ERRORS",
    "ImapAuthError",
    "ImapConfigError",
    "connect",
    "logout_quietly",
    "mailbox_id",
]
