"""The outbox dispatcher: claims due rows, delivers them, records sent / retry / dead.

Exactly-once towards the ERP comes from three things together: a row is claimed (status
`sending`, committed) before any network call, so two dispatchers never send the same row;
the ERP is asked for our reference before creating anything; and a row left in `sending` by a
killed dispatcher is claimed again only after the repository's stale window.

Email has no lookup. Before handing a confirmation to SMTP the row records `smtp_started_at`;
a reclaimed row that still carries it belonged to a dispatcher that died mid-send, so it is
not sent again blindly (that would usually be a duplicate) but dead-lettered with that reason
for a person to check and retry. A retry resends with the same Message-ID.
"""
from __future__ import annotations

import logging
import random
import threading
from datetime import timedelta
from typing import Callable

from oms_core.domain.errors import UnknownOutboxMessage
from oms_core.domain.model import OrderEvent, OutboxMessage, utcnow
from oms_core.domain.statuses import OutboxKind
from oms_core.adapters.repositories.outbox import STALE_SENDING
from oms_core.outbox.backoff import Backoff
from oms_core.outbox.delivery import (PermanentFailure, TransientFailure, build_confirmation,
                                      erp_payload, push_reference, push_to_erp, send_mail,
                                      sender_name_of)

log = logging.getLogger(__name__)

ACTOR = "outbox"
SMTP_MARKER = "smtp_started_at"
ERP_PUSHED = "erp_pushed"
CONFIRMATION_SENT = "confirmation_sent"
OUTBOX_DEAD = "outbox_dead"
MAX_ROWS_PER_RUN = 10_000  # a safety stop for run_once; a normal drain is far smaller


