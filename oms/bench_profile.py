"""Where a message's time goes: cProfile over the in-process pipeline, summarised by room and function."""
from __future__ import annotations

import cProfile
import pstats
from collections import defaultdict
from pathlib import Path

ROOMS = (("agents/", "agents"), ("intake/", "intake"), ("oms_core/", "oms_core"), ("/oms/", "oms"),
         ("pdfplumber", "pdfplumber"), ("pdfminer", "pdfminer"), ("pypdfium2", "pypdfium2"), ("langgraph", "langgraph"),
         ("sqlalchemy", "sqlalchemy"), ("psycopg", "psycopg"), ("rapidfuzz", "rapidfuzz"), ("sqlite3", "sqlite3"))


def room_of(filename: str) -> str:
    for marker, room in ROOMS:
        if marker in filename:
            return room
    return "other" if filename.startswith(("/", "<")) else filename


def profile_pipeline(emls: list[bytes], master_dir: Path, workdir: Path, top: int = 25) -> pstats.Stats:
    """Store and process `emls` in this process (SQLite) under cProfile; print the hot spots."""
    from oms.bench_runs import prepare
    from oms.bootstrap import bootstrap
    from oms.commands.worker import build_outbox
    from oms.pipeline import process_key
    from oms.settings import get_settings

    workdir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{workdir / 'oms.sqlite3'}"
    engine, store = prepare(url, master_dir, workdir / "data")
    engine.dispose()
    app = bootstrap(get_settings(database_url=url, data_dir=workdir / "data", erp="file",
                                 erp_url=str(workdir / "erp"), llm_base_url=None, llm_api_key=None))
    dispatcher = build_outbox(app)
    warm = app.store.save_raw(emls[0], "bench")[0]
    process_key(app, warm)
    profiler = cProfile.Profile()
    try:
        profiler.enable()
        for raw in emls[1:]:
            key, _ = app.store.save_raw(raw, "bench")
            process_key(app, key)
            if dispatcher is not None:
                dispatcher.run_once()
        profiler.disable()
    finally:
        app.close()
    stats = pstats.Stats(profiler)
    print_summary(stats, len(emls) - 1, top)
    return stats


def print_summary(stats: pstats.Stats, messages: int, top: int) -> None:
    """Own time by room, then the functions with the most cumulative and own time."""
    total = sum(tt for (_, _, tt, _, _) in stats.stats.values()) or 1e-9
    by_room: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tt, _, _) in stats.stats.items():
        by_room[room_of(filename)] += tt
    print(f"profile: {messages} messages, {total:.2f}s CPU in Python frames = {total / max(messages, 1) * 1000:.0f} ms/message")
    print("  own time by room: " + ", ".join(f"{room} {t / total:.0%}" for room, t in
                                             sorted(by_room.items(), key=lambda kv: -kv[1])[:10]))
    entries = [(ct, tt, f"{Path(fn).name}:{line}:{name}", fn) for (fn, line, name), (_, _, tt, ct, _) in stats.stats.items()]
    print("  cumulative (share of all time) - pipeline functions:")
    mine = [e for e in entries if room_of(e[3]) in ("agents", "intake", "oms_core", "oms")]
    for ct, _tt, label, fn in sorted(mine, reverse=True)[:top]:
        print(f"    {ct / total:6.1%}  {room_of(fn):9s} {label}")
    print("  own time (share) - any function:")
    for _ct, tt, label, fn in sorted(entries, key=lambda e: -e[1])[:top]:
        print(f"    {tt / total:6.1%}  {room_of(fn):9s} {label}")
