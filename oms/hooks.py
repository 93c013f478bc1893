"""The composition root's functions the web app calls through its context (review_ui may not import oms)."""
from __future__ import annotations


def web_hooks(*, pipeline: bool = True):
    """/readyz and /metrics checks, and (with `pipeline`) processing of uploaded messages at once."""
    from oms.health import readiness
    from oms.metrics import render
    from review_ui.context import Hooks

    if not pipeline:
        return Hooks(readiness=readiness, metrics=render)
    from oms.pipeline import process_locked

    return Hooks(readiness=readiness, metrics=render, process=process_locked)
