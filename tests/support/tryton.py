"""A real Tryton 8.2 server for tests: a seeded SQLite template, copied per test, one server.

The template (company, chart of accounts, fiscal year, parties, products, stock) is built once
and cached under ~/.cache/oms-tests/tryton-<version>/ because `trytond-admin --all` plus seeding
takes ~30 s. Each test gets a fresh copy under a new database name; one session server serves
every copy (SQLite databases are files in the configured path), so a fresh ERP costs ~1 s.

Run `python -m tests.support.tryton seed CONF DB` only from `build_template` (it imports trytond
in a separate process so the test process never loads trytond's global pool).
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import json
import logging
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx

log = logging.getLogger(__name__)

ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "oms-tryton-admin"
TEMPLATE_NAME = "template"
SEED_VERSION = 2  # bump when _seed changes, so the cached template is rebuilt
COMPANY_NAME = "OMS Test Distribution"
CURRENCIES = ("EUR", "USD", "GBP")

# Seed master data. Party code = our customer_id, product code = our SKU.
SEED_CUSTOMERS = [
    # code, name, language, street, postal_code, city, country
    ("C1001", "Bäckerei Schmidt GmbH", "de", "Hauptstraße 5", "10115", "Berlin", "DE"),
    ("C1002", "Acme Supplies Ltd", "en", "12 High Street", "SW1A 1AA", "London", "GB"),
    ("C1003", "Van Dijk Horeca BV", "nl", "Damrak 1", "1012 LG", "Amsterdam", "NL"),
]
SEED_PRODUCTS = [
    # code (sku), name, unit price, on hand
    ("SKU-100", "Flour type 550, 25 kg sack", Decimal("18.50"), Decimal("500")),
    ("SKU-200", "Rye flour, 10 kg sack", Decimal("9.90"), Decimal("120")),
    ("SKU-300", "Baking paper roll 50 m", Decimal("4.25"), Decimal("0")),
]


def trytond_version() -> str:
    """The installed trytond version, without importing trytond into this process."""
    from importlib.metadata import version

    return version("trytond")


def cache_dir() -> Path:
    base = Path(os.environ.get("OMS_TEST_CACHE", Path.home() / ".cache" / "oms-tests"))
    seed_hash = hashlib.sha256(repr((SEED_VERSION, SEED_CUSTOMERS, SEED_PRODUCTS)).encode()).hexdigest()[:8]
    return base / f"tryton-{trytond_version()}-{seed_hash}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def trytond_bin(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def write_config(path: Path, db_dir: Path, port: int, queue_worker: bool = False) -> Path:
    """trytond.conf; `queue_worker` hands queued tasks (a confirmed sale's processing) to a
    worker process that the tests never start, so confirmed sales stay `confirmed`."""
    path.write_text(
        ("[queue]\nworker = True\n" if queue_worker else "")
        + "[database]\n"
        "uri = sqlite://\n"
        f"path = {db_dir}\n"
        "[web]\n"
        f"listen = 127.0.0.1:{port}\n"
        "[session]\n"
        "max_attempt = 1000\n"
        "max_attempt_ip_network = 100000\n"
        "timeout = 3600\n"
    )
    return path


def copy_sqlite(src: Path, dst: Path) -> None:
    """Copy a (WAL-mode) SQLite database consistently via the backup API."""
    dst.unlink(missing_ok=True)
    source = sqlite3.connect(src)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def build_template() -> Path:
    """Create (or reuse) the seeded template database; returns its .sqlite path."""
    folder = cache_dir()
    template = folder / f"{TEMPLATE_NAME}.sqlite"
    if template.exists():
        return template
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = folder.with_name(folder.name + f".build-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    conf = write_config(work / "trytond.conf", work, free_port())
    (work / f"{TEMPLATE_NAME}.sqlite").touch()
    passfile = work / "admin.pass"
    passfile.write_text(ADMIN_PASSWORD)
    env = {**os.environ, "TRYTONPASSFILE": str(passfile)}
    started = time.monotonic()
    subprocess.run(
        [trytond_bin("trytond-admin"), "-c", str(conf), "-d", TEMPLATE_NAME, "--all",
         "-u", "sale", "stock", "--activate-dependencies", "--email", "admin@example.com"],
        check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    subprocess.run(
        [sys.executable, "-m", "tests.support.tryton", "seed", str(conf), TEMPLATE_NAME],
        check=True, env=env, cwd=Path(__file__).resolve().parents[2],
    )
    log.info("built Tryton template in %.1fs", time.monotonic() - started)
    # Publish atomically: another session building in parallel just loses the race.
    try:
        work.rename(folder)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
    return template


@dataclass
class TrytonServer:
    """One running trytond process serving the pre-copied database files in `db_dir`."""

    process: subprocess.Popen
    url: str
    db_dir: Path
    template: Path
    log_path: Path
    spare: list[str]

    def new_database(self) -> str:
        """A fresh, never-used copy of the seeded template; IndexError when all are used.

        trytond caches its database list (for `session.timeout`), so the copies are made before
        the server starts; the first request to `/<db>/r/` loads the new database's pool.
        """
        name = self.spare.pop(0)
        httpx.get(f"{self.url}/{name}/r/warm-up", timeout=120)
        return name

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(work_dir: Path, template: Path, databases: int = 12,
                 queue_worker: bool = False) -> TrytonServer:
    """Start trytond on a free loopback port with `databases` fresh copies of the template."""
    db_dir = work_dir / "db"
    shutil.rmtree(db_dir, ignore_errors=True)
    db_dir.mkdir(parents=True)
    names = [f"erp{i:02d}" for i in range(databases)]
    for name in names:
        copy_sqlite(template, db_dir / f"{name}.sqlite")
    port = free_port()
    conf = write_config(work_dir / "trytond.conf", db_dir, port, queue_worker)
    log_path = work_dir / "trytond.log"
    # The daemon writes to a file: a pipe nobody reads would block it.
    with open(log_path, "wb") as out:
        process = subprocess.Popen(
            [trytond_bin("trytond"), "-c", str(conf)], stdout=out, stderr=subprocess.STDOUT
        )
    server = TrytonServer(process, f"http://127.0.0.1:{port}", db_dir, template, log_path, names)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"trytond exited: {log_path.read_text()[-2000:]}")
        try:
            httpx.post(f"{server.url}/", json={"method": "common.server.version", "params": []},
                       timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("trytond did not start within 60 s")


class TrytonService:
    """Hands out fresh databases, restarting the server with new copies when all are used."""

    def __init__(self, work_dir: Path, databases: int = 12, queue_worker: bool = False):
        self.work_dir = work_dir
        self.databases = databases
        self.queue_worker = queue_worker
        self.template = build_template()
        self.server = start_server(work_dir, self.template, databases, queue_worker)

    @property
    def url(self) -> str:
        return self.server.url

    def fresh_database(self) -> str:
        """A brand-new seeded ERP database name on the running server."""
        if not self.server.spare:
            self.server.stop()
            self.server = start_server(self.work_dir, self.template, self.databases, self.queue_worker)
        return self.server.new_database()

    def stop(self) -> None:
        self.server.stop()


class TrytonClient:
    """A tiny JSON-RPC client for test assertions (the product uses its own adapter)."""

    def __init__(self, url: str, database: str, login=ADMIN_LOGIN, password=ADMIN_PASSWORD):
        self.http = httpx.Client(base_url=f"{url}/{database}/", timeout=30,
                                 headers={"Content-Type": "application/json"})
        self._ids = itertools.count(1)
        uid, session = self.call("common.db.login", login, {"password": password}, "en")[:2]
        token = base64.b64encode(f"{login}:{uid}:{session}".encode()).decode()
        self.http.headers["Authorization"] = f"Session {token}"
        self.context = self.call("model.res.user.get_preferences", True, {})

    def call(self, method: str, *params):
        reply = self.http.post("rpc/", content=json.dumps(
            {"id": next(self._ids), "method": method, "params": list(params)}, default=_encode))
        reply.raise_for_status()
        body = reply.json(parse_float=Decimal)
        if body.get("error"):
            raise RuntimeError(f"{method}: {body['error']}")
        return body["result"]

    def search_read(self, model: str, domain: list, fields: list[str]) -> list[dict]:
        return self.call(f"model.{model}.search_read", domain, 0, None, None, fields, self.context)

    def close(self) -> None:
        self.http.close()


def _encode(value):
    if isinstance(value, Decimal):
        return {"__class__": "Decimal", "decimal": str(value)}
    raise TypeError(type(value))


# ---------------------------------------------------------------- seeding (separate process)

def _seed(conf: str, database: str) -> None:
    """Company, chart of accounts, fiscal year, parties, products, stock: the test ERP's data."""
    from proteus import Model, config as proteus_config
    from trytond.modules.account.tests.tools import create_chart, create_fiscalyear, get_accounts
    from trytond.modules.account_invoice.tests.tools import (
        create_payment_term, set_fiscalyear_invoice_sequences)
    from trytond.modules.company.tests.tools import create_company
    from trytond.modules.currency.tests.tools import get_currency

    proteus_config.set_trytond(database, config_file=conf)
    currencies = {code: get_currency(code) for code in CURRENCIES}
    Party = Model.get("party.party")
    company_party = Party(name=COMPANY_NAME)
    company_party.save()
    create_company(party=company_party, currency=currencies["EUR"])
    create_chart()
    fiscalyear = set_fiscalyear_invoice_sequences(create_fiscalyear())
    fiscalyear.click("create_period")
    accounts = get_accounts()

    payment_term = create_payment_term()
    payment_term.save()

    Category = Model.get("product.category")
    category = Category(name="Goods", accounting=True)
    category.account_revenue = accounts["revenue"]
    category.account_expense = accounts["expense"]
    category.save()

    Lang = Model.get("ir.lang")
    Country = Model.get("country.country")
    for code, name, lang_code, street, postal, city, country_code in SEED_CUSTOMERS:
        country = Country(name=country_code, code=country_code)
        country.save()
        party = Party(name=name, code=code)
        langs = Lang.find([("code", "=", lang_code)])
        if langs:
            party.lang = langs[0]
        party.customer_payment_term = payment_term
        address = party.addresses[0] if party.addresses else party.addresses.new()
        address.street = street
        address.postal_code = postal
        address.city = city
        address.country = country
        party.save()

    Uom = Model.get("product.uom")
    unit, = Uom.find([("name", "=", "Unit")])
    Template = Model.get("product.template")
    products = []
    for sku, name, price, _on_hand in SEED_PRODUCTS:
        template = Template(name=name, code=sku, type="goods", salable=True)
        template.default_uom = unit
        template.list_price = price
        template.account_category = category
        template.save()
        products.append(template.products[0])

    Location = Model.get("stock.location")
    storage, = Location.find([("code", "=", "STO")])
    Inventory = Model.get("stock.inventory")
    inventory = Inventory(location=storage)
    for product, (_sku, _name, _price, on_hand) in zip(products, SEED_PRODUCTS):
        if on_hand:
            line = inventory.lines.new(product=product)
            line.quantity = float(on_hand)
            line.expected_quantity = 0.0
    inventory.save()
    inventory.click("confirm")


if __name__ == "__main__":
    if sys.argv[1:2] == ["seed"]:
        _seed(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit("usage: python -m tests.support.tryton seed CONF DB")
