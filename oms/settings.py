"""All configuration, read from the environment (prefix OMS_) and an optional .env file."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev"}


class Settings(BaseSettings):
    """Every OMS_ setting in one place; secrets only come from the environment."""

    model_config = SettingsConfigDict(env_prefix="OMS_", env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    database_url: str = "sqlite:///oms.sqlite3"
    data_dir: Path = Path("oms-data")  # raw messages, drop folder, ERP file exports
    secret_key: str = "dev-insecure-secret-key-change-me"

    # intake
    imap_host: str | None = None
    imap_port: int | None = None
    imap_security: Literal["ssl", "starttls", "none"] = "ssl"
    imap_user: str | None = None
    imap_password: str | None = None
    imap_folder: str = "INBOX"
    imap_ca_file: Path | None = None
    imap_poll_seconds: int = 30
    imap_idle_seconds: int = 300
    max_attachment_bytes: int = 25 * 1024 * 1024
    drop_dir: Path | None = None  # defaults to data_dir / "drop"

    # outbound mail
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: Literal["ssl", "starttls", "none"] = "starttls"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "orders@example.com"
    smtp_pickup_dir: Path | None = None  # no SMTP server: write outgoing mail here as .eml files
    smtp_ca_file: Path | None = None  # CA bundle to trust, for self-signed servers

    # ERP
    erp: Literal["none", "file", "webhook", "tryton"] | str = "none"
    erp_url: str | None = None
    erp_database: str | None = None
    erp_user: str | None = None
    erp_password: str | None = None
    erp_webhook_secret: str | None = None

    # LLM (optional; the offline extractor is the default)
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = Field(default=None)
    llm_timeout_s: float = 60.0
    llm_max_tokens: int = 4096
    llm_max_retries: int = 2
    llm_cost_per_1k_input: Decimal = Decimal("0")
    llm_cost_per_1k_output: Decimal = Decimal("0")

    # workers
    broker_url: str | None = None  # Redis or RabbitMQ: Celery workers (oms/celery_app.py); unset: in-process
    broker_queue: str = "oms"
    # Redis only: an unacknowledged task of a worker that vanished entirely (machine lost,
    # kill -9 of the main process) is handed out again after this many seconds.
    broker_visibility_timeout: int = 3600
    sweep_seconds: float = 2.0  # how often the sweep looks for messages nobody queued
    sweep_grace_seconds: float = 1.0  # a stored, never-queued message this old is queued
    requeue_seconds: float = 120.0  # a queued message still `stored` this long lost its queue entry
    stale_processing_seconds: float = 300.0  # a message `processing` this long lost its worker
    outbox_drain_seconds: float = 5.0  # periodic drain for retries and rows of crashed workers
    worker_metrics_port: int | None = None  # serve the workers' event metrics (all pool processes) here
    soft_reservation_minutes: int = 24 * 60
    outbox_max_attempts: int = 8
    outbox_backoff_seconds: float = 30.0  # first retry delay; doubles per attempt (+-20% jitter)
    outbox_backoff_cap_seconds: float = 3600.0
    outbox_batch_size: int = 20
    outbox_poll_seconds: float = 2.0
    # a row left `sending` this long belongs to a dispatcher that died: it is claimed again
    # (long enough for the slowest ERP call; a shorter window risks a second push while one is in flight)
    outbox_stale_sending_seconds: float = 600.0

    @model_validator(mode="after")
    def _refuse_placeholder_secret_in_production(self) -> "Settings":
        if self.environment == "production" and (
            self.secret_key in PLACEHOLDER_SECRETS or self.secret_key.startswith("dev-")
        ):
            raise ValueError("OMS_SECRET_KEY must be set to a real secret in production")
        return self

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url or self.llm_api_key)

    @property
    def effective_drop_dir(self) -> Path:
        return self.drop_dir or self.data_dir / "drop"


def get_settings(**overrides) -> Settings:
    """Build settings now (never at import time); OPENAI_API_KEY is accepted as a fallback."""
    import os

    settings = Settings(**overrides)
    if settings.llm_api_key is None and os.environ.get("OPENAI_API_KEY"):
        settings = settings.model_copy(update={"llm_api_key": os.environ["OPENAI_API_KEY"]})
    return settings
