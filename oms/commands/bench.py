"""`oms bench NAME`: dispatch to oms/commands/bench_<name>.py."""
from __future__ import annotations

import argparse
import importlib

BENCHES = ("reserve", "intake", "outbox", "pipeline", "ui")


def add_arguments(parser) -> None:
    parser.add_argument("name", choices=BENCHES)
    parser.add_argument("rest", nargs=argparse.REMAINDER, help="options passed to the benchmark")


def run(args) -> int:
    module = importlib.import_module(f"oms.commands.bench_{args.name}")

    sub = argparse.ArgumentParser(prog=f"oms bench {args.name}")
    module.add_arguments(sub)
    return int(module.run(sub.parse_args(args.rest)) or 0)
