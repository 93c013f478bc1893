"""Run stored or given .eml files through the workflow: the `oms process --json` contract.

The raw bytes are stored first (intake store), then parsed, then the message's thread runs.
Processing the same message again returns what its thread already decided (one order), and a
thread interrupted by a crash resumes where its last checkpoint left it.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Iterable, Iterator

from oms.logs import message_key_var
from oms.message_locks import message_lock
from oms.transient import is_transient

log = logging.getLogger(__name__)

LINE_KEYS = ("line_no", "sku", "customer_sku", "description", "qty", "uom", "qty_base", "unit_price", "line_total")
ORDER_KEYS = ("customer_id", "po_number", "order_date", "requested_delivery_date", "ship_to_id", "currency")


def order_json(proposal: dict | None) -> dict | None:
    """The `order` object of the process-json contract (exactly its keys)."""
    if not proposal:
        return None
    out = {k: proposal.get(k) for k in ORDER_KEYS}
    out["lines"] = [{k: line.get(k) for k in LINE_KEYS} for line in proposal.get("lines") or []]
    out["order_total"] = proposal.get("order_total")
    return out


PUBLIC_DECISIONS = {"auto": "auto", "review": "review", "failed": "failed", "rejected": "rejected",
                    "not_order": "auto"}


def result_json(state: dict, *, file: str | None, message_id: str | None, timings: dict | None = None,
                error: str | None = None) -> dict:
    """One `oms process --json` object from a thread's state."""
    decision = state.get("decision") or ("failed" if error else "review")
    if state.get("outcome") == "rejected":
        decision = "rejected"
    kind = state.get("kind") or "order"
    return {
        "message_id": message_id or (state.get("meta") or {}).get("message_id"),
        "file": file,
        "kind": kind,
        "decision": PUBLIC_DECISIONS.get(decision, decision),
        "review_reasons": list(state.get("review_reasons") or []),
        "order": None if kind == "not_order" else order_json(state.get("proposal")),
        "order_id": state.get("order_id"),
        "error": error or state.get("error"),
        "timings_ms": {**(state.get("timings_ms") or {}), **(timings or {})},
    }


def run_thread(app: Any, key: str, file: str | None) -> dict:
    """Run (or resume, or just read back) the thread of one message; returns its state values."""
    config = {"configurable": {"thread_id": key}}
    snapshot = app.graph.get_state(config)
    if snapshot.values and not snapshot.next:
        return dict(snapshot.values)  # finished before: idempotent
    if snapshot.next and "human_review" in snapshot.next:
        return dict(snapshot.values)  # waiting for a reviewer
    if snapshot.next:
        log.info("resuming interrupted thread %s at %s", key, snapshot.next)
        app.graph.invoke(None, config, durability="sync")
    else:
        app.graph.invoke({"message_key": key, "file": file}, config, durability="sync")
    return dict(app.graph.get_state(config).values)


def _record_failure(app: Any, key: str, message, error: str) -> None:
    try:
        app.context.book.record_decision({
            "message_key": key, "kind": None, "decision": "failed", "status": "failed", "review_reasons": [],
            "reasons_detail": [{"code": "error", "why": error}], "proposed": None, "order_id": None,
            "error": error, "timings": {}, "customer_id": None, "po_number": None,
            "sender": getattr(message, "sender", None), "subject": getattr(message, "subject", None),
            "format": None, "language": None, "value": None, "decided_by": None, "decided_at": None,
            "versions": dict(app.context.versions)})
    except Exception:  # noqa: BLE001 - the failure is still reported to the caller
        log.exception("could not record the failure of %s", key)


def _mark_retryable(app: Any, key: str, error: str) -> None:
    """Put the message back to stored with the error noted; the next worker pass picks it up."""
    if app.store is None:
        return
    try:
        app.store.mark(key, "stored", error[:500])
    except Exception:  # noqa: BLE001 - the store may be down too; it stays 'processing' for recovery
        log.exception("could not put %s back to stored", key)


def process_key(app: Any, key: str, *, file: str | None = None, message=None) -> dict:
    """Process one stored message by key; never raises for a bad message (status 'failed')."""
    token = message_key_var.set(key)
    started = time.perf_counter()
    try:
        if message is None:
            t0 = time.perf_counter()
            message = app.messages.load(key)
            parse_ms = round((time.perf_counter() - t0) * 1000, 2)
        else:
            parse_ms = None
        if app.store is not None:
            app.store.mark(key, "processing")
        try:
            state = run_thread(app, key, file)
        except Exception as exc:  # noqa: BLE001 - one bad message must not stop the others
            error = f"{type(exc).__name__}: {exc}"
            if is_transient(exc):
                # An outage says nothing about the message: leave it to be retried from its checkpoint.
                log.warning("processing %s interrupted by a transient error, will retry: %s", key, error)
                error = f"transient, will retry: {error}"
                _mark_retryable(app, key, error)
            else:
                log.exception("processing %s failed", key)
                _record_failure(app, key, message, error)
                if app.store is not None:
                    app.store.mark(key, "failed", error[:500])
            return result_json({}, file=file, message_id=getattr(message, "message_id", None), error=error,
                               timings={"total": round((time.perf_counter() - started) * 1000, 2)})
        if app.store is not None:
            failed = state.get("decision") == "failed"
            app.store.mark(key, "failed" if failed else "processed", (state.get("error") or None) if failed else None)
        timings = {"total": round((time.perf_counter() - started) * 1000, 2)}
        if parse_ms is not None:
            timings["parse"] = parse_ms
        return result_json(state, file=file, message_id=getattr(message, "message_id", None), timings=timings)
    finally:
        message_key_var.reset(token)


def process_locked(app: Any, key: str, **kwargs) -> dict:
    """process_key under the message's lock, for callers outside the worker loop (`oms process`, an
    upload in the web app): a worker that took the message from the store meanwhile finishes first,
    and a worker never mistakes this run's `processing` for an orphan."""
    with message_lock(app, key, wait=True):
        return process_key(app, key, **kwargs)


def process_file(app: Any, path: str | Path) -> dict:
    """Store one .eml, parse it and run its thread: the `oms process --json` object."""
    from intake.mime import parse_message

    path = Path(path)
    started = time.perf_counter()
    raw = path.read_bytes()
    key, _created = app.store.save_raw(raw, f"file:{path.name}")
    t0 = time.perf_counter()
    message = parse_message(raw, key=key, max_attachment_bytes=app.settings.max_attachment_bytes)
    parse_ms = round((time.perf_counter() - t0) * 1000, 2)
    app.messages.put(message)
    result = process_locked(app, key, file=str(path), message=message)
    result["timings_ms"]["parse"] = parse_ms
    result["timings_ms"]["total"] = round((time.perf_counter() - started) * 1000, 2)
    return result


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders become their .eml files in file-name order."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted((f for f in p.iterdir() if f.is_file() and f.suffix.lower() == ".eml"), key=lambda f: f.name))
        else:
            out.append(p)
    return out


def process_paths(app: Any, paths: Iterable[str | Path]) -> Iterator[dict]:
    """process_file for every .eml in the given files and folders, one after another."""
    for path in expand_paths(paths):
        try:
            yield process_file(app, path)
        except OSError as exc:  # unreadable file: report it, go on with the rest
            yield result_json({}, file=str(path), message_id=None, error=f"cannot read file: {exc}")
