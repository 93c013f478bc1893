"""A real `oms serve` on a free port over a database filled by the real pipeline, and headless Chromium."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, missing

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PASSWORD = "e2e-password-123"
CORPUS = REPO / "fixtures" / "corpus"


def corpus_messages() -> list[Path]:
    """Chosen by their truth, not by number (the generated corpus may be regenerated): five clean
    orders, every case whose only reason is an unknown article, and the past-delivery-date cases."""
    chosen, clean = [], 0
    for truth_file in sorted((CORPUS / "truth").glob("*.json")):
        truth = json.loads(truth_file.read_text())
        reasons = truth.get("review_reasons") or []
        pick = reasons in (["unknown_sku"], ["past_delivery_date"])
        if not pick and not truth.get("expected_review") and truth.get("kind") == "order" and clean < 5:
            clean += 1
            pick = True
        if pick:
            chosen.append(CORPUS / "mail" / f"{truth_file.stem}.eml")
    return chosen


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Deployment:
    """The files, environment and CLI of one test deployment."""

    def __init__(self, root: Path):
        self.root = root
        self.db = root / "oms.sqlite3"
        self.env = {**os.environ, "OMS_DATABASE_URL": f"sqlite:///{self.db}", "OMS_DATA_DIR": str(root / "data"),
                    "OMS_SECRET_KEY": "e2e-secret-key-0123456789abcdef", "OMS_ENVIRONMENT": "test"}
        self.env.pop("CI_DISABLE", None)

    def oms(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "oms", *args], cwd=REPO, env=self.env, capture_output=True,
                                text=True, timeout=300)
        if check and result.returncode != 0:
            raise AssertionError(f"oms {' '.join(args)} failed: {result.stdout}\n{result.stderr}")
        return result

    def process(self, *paths: Path) -> list[dict]:
        out = self.oms("process", "--json", *map(str, paths)).stdout
        return [json.loads(line) for line in out.splitlines() if line.startswith("{")]

    def engine(self):
        from oms.db import make_engine

        return make_engine(f"sqlite:///{self.db}")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Deployment:
    if not CORPUS.is_dir():
        missing("fixtures/corpus not found")
    dep = Deployment(tmp_path_factory.mktemp("e2e"))
    dep.oms("import-master", str(CORPUS / "master"), "--no-progress")
    dep.results = dep.process(*corpus_messages())
    dep.oms("user", "add", "rita", "--role", "reviewer", "--password", PASSWORD)
    dep.oms("user", "add", "ada", "--role", "admin", "--password", PASSWORD)
    dep.oms("user", "add", "sam", "--role", "sales", "--password", PASSWORD)
    return dep


@pytest.fixture(scope="module")
def server(deployment):
    port = free_port()
    log = open(deployment.root / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "oms", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=REPO, env=deployment.env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://localhost:{port}"  # browsers keep Secure cookies for localhost over plain http
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"oms serve exited: {(deployment.root / 'serve.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.terminate()
        raise AssertionError("oms serve did not answer within 60 s")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        missing("Debian chromium is not installed (scripts/install-system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    page.js_errors = errors
    yield page
    context.close()


def log_in(page, username: str) -> None:
    page.goto("/login")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(lambda url: "/login" not in url)


def screenshot(page, name: str) -> None:
    """Save a screenshot when OMS_SCREENSHOTS names a folder (how docs/screenshots/ is made)."""
    folder = os.environ.get("OMS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)
