"""ZIP safety checks (zip bombs, oversize) and ZIP attachments read member by member."""
from __future__ import annotations

import io
import zipfile
import zlib

from intake.documents.common import Limits, mark_unreadable, new_document
from intake.model import Document


class UnsafeArchive(Exception):
    """The archive would unpack to more than the limits allow, or is not a readable ZIP."""


def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """Open a ZIP only after its directory shows sizes and ratios within the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, KeyError, IndexError) as exc:
        raise UnsafeArchive(f"corrupt zip ({exc})") from exc
    if len(infos) > limits.max_members:
        raise UnsafeArchive(f"zip bomb suspected: {len(infos)} members > {limits.max_members}")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_bytes:
            raise UnsafeArchive(f"archive member too large: {info.filename} unpacks to {info.file_size} bytes")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > limits.max_ratio:
            raise UnsafeArchive(f"zip bomb suspected: {info.filename} ratio {ratio:.0f}:1")
    if total > limits.max_total_unpacked:
        raise UnsafeArchive(f"zip bomb suspected: unpacks to {total} bytes > {limits.max_total_unpacked}")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limits: Limits) -> bytes:
    """Read one member, stopping if it inflates past what its directory entry promised."""
    info = archive.getinfo(name)
    with archive.open(info) as handle:
        data = handle.read(min(info.file_size, limits.max_bytes) + 1)
    if len(data) > min(info.file_size, limits.max_bytes):
        raise UnsafeArchive(f"archive member {name} larger than declared")
    return data


def read_archive(name: str, data: bytes, content_type: str, part: str, limits: Limits, depth: int) -> Document:
    """A ZIP attachment: each file inside becomes an embedded Document."""
    from intake.documents import read_document  # late: the dispatcher imports this module

    doc = new_document("archive", name, part, content_type or "application/zip", data)
    if depth >= limits.max_depth:
        return mark_unreadable(doc, "archive nested too deep")
    try:
        archive = open_zip(data, limits)
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                doc.embedded.append(mark_unreadable(
                    new_document("unreadable", info.filename, f"{part}/{info.filename}", "", b""),
                    "encrypted archive member",
                ))
                continue
            member = read_member(archive, info.filename, limits)
            doc.embedded.append(read_document(
                info.filename.rsplit("/", 1)[-1], member, None, part=f"{part}/{info.filename}",
                limits=limits, depth=depth + 1,
            ))
    except UnsafeArchive as exc:
        return mark_unreadable(doc, str(exc))
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError, RuntimeError, ValueError) as exc:
        return mark_unreadable(doc, f"corrupt zip ({type(exc).__name__})")
    doc.text = "\n".join(d.name for d in doc.embedded)
    return doc
