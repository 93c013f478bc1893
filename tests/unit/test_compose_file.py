"""docker-compose.yml cannot be run here (no Docker engine), so check it against the code."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
import yaml

from oms import cli
from oms.settings import Settings

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def oms_services(compose):
    return {name: svc for name, svc in compose["services"].items() if svc.get("command", [None])[0] == "oms"}


def test_the_app_services_are_web_worker_poller_and_migrate(compose):
    assert set(oms_services(compose)) == {"web", "worker", "poller", "migrate"}


def test_every_service_command_parses_as_a_real_oms_entry_point(compose):
    for name, svc in oms_services(compose).items():
        argv = svc["command"][1:]
        parser = cli.build_parser()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        assert argv[0] in sub.choices, f"{name}: unknown command {argv[0]}"
        cli._load(cli.COMMANDS[argv[0]][0]).add_arguments(sub.choices[argv[0]])
        parsed = parser.parse_args(argv)
        assert parsed.command == argv[0]


def test_every_oms_variable_is_a_known_setting(compose):
    fields = {f"OMS_{name.upper()}" for name in Settings.model_fields} | {"OMS_LOG_JSON"}
    env = compose["x-oms-env"]
    unknown = sorted(key for key in env if key.startswith("OMS_") and key not in fields)
    assert unknown == []


def test_the_secret_key_is_required_and_never_a_default(compose):
    assert re.fullmatch(r"\$\{OMS_SECRET_KEY:\?.+\}", compose["x-oms-env"]["OMS_SECRET_KEY"])


def test_the_web_port_matches_the_serve_command(compose):
    web = compose["services"]["web"]
    port = web["command"][web["command"].index("--port") + 1]
    assert any(mapping.endswith(f":{port}") for mapping in web["ports"])
    assert f"127.0.0.1:{port}/healthz" in " ".join(web["healthcheck"]["test"])


def test_the_database_and_broker_point_at_the_compose_services(compose):
    env = compose["x-oms-env"]
    pg = compose["services"]["postgres"]["environment"]
    assert env["OMS_DATABASE_URL"] == (
        f"postgresql+psycopg://{pg['POSTGRES_USER']}:{pg['POSTGRES_PASSWORD']}@postgres:5432/{pg['POSTGRES_DB']}"
    )
    assert env["OMS_BROKER_URL"].startswith("redis://redis:6379")


def test_dependencies_name_existing_services(compose):
    names = set(compose["services"])
    for name, svc in compose["services"].items():
        assert set(svc.get("depends_on", {})) <= names, name
