"""`oms migrate`: upgrade the configured database to the newest schema."""
from __future__ import annotations


def add_arguments(parser) -> None:
    parser.add_argument("--url", help="database URL (default: OMS_DATABASE_URL)")


def run(args) -> int:
    from oms.db import upgrade
    from oms.settings import get_settings

    url = args.url or get_settings().database_url
    upgrade(url)
    print(f"schema up to date: {url.split('@')[-1]}")
    return 0
