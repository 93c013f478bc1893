"""OMS_ERP=file: one JSON file per order in the folder OMS_ERP_URL, written atomically."""
from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from oms_core.adapters.erp.base import ErpRejected, ErpUnavailable

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def folder_from_url(url: str | None) -> Path:
    """Accept a plain path or a file:// URL."""
    if not url:
        raise ErpRejected("OMS_ERP_URL must name the export folder for OMS_ERP=file")
    if url.startswith("file://"):
        return Path(urlparse(url).path)
    return Path(url)


class FileErpAdapter:
    """Exports `<reference>.json`; an existing file means the order was already pushed."""

    name = "file"

    def __init__(self, settings=None, folder: Path | str | None = None):
        self.folder = Path(folder) if folder else folder_from_url(getattr(settings, "erp_url", None))

    def path_for(self, reference: str) -> Path:
        return self.folder / f"{_UNSAFE.sub('_', reference)}.json"

    def find_order(self, reference: str) -> str | None:
        """The file name if this order was exported before."""
        path = self.path_for(reference)
        return path.name if path.exists() else None

    def push_order(self, order_payload: dict[str, Any], idempotency_key: str) -> str:
        """Write temp file + fsync, then link it into place (never overwrites an export)."""
        target = self.path_for(idempotency_key)
        if target.exists():
            return target.name
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            body = json.dumps(order_payload, indent=2, sort_keys=True, default=str).encode()
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(body)
                    handle.flush()
                    os.fsync(handle.fileno())
                try:
                    # link() fails if the target exists: two racing dispatchers cannot both win.
                    os.link(tmp, target)
                except FileExistsError:
                    pass
            finally:
                os.unlink(tmp)
            self._fsync_folder()
        except OSError as exc:
            raise ErpUnavailable(f"cannot write {target}: {exc}") from exc
        return target.name

    def _fsync_folder(self) -> None:
        # The rename/link is only durable once the directory entry is on disk.
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def close(self) -> None:
        """Nothing to release."""
