"""A dispatcher process that SIGKILLs itself after delivering a row of KIND, before marking it sent.

Usage: python -m tests.support.crashing_worker KIND MINUTES_AHEAD  (settings from OMS_* env).
Used by the crash test: the kill lands exactly between "sent" and "marked sent".
"""
from __future__ import annotations

import os
import signal
import sys
from datetime import timedelta

from oms.db import make_engine, make_session_factory
from oms.settings import get_settings
from oms_core.domain.model import utcnow
from oms_core.outbox import dispatcher as outbox_dispatcher
from oms_core.service_layer.unit_of_work import SqlAlchemyUnitOfWork


def main() -> None:
    kind, minutes = sys.argv[1], int(sys.argv[2])
    original = outbox_dispatcher.Dispatcher._sent

    def sent_then_die(self, message, external_ref):
        if message.kind == kind:
            os.kill(os.getpid(), signal.SIGKILL)
        original(self, message, external_ref)

    outbox_dispatcher.Dispatcher._sent = sent_then_die
    settings = get_settings()
    factory = make_session_factory(make_engine(settings.database_url))
    dispatcher = outbox_dispatcher.build_dispatcher(settings, lambda: SqlAlchemyUnitOfWork(factory))
    dispatcher.run_once(utcnow() + timedelta(minutes=minutes))


if __name__ == "__main__":
    main()
