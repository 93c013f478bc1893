"""`oms user add NAME --role reviewer|sales|admin [--password P]` (prompts when omitted); `oms user list`."""
from __future__ import annotations

import getpass
import sys


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="create a web user")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("reviewer", "sales", "admin"))
    add.add_argument("--password", help="the password (prompted for when omitted)")
    sub.add_parser("list", help="list web users")


def _prompt_password() -> str | None:
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\n")
        return line or None
    first = getpass.getpass("Password: ")
    second = getpass.getpass("Repeat password: ")
    if first != second:
        print("passwords differ", file=sys.stderr)
        return None
    return first


def run(args) -> int:
    from sqlalchemy.orm import Session

    from oms.db import make_engine, upgrade
    from oms.settings import get_settings
    from review_ui.users import service
    from review_ui.users.service import UserError

    settings = get_settings()
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            if args.action == "list":
                for user in service.list_all(session=session):
                    state = "active" if user.active else "disabled"
                    print(f"{user.username}\t{user.role}\t{state}")
                return 0
            password = args.password if args.password is not None else _prompt_password()
            if not password:
                print("no password given", file=sys.stderr)
                return 2
            try:
                user = service.create(session=session, username=args.name, password=password, role=args.role)
            except UserError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 1
            session.commit()
            print(f"created user {user.username} ({user.role})")
            return 0
    finally:
        engine.dispose()
