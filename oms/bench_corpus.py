"""Clean single-page PDF order messages from the fixtures generator (for the pipeline bench and crash tests)."""
from __future__ import annotations

import random
from pathlib import Path


def clean_pdf_orders(count: int, seed: int = 7) -> tuple[object, list[bytes]]:
    """(master data, `count` .eml byte strings), each a clean order with a one-page PDF attached.

    Uses the generator's order builder with a fixed "clean, pdf" plan; multi-page documents the
    generator sometimes draws are skipped, so every message is exactly one PDF page.
    """
    from fixtures.generator.corpus import State, _order_message  # noqa: PLC2701 - no public per-slot API yet
    from fixtures.generator.mailer import build_eml
    from fixtures.generator.master import build_master
    from fixtures.generator.planner import Slot

    master = build_master(seed)
    state = State(seed=seed, master=master)
    messages: list[bytes] = []
    number = 0
    while len(messages) < count:
        number += 1
        msg = _order_message(state, Slot("clean", "pdf", None), number, max(count, 1) * 2, random.Random(f"bench-{seed}-{number}"))
        if msg.truth.get("pages", 1) != 1:
            continue
        messages.append(build_eml(msg, seed))
    return master, messages


def write_master_folder(master, folder: Path) -> Path:
    """Write the master-data CSV folder for `master`."""
    from fixtures.generator.master import write_master

    write_master(master, Path(folder))
    return Path(folder)
