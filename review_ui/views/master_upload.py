"""Master data upload: the CSV folder as files or one zip, unpacked safely into a temporary folder."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

KNOWN_FILES = ("products.csv", "uom_conversions.csv", "customers.csv", "ship_to.csv", "customer_items.csv",
               "prices.csv", "warehouses.csv", "stock.csv")
MAX_FILE_BYTES = 200 * 1024 * 1024
PROBLEM = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):\s*(?P<why>.*)$")


class UploadRejected(Exception):
    """The upload is not a master-data folder (message is safe to show)."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    why: str


def unpack(uploads: list[tuple[str, bytes]], folder: Path) -> list[str]:
    """Write the known CSV files from plain uploads or zips into `folder`; returns their names."""
    written: list[str] = []
    for name, data in uploads:
        base = Path(name or "").name.lower()
        if base.endswith(".zip"):
            written += _unzip(data, folder)
        elif base in KNOWN_FILES:
            _write(folder, base, data, written)
        elif base:
            raise UploadRejected(f"{Path(name).name}: not one of {', '.join(KNOWN_FILES)} and not a .zip")
    if not written:
        raise UploadRejected("no master-data CSV file in the upload")
    return sorted(set(written))


def _write(folder: Path, base: str, data: bytes, written: list[str]) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise UploadRejected(f"{base}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    (folder / base).write_bytes(data)
    written.append(base)


def _unzip(data: bytes, folder: Path) -> list[str]:
    written: list[str] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRejected("the .zip file cannot be read") from None
    with archive:
        for info in archive.infolist():
            base = Path(info.filename).name.lower()  # flatten: never write outside the folder
            if info.is_dir() or base not in KNOWN_FILES:
                continue
            if info.file_size > MAX_FILE_BYTES:
                raise UploadRejected(f"{base}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
            _write(folder, base, archive.read(info), written)
    return written


def problems(lines: list[str]) -> list[Problem]:
    """Parse 'file:line: column ... why' problems for the per-row error table."""
    out = []
    for text in lines:
        match = PROBLEM.match(str(text))
        if match:
            out.append(Problem(match["file"], int(match["line"]), match["why"]))
        else:
            out.append(Problem("", None, str(text)))
    return out
