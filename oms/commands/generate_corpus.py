"""`oms generate-corpus OUT --seed N --messages N`: write a labelled, deterministic evaluation corpus."""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, help="output folder (master/, mail/, truth/ are created inside)")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same corpus")
    parser.add_argument("--messages", type=int, default=140, help="number of messages to generate")
    parser.add_argument("--style", choices=["fixtures", "holdout"], default="fixtures",
                        help="holdout: the independent generator of fixtures/holdout (other layouts and wordings)")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "style", "fixtures") == "holdout":
        from fixtures.holdout.generator.corpus import generate_corpus
    else:
        from fixtures.generator.corpus import generate_corpus

    if args.messages < 1:
        print("--messages must be at least 1")
        return 2
    truths = generate_corpus(args.out, args.seed, args.messages)
    kinds = Counter(t["kind"] for t in truths)
    formats = Counter(t["format"] for t in truths)
    reasons = Counter(r for t in truths for r in t["review_reasons"])
    print(f"wrote {len(truths)} messages to {args.out}")
    print("kinds:   " + ", ".join(f"{k}={v}" for k, v in sorted(kinds.items())))
    print("formats: " + ", ".join(f"{k}={v}" for k, v in sorted(formats.items())))
    print("reasons: " + ", ".join(f"{k}={v}" for k, v in sorted(reasons.items())))
    return 0
