"""ERP adapters, chosen by name (OMS_ERP) from the `oms.erp` entry-point group."""
from __future__ import annotations

import importlib
import logging
from importlib.metadata import entry_points

from oms_core.adapters.erp.base import ErpAdapter, ErpError, ErpRejected, ErpUnavailable, erp_reference

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "oms.erp"

# Used when the package isn't pip-installed (a checkout): same names as pyproject declares.
BUILTIN = {
    "none": "oms_core.adapters.erp.none:NoErpAdapter",
    "file": "oms_core.adapters.erp.file:FileErpAdapter",
    "webhook": "oms_core.adapters.erp.webhook:WebhookErpAdapter",
    "tryton": "oms_core.adapters.erp.tryton:TrytonErpAdapter",
}

__all__ = ["ErpAdapter", "ErpError", "ErpRejected", "ErpUnavailable", "erp_reference",
           "adapter_class", "build_adapter", "available"]


class UnknownErp(LookupError):
    """OMS_ERP names an adapter that is neither installed nor built in."""


def available() -> list[str]:
    """Every adapter name: installed entry points plus the built-in ones."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)} | set(BUILTIN))


def adapter_class(name: str):
    """The adapter class registered under `name` (entry points first, then built-ins)."""
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            return ep.load()
    if name in BUILTIN:
        module_name, _, attr = BUILTIN[name].partition(":")
        return getattr(importlib.import_module(module_name), attr)
    raise UnknownErp(f"unknown ERP adapter {name!r}; known: {', '.join(available())}")


def build_adapter(settings) -> ErpAdapter:
    """Instantiate the adapter OMS_ERP selects, passing it the settings."""
    name = (getattr(settings, "erp", None) or "none").strip().lower()
    return adapter_class(name)(settings)
