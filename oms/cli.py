"""The `oms` command line: a thin dispatcher; each command lives in oms/commands/<name>.py.

A command module defines `add_arguments(parser)` and `run(args) -> int`. Modules are imported
only when their command runs, so `oms --help` stays fast and nothing is built at import time.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo", "import demo master data, process demo mail, serve the web UI"),
    "serve": ("serve", "serve the review web app"),
    "poll": ("poll", "read the order mailbox (IMAP) or the drop folder"),
    "worker": ("worker", "process stored messages and drain the outbox"),
    "import-master": ("import_master", "import a master-data CSV folder"),
    "extract": ("extract", "print the raw extraction of one file"),
    "process": ("process", "run .eml files through the whole pipeline"),
    "eval": ("eval", "score the pipeline on a labelled corpus"),
    "generate-corpus": ("generate_corpus", "generate a labelled evaluation corpus"),
    "user": ("user", "manage web users"),
    "migrate": ("migrate", "upgrade the database schema to the newest revision"),
    "bench": ("bench", "run a benchmark and print figures"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="oms", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text)
        command_parser.set_defaults(_module=module_name)
    return parser


def _load(module_name: str):
    return importlib.import_module(f"oms.commands.{module_name}")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # Two passes: find the command, then let its module add its own arguments.
    known, _ = parser.parse_known_args(argv)
    sub_action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    command_parser = sub_action.choices[known.command]
    module = _load(known._module)
    module.add_arguments(command_parser)
    args = parser.parse_args(argv)
    from oms.logs import configure_logging

    configure_logging(debug=args.verbose)
    return int(module.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
