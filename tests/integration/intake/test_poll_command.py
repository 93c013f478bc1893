"""`oms poll` as an operator runs it: a real process against Dovecot or the drop folder."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.intake.conftest import order_mail, truncated_mail

REPO = Path(__file__).resolve().parents[3]


def oms_env(tmp_path, **settings) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    env.update(
        {
            "OMS_DATABASE_URL": f"sqlite:///{tmp_path / 'oms.sqlite3'}",
            "OMS_DATA_DIR": str(tmp_path / "data"),
            "PYTHONPATH": str(REPO),
        }
    )
    env.update({f"OMS_{k.upper()}": str(v) for k, v in settings.items() if v is not None})
    return env


def oms(args, env, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "oms", *args], env=env, cwd=env["OMS_DATA_DIR"].rsplit("/", 1)[0],
        capture_output=True, text=True, timeout=timeout,
    )


def test_poll_once_without_imap_reads_the_drop_folder(tmp_path):
    drop = tmp_path / "data" / "drop"
    drop.mkdir(parents=True)
    (drop / "0001.eml").write_bytes(order_mail(1))
    (drop / "0002.eml").write_bytes(truncated_mail())

    done = oms(["poll", "--once"], oms_env(tmp_path))

    assert done.returncode == 0, done.stderr
    assert "1 stored, 1 failed" in done.stdout
    assert (drop / "processed" / "0001.eml").exists() and (drop / "failed" / "0002.eml").exists()


@pytest.mark.dovecot
def test_poll_once_reads_the_imap_mailbox_over_starttls(dovecot, tmp_path):
    dovecot.append(order_mail(1))
    dovecot.append(order_mail(2))
    env = oms_env(tmp_path, **dovecot.settings(security="starttls"))

    done = oms(["poll", "--once"], env)

    assert done.returncode == 0, done.stderr
    assert "2 stored, 0 failed, 0 already stored" in done.stdout
    assert len(dovecot.folder_messages("Processed")) == 2
    assert len(list((tmp_path / "data" / "raw").rglob("*.eml"))) == 2


@pytest.mark.dovecot
@pytest.mark.parametrize("once", [True, False], ids=["once", "forever"])
def test_a_wrong_password_exits_with_a_clear_message(dovecot, tmp_path, once):
    env = oms_env(tmp_path, **dovecot.settings(security="ssl", password="wrong"))

    started = time.monotonic()
    done = oms(["poll", "--once"] if once else ["poll"], env, timeout=30)

    assert done.returncode == 3, done.stdout + done.stderr
    assert "login as orders@example.com" in done.stdout and "failed" in done.stdout
    assert time.monotonic() - started < 20  # no crash loop, no retries against a wrong password
    assert "Traceback" not in done.stderr


@pytest.mark.dovecot
def test_an_unreachable_server_in_once_mode_exits_with_code_2(dovecot, tmp_path):
    env = oms_env(tmp_path, **dovecot.settings())
    dovecot.kill()

    done = oms(["poll", "--once"], env)

    assert done.returncode == 2 and "cannot reach IMAP server" in done.stdout


@pytest.mark.dovecot
def test_poll_runs_until_sigterm_and_picks_up_new_mail(dovecot, tmp_path):
    env = oms_env(tmp_path, **dovecot.settings(security="ssl", imap_poll_seconds=30))
    log_path = tmp_path / "poll.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "oms", "poll"], env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        dovecot.append(order_mail(1))
        deadline = time.monotonic() + 20
        while not dovecot.folder_messages("Processed") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(dovecot.folder_messages("Processed")) == 1, log_path.read_text()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0, log_path.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "1 stored" in log_path.read_text()
