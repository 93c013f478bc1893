"""Prometheus metrics: state is read from the database at scrape time, events are counted where
they happen.

State (any process can answer, always current): messages by state, decisions by reason, the
review queue (length, oldest age), the outbox backlog, LLM tokens and cost, and inbox->booked /
inbox->ERP latencies of the last hour. Events (per process): processing time per message and per
graph step, observed by the Celery task. With PROMETHEUS_MULTIPROC_DIR set (prometheus_client's
multi-process mode) the events of every worker process on the host are aggregated.
"""
from __future__ import annotations

import functools
import json
import logging
import os
from datetime import timedelta
from typing import Any, Iterator

log = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 1800.0, 3600.0)
STEP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
LATENCY_WINDOW = timedelta(hours=1)


@functools.lru_cache(maxsize=1)
def events() -> dict[str, Any]:
    """The process-wide event metrics (made on first use, in the default registry)."""
    from prometheus_client import Counter, Histogram

    return {
        "message": Histogram("oms_message_processing_seconds", "Time to run one message's workflow",
                             buckets=LATENCY_BUCKETS),
        "step": Histogram("oms_pipeline_step_seconds", "Time per workflow step", ["step"], buckets=STEP_BUCKETS),
        "processed": Counter("oms_messages_processed", "Messages run through the workflow", ["kind", "decision"]),
    }


def observe_processed(result: dict, seconds: float) -> None:
    """Record one `oms process`-shaped result (its timings_ms) and its total time."""
    metrics = events()
    metrics["message"].observe(seconds)
    metrics["processed"].labels(result.get("kind") or "unknown", result.get("decision") or "unknown").inc()
    for step, ms in (result.get("timings_ms") or {}).items():
        if step != "total" and isinstance(ms, (int, float)):
            metrics["step"].labels(step).observe(ms / 1000)


class DatabaseCollector:
    """Reads the current state from the database on every scrape."""

    def __init__(self, engine):
        self.engine = engine

    def describe(self) -> list:
        return []  # unchecked collector: names come from collect()

    def collect(self) -> Iterator:
        from prometheus_client.core import GaugeMetricFamily

        try:
            with self.engine.connect() as conn:
                yield from self._collect(conn)
            up = 1
        except Exception:  # noqa: BLE001 - a scrape must answer even when the database does not
            log.warning("metrics: database not readable", exc_info=True)
            up = 0
        yield GaugeMetricFamily("oms_database_up", "1 if the database answered the last scrape", value=up)

    def _collect(self, conn) -> Iterator:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
        from sqlalchemy import Text, cast, func, select

        from intake.tables import inbound_messages as inbound
        from intake.tables import utcnow
        from oms_core.adapters.orm import orders, outbox, processed_messages as pm

        now = utcnow()
        states = GaugeMetricFamily("oms_inbound_messages", "Stored inbound messages by intake status", labels=["status"])
        for status, n in conn.execute(select(inbound.c.status, func.count()).group_by(inbound.c.status)):
            states.add_metric([status], n)
        yield states

        by_state = GaugeMetricFamily("oms_messages", "Processed messages by status and decision",
                                     labels=["status", "decision"])
        reasons = GaugeMetricFamily("oms_decisions", "Processed messages by decision and review reason "
                                    "(reason 'none' when nothing was flagged)", labels=["decision", "reason"])
        tally: dict[tuple[str, str], int] = {}
        counts: dict[tuple[str, str], int] = {}
        reasons_text = cast(pm.c.review_reasons, Text())  # JSON is grouped by its text on every database
        for status, decision, text, n in conn.execute(
                select(pm.c.status, pm.c.decision, reasons_text, func.count())
                .group_by(pm.c.status, pm.c.decision, reasons_text)):
            decision = decision or "none"
            counts[(status, decision)] = counts.get((status, decision), 0) + n
            for reason in (json.loads(text) if text else None) or ["none"]:
                tally[(decision, reason)] = tally.get((decision, reason), 0) + n
        for (status, decision), n in sorted(counts.items()):
            by_state.add_metric([status, decision], n)
        for (decision, reason), n in sorted(tally.items()):
            reasons.add_metric([decision, reason], n)
        yield by_state
        yield reasons

        length, oldest = conn.execute(select(func.count(), func.min(pm.c.created_at))
                                      .where(pm.c.status == "needs_review")).one()
        yield GaugeMetricFamily("oms_review_queue_length", "Messages waiting for a reviewer", value=length)
        yield GaugeMetricFamily("oms_review_queue_oldest_age_seconds", "Age of the oldest message waiting for review",
                                value=_age(now, oldest))

        backlog = GaugeMetricFamily("oms_outbox_messages", "Outbox rows by kind and status", labels=["kind", "status"])
        for kind, status, n in conn.execute(select(outbox.c.kind, outbox.c.status, func.count())
                                            .group_by(outbox.c.kind, outbox.c.status)):
            backlog.add_metric([kind, status], n)
        yield backlog
        oldest_pending = conn.execute(select(func.min(outbox.c.created_at))
                                      .where(outbox.c.status.in_(("pending", "sending")))).scalar()
        yield GaugeMetricFamily("oms_outbox_oldest_pending_age_seconds", "Age of the oldest undelivered outbox row",
                                value=_age(now, oldest_pending))

        tokens, cost = conn.execute(select(func.coalesce(func.sum(pm.c.llm_tokens), 0),
                                           func.coalesce(func.sum(pm.c.llm_cost), 0))).one()
        yield CounterMetricFamily("oms_llm_tokens", "LLM tokens used for all processed messages", value=int(tokens))
        yield CounterMetricFamily("oms_llm_cost", "LLM cost of all processed messages (configured currency)",
                                  value=float(cost))

        since = now - LATENCY_WINDOW
        booked = [(o - r).total_seconds() for r, o in conn.execute(
            select(inbound.c.received_at, orders.c.created_at)
            .join(orders, orders.c.message_key == inbound.c.key).where(orders.c.created_at >= since))]
        yield _histogram("oms_inbox_to_booked_seconds", "Inbox (stored) to order written, orders of the last hour",
                         booked)
        pushed = [(s - r).total_seconds() for r, s in conn.execute(
            select(inbound.c.received_at, outbox.c.sent_at)
            .join(orders, orders.c.message_key == inbound.c.key)
            .join(outbox, outbox.c.order_id == orders.c.order_id)
            .where(outbox.c.kind == "erp_push", outbox.c.status == "sent", outbox.c.sent_at >= since))]
        yield _histogram("oms_inbox_to_erp_seconds", "Inbox (stored) to ERP push confirmed, pushes of the last hour",
                         pushed)


def _age(now, then) -> float:
    return max(0.0, (now - then).total_seconds()) if then is not None else 0.0


def _histogram(name: str, documentation: str, values: list[float]):
    from prometheus_client.core import HistogramMetricFamily

    buckets = []
    for bound in LATENCY_BUCKETS:
        buckets.append((repr(bound), sum(1 for v in values if v <= bound)))
    buckets.append(("+Inf", len(values)))
    return HistogramMetricFamily(name, documentation, buckets=buckets, sum_value=sum(values))


def render(engine) -> tuple[bytes, str]:
    """The /metrics body and content type: this process's events (or all processes') plus database state."""
    from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
    from prometheus_client.exposition import CONTENT_TYPE_LATEST

    events()  # the event metrics exist (zero) even before the first message
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        process_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(process_registry)
    else:
        process_registry = REGISTRY
    state = CollectorRegistry(auto_describe=False)
    state.register(DatabaseCollector(engine))
    return generate_latest(process_registry) + generate_latest(state), CONTENT_TYPE_LATEST
