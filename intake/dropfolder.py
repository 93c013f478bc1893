"""The drop folder (embedded default, no IMAP): `.eml` files dropped in a folder are ingested.

Each file is stored, then moved to `processed/` or `failed/` beside it; nothing is deleted.
Writers should create files under another name (e.g. `.x.eml.tmp`) and rename them when done:
only `*.eml` files not starting with a dot are picked up.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from intake.ingest import IngestResult, OnStored, ingest_bytes, unprocessable_reason
from intake.store import MessageStore

log = logging.getLogger(__name__)

PROCESSED_DIR = "processed"
FAILED_DIR = "failed"

__all__ = ["ScanResult", "scan", "watch", "ingest_bytes", "IngestResult", "unprocessable_reason"]


@dataclass
class ScanResult:
    """What one scan did, by message key."""

    stored: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # files that could not be read (left in place)

    @property
    def handled(self) -> int:
        return len(self.stored) + len(self.failed) + len(self.duplicates)


def scan(
    store: MessageStore,
    folder: str | os.PathLike,
    on_stored: OnStored | None = None,
    *,
    max_attachment_bytes: int | None = None,
    settle_s: float = 0.0,
) -> ScanResult:
    """Ingest every `*.eml` in the folder (file-name order) and move it to processed/ or failed/.

    Files changed less than `settle_s` seconds ago are left for the next scan (still being copied).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    result = ScanResult()
    settled_before = time.time() - settle_s
    for path in sorted(p for p in folder.iterdir() if _is_candidate(p)):
        if settle_s and _mtime(path) > settled_before:
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            log.warning("cannot read %s: %s", path, exc)
            result.errors.append(str(path))
            continue
        outcome = ingest_bytes(
            store, raw, f"drop:{path.name}", on_stored, max_attachment_bytes=max_attachment_bytes
        )
        if not outcome.created:
            result.duplicates.append(outcome.key)
        elif outcome.failed:
            result.failed.append(outcome.key)
        else:
            result.stored.append(outcome.key)
        _move_aside(path, folder / (FAILED_DIR if outcome.failed else PROCESSED_DIR), outcome.key)
    return result


def watch(
    store: MessageStore,
    folder: str | os.PathLike,
    stop_event: threading.Event,
    on_stored: OnStored | None = None,
    *,
    interval_s: float = 2.0,
    settle_s: float = 1.0,
    max_attachment_bytes: int | None = None,
) -> None:
    """Scan the folder every interval until stop_event is set (files must be settle_s old)."""
    while not stop_event.is_set():
        try:
            found = scan(store, folder, on_stored, max_attachment_bytes=max_attachment_bytes, settle_s=settle_s)
            if found.handled:
                log.info(
                    "drop folder: %d stored, %d failed, %d already known",
                    len(found.stored),
                    len(found.failed),
                    len(found.duplicates),
                )
        except Exception:  # noqa: BLE001 - a bad moment (disk, database) must not end the watcher
            log.exception("drop folder scan of %s failed; retrying", folder)
        stop_event.wait(interval_s)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return float("inf")


def _is_candidate(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".eml" and not path.name.startswith(".")


def _move_aside(path: Path, target_dir: Path, key: str) -> None:
    """Move the file into target_dir without overwriting an earlier file of the same name."""
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        target = target_dir / f"{path.stem}.{key[:12]}{path.suffix}"
        n = 1
        while target.exists():
            target = target_dir / f"{path.stem}.{key[:12]}.{n}{path.suffix}"
            n += 1
    os.replace(path, target)
