"""A real, throwaway Dovecot IMAP server for integration tests (see shared/INFRA.md).

It listens on loopback with plain IMAP (STARTTLS offered) and IMAPS, trusts a self-signed
certificate written beside it, keeps every file under one temporary folder and sends the
daemon's own output to a file (capturing its pipes would hang the test run).
"""
from __future__ import annotations

import datetime as dt
import getpass
import ipaddress
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
# What Dovecot 2.3 advertises after login; used to hide some of them (a server without IDLE/MOVE).
DOVECOT_CAPABILITIES = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS "
    "THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS "
    "LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH "
    "LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY "
    "SPECIAL-USE"
).split()


def dovecot_binary() -> str | None:
    """Path of the dovecot binary, or None when it is not installed."""
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def write_self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """Write a self-signed certificate for 127.0.0.1/localhost (it is also the CA file) and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Dovecot:
    """One Dovecot instance under `root` with passwd-file users; start/stop/restart/kill at will."""

    def __init__(
        self,
        root: Path | None = None,
        users: dict[str, str] | None = None,
        *,
        idle_interval_s: int = 1,
        autocreate_folders: bool = False,
        without_capabilities: tuple[str, ...] = (),
        namespace_prefix: str = "",
    ):
        binary = dovecot_binary()
        if binary is None:
            raise FileNotFoundError("dovecot binary not found (apt-get install dovecot-imapd)")
        self.binary = binary
        # Our own folder (not pytest's 0700 tmp_path) so the unprivileged mail user can enter it.
        self.root = Path(root or tempfile.mkdtemp(prefix="oms-dovecot-"))
        self.users = dict(users or {"orders@example.com": "secret"})
        self.idle_interval_s = idle_interval_s
        self.autocreate_folders = autocreate_folders
        self.without_capabilities = {c.upper() for c in without_capabilities}
        self.namespace_prefix = namespace_prefix  # e.g. "INBOX/" like Courier-style servers
        self.imap_port = free_port()
        self.imaps_port = free_port()
        self.log_path = self.root / "dovecot.log"
        self.output_path = self.root / "dovecot.out"
        self.pid_file = self.root / "run" / "master.pid"
        self._account = self._mail_account()
        self._prepare()

    # -- setup -------------------------------------------------------------------------------

    @staticmethod
    def _mail_account() -> pwd.struct_passwd:
        """Dovecot must not run mail processes as root: use `dovecot` (or `nobody`) when we are root."""
        if os.geteuid() != 0:
            return pwd.getpwnam(getpass.getuser())
        for name in ("dovecot", "nobody"):
            try:
                return pwd.getpwnam(name)
            except KeyError:
                continue
        raise RuntimeError("running as root and neither a 'dovecot' nor a 'nobody' account exists")

    def _prepare(self) -> None:
        uid, gid = self._account.pw_uid, self._account.pw_gid
        for sub in ("run", "state", "mail", "tls"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.cert_path, self.key_path = write_self_signed_cert(self.root / "tls")
        self.ca_file = self.cert_path
        lines = [
            f"{user}:{{PLAIN}}{password}:{uid}:{gid}::{self.root / 'mail' / user}::"
            for user, password in self.users.items()
        ]
        (self.root / "passwd").write_text("\n".join(lines) + "\n")
        self.config_path = self.root / "dovecot.conf"
        self.config_path.write_text(self._config())
        os.chmod(self.root, 0o755)
        if os.geteuid() == 0:
            for path in (self.root / "mail", self.root / "state"):
                os.chown(path, uid, gid)

    def _config(self) -> str:
        user = self._account.pw_name
        return f"""
