"""The Celery workers are configured by the one Settings class (same OMS_ names as before)."""
from __future__ import annotations

import pytest

from oms.celery_app import celery_config
from oms.settings import get_settings


def test_broker_queue_and_schedules_come_from_oms_variables(monkeypatch):
    monkeypatch.setenv("OMS_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
    monkeypatch.setenv("OMS_BROKER_QUEUE", "oms-eu")
    monkeypatch.setenv("OMS_BROKER_VISIBILITY_TIMEOUT", "60")
    monkeypatch.setenv("OMS_SWEEP_SECONDS", "7")
    monkeypatch.setenv("OMS_OUTBOX_DRAIN_SECONDS", "11")
    config = celery_config()
    assert config["broker_url"] == "amqp://guest:guest@127.0.0.1:5672//"
    assert config["task_default_queue"] == "oms-eu"
    assert config["broker_transport_options"] == {"visibility_timeout": 60}
    assert config["beat_schedule"]["sweep"]["schedule"] == 7.0
    assert config["beat_schedule"]["drain-outbox"]["schedule"] == 11.0


def test_explicit_settings_win_and_a_missing_broker_is_refused():
    assert celery_config(get_settings(broker_url="redis://127.0.0.1:6379/0", broker_queue="q1"))["task_default_queue"] == "q1"
    with pytest.raises(RuntimeError, match="OMS_BROKER_URL is not set"):
        celery_config(get_settings(broker_url=None))
