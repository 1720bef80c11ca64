"""Refuse ZIP-based uploads (XLSX, DOCX, ZIP) that would expand beyond reason.

An XLSX of 154 KB can hold a sheet of 150 MB of zeros: openpyxl then spends seconds of CPU and
hundreds of MB of memory before any check on rows could run. :func:`check_archive` inspects the
archive before a parser opens it, in two passes:

1. The central directory (a few hundred bytes at the end of the file; nothing is decompressed):
   the number of entries, the declared uncompressed size of each entry and of all of them, the
   compression ratio of each large entry, and the compression method.
2. A capped read: every entry is decompressed in chunks that are counted and dropped, and the
   reading stops as soon as an entry yields more than it declared or the total passes the limit.
   Declared sizes can lie; what is counted cannot. At most :data:`MAX_TOTAL_BYTES` are ever
   decompressed, whatever the archive says.

Only *stored* and *deflated* entries are accepted: that is what XLSX and DOCX writers produce, and
Python's deflate reader decompresses at most the requested length per call, whereas its bzip2 and
LZMA readers may expand one compressed chunk without bound.

Limits (documented in README, "Archive limits"):

- :data:`MAX_TOTAL_BYTES` = 100 MiB uncompressed in all;
- :data:`MAX_RATIO` = 200 for an entry above :data:`RATIO_MIN_BYTES` = 1 MiB (real sheets and
  documents compress 5–30 times; a zero-filled bomb about 1,000 times);
- :data:`MAX_ENTRIES` = 2,000 entries.

A file that is not a ZIP archive at all passes untouched: the parser then reports it as damaged,
as it did before. Refusals raise ``error`` (a ``ValueError`` subclass given by the caller, so that
its existing error handling applies) with a :class:`cchc_core.messages.Message`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from cchc_core.messages import Message

__all__ = [
    "MAX_ENTRIES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "RATIO_MIN_BYTES",
    "ArchiveError",
    "ArchiveLimits",
    "check_archive",
]

MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
RATIO_MIN_BYTES = 1024 * 1024
MAX_ENTRIES = 2000
_CHUNK = 64 * 1024
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class ArchiveError(ValueError):
    """The archive is refused; the message (a :class:`cchc_core.messages.Message`) says why."""


@dataclass(frozen=True)
class ArchiveLimits:
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_ratio: float = MAX_RATIO
    ratio_min_bytes: int = RATIO_MIN_BYTES
    max_entries: int = MAX_ENTRIES


DEFAULT_LIMITS = ArchiveLimits()


def _message(template: str, **params) -> Message:
    return Message(template, **params)


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_archive(
    data: bytes | BinaryIO,
    error: type[ValueError] = ArchiveError,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> int:
    """Raise ``error`` when the ZIP archive ``data`` exceeds ``limits``; return the number of
    bytes its entries really hold. ``data`` is bytes or a seekable binary file."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0  # not an archive: the parser says the file is damaged
    with archive:
        infos = archive.infolist()
        _check_directory(infos, error, limits)
        return _read_capped(archive, infos, error, limits)


def _check_directory(infos, error, limits: ArchiveLimits) -> None:
    """What the central directory declares, before anything is decompressed."""
    if len(infos) > limits.max_entries:
        raise error(
            _message(
                "the archive has %(count)s entries, more than the %(limit)s allowed",
                count=len(infos),
                limit=limits.max_entries,
            )
        )
    total = 0
    for info in infos:
        if info.compress_type not in _METHODS or info.flag_bits & 0x1:
            raise error(
                _message(
                    "the archive entry %(name)s is encrypted or compressed with an unsupported "
                    "method",
                    name=info.filename,
                )
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise error(
                _message(
                    "the archive expands to more than %(limit)s MB",
                    limit=_mib(limits.max_total_bytes),
                )
            )
        if info.file_size > limits.ratio_min_bytes and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise error(
                _message(
                    "the archive entry %(name)s expands %(ratio)s times, more than the "
                    "%(limit)s allowed",
                    name=info.filename,
                    ratio=info.file_size // max(info.compress_size, 1),
                    limit=limits.max_ratio,
                )
            )


def _read_capped(archive: zipfile.ZipFile, infos, error, limits: ArchiveLimits) -> int:
    """Decompress every entry in counted chunks; stop at the first lie or at the limit."""
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        produced = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK):
                    produced += len(chunk)
                    total += len(chunk)
                    if produced > info.file_size or total > limits.max_total_bytes:
                        raise error(
                            _message(
                                "the archive entry %(name)s holds more data than it declares",
                                name=info.filename,
                            )
                        )
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            if isinstance(exc, error):
                raise
            raise error(
                _message(
                    "the archive entry %(name)s is damaged: %(error)s",
                    name=info.filename,
                    error=str(exc),
                )
            ) from exc
    return total