protocols = imap
listen = {HOST}
base_dir = {self.root / 'run'}
state_dir = {self.root / 'state'}
instance_name = oms-test-{self.imap_port}
log_path = {self.log_path}
info_log_path = {self.log_path}
default_internal_user = {user}
default_internal_group = {self._group_name()}
default_login_user = {user}
auth_failure_delay = 0
auth_mechanisms = plain login
disable_plaintext_auth = no
ssl = yes
ssl_cert = <{self.cert_path}
ssl_key = <{self.key_path}
mail_location = maildir:~/Maildir
mailbox_idle_check_interval = {self.idle_interval_s} secs
imap_idle_notify_interval = 2 mins
first_valid_uid = 1
last_valid_uid = 0
first_valid_gid = 1
{self._capability_line()}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root / 'passwd'}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {self.root / 'passwd'}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {HOST}
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  # no growing per-IP delay after failed logins: wrong-password tests stay fast
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    user = {user}
  }}
  unix_listener stats-writer {{
    user = {user}
  }}
}}
namespace inbox {{
  inbox = yes
  separator = /
  prefix = {self.namespace_prefix}
{self._autocreate()}
}}
"""

    def _capability_line(self) -> str:
        """Advertise Dovecot's usual capabilities minus the ones a test wants missing (IDLE, MOVE)."""
        if not self.without_capabilities:
            return ""
        kept = [c for c in DOVECOT_CAPABILITIES if c not in self.without_capabilities]
        return "imap_capability = " + " ".join(kept)

    def _autocreate(self) -> str:
        if not self.autocreate_folders:
            return ""
        return "\n".join(f"  mailbox {name} {{\n    auto = subscribe\n  }}" for name in ("Processed", "Failed"))

    def _group_name(self) -> str:
        import grp

        return grp.getgrgid(self._account.pw_gid).gr_name

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        pid = self._pid()
        if pid is None:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def _pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def start(self, timeout: float = 10.0) -> "Dovecot":
        """Start the daemon and wait until both ports accept connections and the pid file exists."""
        with open(self.output_path, "ab") as out:
            # -F keeps the master in the foreground so the pid we hold is the master's.
            self._process = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.config_path)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"dovecot exited with {self._process.returncode}:\n{self.diagnostics()}")
            if self._pid() and self._accepts(self.imap_port) and self._accepts(self.imaps_port):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not come up in {timeout}s:\n{self.diagnostics()}")

    @staticmethod
    def _accepts(port: int) -> bool:
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self, grace_s: float = 1.0) -> None:
        """SIGTERM, then SIGKILL after `grace_s` (Dovecot's own shutdown can take seconds)."""
        process = getattr(self, "_process", None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            self._kill_group(process)
        self._wait_ports_closed()

    def kill(self) -> None:
        """Kill the whole server at once (a crash, not a shutdown): connections drop mid-session."""
        process = getattr(self, "_process", None)
        if process is None or process.poll() is not None:
            return
        self._kill_group(process)
        self._wait_ports_closed()

    @staticmethod
    def _kill_group(process: subprocess.Popen) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=5)

    def _wait_ports_closed(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (self._accepts(self.imap_port) or self._accepts(self.imaps_port)):
            time.sleep(0.05)
        self.pid_file.unlink(missing_ok=True)

    def restart(self) -> None:
        self.stop()
        self.start()

    def cleanup(self) -> None:
        """Kill the server (no need to be gentle at the end of a test) and remove its files."""
        self.kill()
        shutil.rmtree(self.root, ignore_errors=True)

    def diagnostics(self) -> str:
        parts = []
        for path in (self.output_path, self.log_path):
            if path.exists():
                parts.append(f"--- {path.name}\n" + path.read_text(errors="replace")[-4000:])
        return "\n".join(parts)

    # -- helpers for tests -------------------------------------------------------------------

    def settings(self, user: str | None = None, *, security: str = "none", password: str | None = None, **extra) -> dict:
        """Keyword overrides for oms.settings.get_settings that point the poller at this server."""
        user = user or next(iter(self.users))
        return {
            "imap_host": HOST,
            "imap_port": self.imaps_port if security == "ssl" else self.imap_port,
            "imap_security": security,
            "imap_user": user,
            "imap_password": self.users[user] if password is None else password,
            "imap_ca_file": self.ca_file,
            **extra,
        }

    def client(self, user: str | None = None):
        """A logged-in imapclient connection (plain, loopback) for arranging and inspecting mail."""
        from imapclient import IMAPClient

        user = user or next(iter(self.users))
        client = IMAPClient(HOST, port=self.imap_port, ssl=False, timeout=10)
        client.login(user, self.users[user])
        return client

    def append(self, raw: bytes, folder: str = "INBOX", user: str | None = None) -> None:
        """Deliver one message into a folder, as a mail server would."""
        client = self.client(user)
        try:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            client.append(folder, raw)
        finally:
            client.logout()

    def folder_messages(self, folder: str, user: str | None = None) -> list[bytes]:
        """Raw bytes of every message in a folder, in UID order."""
        client = self.client(user)
        try:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            uids = sorted(client.search("ALL"))
            if not uids:
                return []
            fetched = client.fetch(uids, [b"BODY.PEEK[]"])
            return [fetched[uid][b"BODY[]"] for uid in uids]
        finally:
            client.logout()
