"""Import a master-data CSV folder: validate everything first, then upsert all in one transaction."""
from __future__ import annotations

import logging
import time
from pathlib import Path

from oms_core.adapters.master_csv import read_master_folder

log = logging.getLogger(__name__)


def import_master(folder: Path, uow, actor: str = "import", progress: bool = True) -> dict[str, int]:
    """Load the folder (rows per table); raises MasterDataInvalid and changes nothing on any bad row."""
    started = time.perf_counter()
    with uow:
        data = read_master_folder(Path(folder), uow.master.existing_keys, progress)
        counts = uow.master.load(data.tables, progress)
        uow.events.audit(actor, "import_master", str(folder), {"rows": counts})
        uow.commit()
    log.info("imported %s from %s in %.1fs", counts, folder, time.perf_counter() - started)
    return counts