class Dispatcher:
    """Delivers outbox rows; `run_once` for cron/tests, `run_forever` for a worker thread."""

    def __init__(self, uow_factory: Callable, adapter_factory: Callable, smtp, *, sender: str,
                 max_attempts: int = 8, backoff: Backoff | None = None, batch_size: int = 20,
                 poll_seconds: float = 2.0, rng: random.Random | None = None,
                 stale_sending: timedelta = STALE_SENDING):
        self.uow_factory = uow_factory
        self.adapter_factory = adapter_factory
        self.smtp = smtp
        self.sender = sender
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff or Backoff()
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.stale_sending = stale_sending
        self.rng = rng or random.Random()
        self._adapter = None

    @property
    def adapter(self):
        """Built on first use and kept: the Tryton adapter logs in once per client."""
        if self._adapter is None:
            self._adapter = self.adapter_factory()
        return self._adapter

    def run_once(self, now=None) -> int:
        """Deliver every row due at `now` (default: the current time); returns rows handled."""
        now = now or utcnow()
        handled = 0
        while handled < MAX_ROWS_PER_RUN:
            with self.uow_factory() as uow:
                batch = uow.outbox.claim_due(now, self.batch_size, self.stale_sending)
                uow.commit()
            for message in batch:
                self.deliver(message, now)
            handled += len(batch)
            # Failed rows are due again only after `now`, so this loop always ends.
            if len(batch) < self.batch_size:
                break
        return handled

    def run_forever(self, stop_event: threading.Event) -> None:
        """Poll until `stop_event` is set; a failing database only pauses the loop."""
        while not stop_event.is_set():
            try:
                handled = self.run_once()
            except Exception:  # noqa: BLE001 - keep the background thread alive
                log.exception("outbox dispatcher run failed; trying again")
                handled = 0
            if not handled:
                stop_event.wait(self.poll_seconds)
        self.close()

    def deliver(self, message: OutboxMessage, now) -> None:
        """Send one claimed row and record the outcome (sent, retry later, or dead)."""
        try:
            if message.kind == OutboxKind.ERP_PUSH:
                external_ref = self._push(message)
            elif message.kind in (OutboxKind.CONFIRMATION, OutboxKind.ORDER_RESPONSE):
                external_ref = self._confirm(message)
            else:
                raise PermanentFailure(f"unknown outbox kind {message.kind!r}")
        except PermanentFailure as exc:
            self._failed(message, str(exc), now, permanent=True)
        except TransientFailure as exc:
            self._failed(message, str(exc), now, permanent=False)
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the other rows
            log.exception("outbox row %s failed unexpectedly", message.id)
            self._failed(message, f"{type(exc).__name__}: {exc}", now, permanent=False)
        else:
            self._sent(message, external_ref)

    def retry(self, id: int, actor: str = "api") -> None:
        """Send a dead (or draft) row again now; the retry is audited."""
        with self.uow_factory() as uow:
            message = uow.outbox.get(id)
            if message is None:
                raise UnknownOutboxMessage(f"no outbox message {id}")
            if SMTP_MARKER in (message.payload or {}):
                uow.outbox.set_payload(id, _without_marker(message.payload))
            uow.outbox.retry(id)
            uow.events.audit(actor, "outbox_retry", str(id),
                             {"key": message.idempotency_key, "status": message.status,
                              "last_error": message.last_error})
            uow.commit()

    def close(self) -> None:
        """Close the ERP client."""
        if self._adapter is not None:
            self._adapter.close()
            self._adapter = None

    def _push(self, message: OutboxMessage) -> str:
        with self.uow_factory() as uow:
            payload = erp_payload(uow, message)
        return push_to_erp(self.adapter, payload, push_reference(message))

    def _confirm(self, message: OutboxMessage) -> str:
        started = (message.payload or {}).get(SMTP_MARKER)
        if started:
            raise PermanentFailure(
                f"a dispatcher stopped while handing this email to SMTP at {started}; it was "
                "probably delivered. Check with the customer, then retry to send it again "
                f"(same Message-ID)")
        with self.uow_factory() as uow:
            email = build_confirmation(uow, message, sender=self.sender,
                                       sender_name=sender_name_of(self.sender))
            message.payload = {**(message.payload or {}), SMTP_MARKER: utcnow().isoformat()}
            uow.outbox.set_payload(message.id, message.payload)
            uow.commit()
        try:
            return send_mail(self.smtp, email)
        except (PermanentFailure, TransientFailure):
            # SMTP answered with an error: it certainly did not take the message.
            message.payload = _without_marker(message.payload)
            with self.uow_factory() as uow:
                uow.outbox.set_payload(message.id, message.payload)
                uow.commit()
            raise

    def _sent(self, message: OutboxMessage, external_ref: str | None) -> None:
        with self.uow_factory() as uow:
            uow.outbox.mark_sent(message.id, external_ref)
            if message.order_id:
                kind = ERP_PUSHED if message.kind == OutboxKind.ERP_PUSH else CONFIRMATION_SENT
                uow.events.add(OrderEvent(message.order_id, kind, ACTOR, (), {
                    "key": message.idempotency_key, "external_ref": external_ref,
                    "attempts": message.attempts}))
            uow.commit()
        log.info("outbox %s sent (%s)", message.idempotency_key, external_ref)

    def _failed(self, message: OutboxMessage, error: str, now, *, permanent: bool) -> None:
        dead = permanent or message.attempts >= self.max_attempts
        if dead:
            why = "refused" if permanent else f"gave up after {message.attempts} attempts"
            reason = f"{why}: {error}"[:2000]
            next_attempt = None
        else:
            reason = error[:2000]
            next_attempt = self.backoff.next_attempt(message.attempts, now, self.rng)
        with self.uow_factory() as uow:
            uow.outbox.mark_failed(message.id, reason, next_attempt)
            if dead and message.order_id:
                uow.events.add(OrderEvent(message.order_id, OUTBOX_DEAD, ACTOR, (message.kind,), {
                    "key": message.idempotency_key, "error": reason,
                    "attempts": message.attempts}))
            uow.commit()
        log.warning("outbox %s attempt %d failed%s: %s", message.idempotency_key,
                    message.attempts, " (dead)" if dead else f", retry at {next_attempt}", error)


def _without_marker(payload: dict) -> dict:
    return {k: v for k, v in (payload or {}).items() if k != SMTP_MARKER}


def build_dispatcher(settings, uow_factory: Callable) -> Dispatcher:
    """The dispatcher for these settings: ERP adapter by OMS_ERP, SMTP by OMS_SMTP_*."""
    from oms_core.adapters.erp import build_adapter
    from oms_core.adapters.smtp import build_sender

    backoff = Backoff(base_seconds=float(getattr(settings, "outbox_backoff_seconds", 30)),
                      cap_seconds=float(getattr(settings, "outbox_backoff_cap_seconds", 3600)))
    return Dispatcher(
        uow_factory, lambda: build_adapter(settings), build_sender(settings),
        sender=settings.smtp_from, max_attempts=settings.outbox_max_attempts, backoff=backoff,
        batch_size=int(getattr(settings, "outbox_batch_size", 20)),
        poll_seconds=float(getattr(settings, "outbox_poll_seconds", 2.0)),
        stale_sending=timedelta(seconds=float(getattr(settings, "outbox_stale_sending_seconds", 600))),
    )
