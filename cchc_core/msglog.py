"""The exchange message log as a hash chain.

Every edXML package an agency sends or receives is logged with the SHA-256 of its bytes; each
entry's hash covers its own fields and the previous entry's hash, so that removing, reordering
or editing an entry (or the package it points to) breaks the chain from that entry on.
:func:`verify_chain` finds the first broken entry; the ``cchc message-log`` command runs it
against the database without Odoo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from cchc_core.messages import Message

GENESIS = "0" * 64
# The fields an entry's hash covers, in this order.
FIELDS = (
    "sequence",
    "direction",
    "kind",
    "partner",
    "sender",
    "recipient",
    "document_id",
    "status_code",
    "package_sha256",
)


@dataclass(frozen=True)
class Entry:
    sequence: int
    direction: str  # "in" | "out"
    kind: str  # "document" | "status"
    partner: str  # the partner's code, "" inside the instance
    sender: str  # organ id
    recipient: str  # organ id
    document_id: str
    status_code: str
    package_sha256: str
    prev_hash: str = GENESIS
    entry_hash: str = ""


def entry_hash(entry: Entry, prev_hash: str) -> str:
    """The hash of an entry chained to ``prev_hash`` (hex SHA-256)."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    for name in FIELDS:
        value = str(getattr(entry, name) or "")
        # Length-prefixed: no two different entries serialise alike.
        raw = value.encode("utf-8")
        digest.update(len(raw).to_bytes(4, "big"))
        digest.update(raw)
    return digest.hexdigest()


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_at: int | None  # sequence of the first bad entry
    reason: Message | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(entries: Iterable[Entry], packages: dict[int, bytes] | None = None) -> ChainReport:
    """Check the chain in sequence order; ``packages`` (sequence → bytes), when given, are
    hashed again and compared with the logged hash."""
    prev = GENESIS
    count = 0
    last_sequence = 0
    for entry in entries:
        count += 1
        if entry.sequence <= last_sequence:
            return ChainReport(
                count, entry.sequence, Message("entry %(seq)s is out of order", seq=entry.sequence)
            )
        last_sequence = entry.sequence
        if entry.prev_hash != prev:
            return ChainReport(
                count,
                entry.sequence,
                Message(
                    "entry %(seq)s does not follow the previous entry (one was removed or changed)",
                    seq=entry.sequence,
                ),
            )
        if entry_hash(entry, prev) != entry.entry_hash:
            return ChainReport(
                count,
                entry.sequence,
                Message("entry %(seq)s was changed after it was logged", seq=entry.sequence),
            )
        if packages is not None and entry.sequence in packages:
            data = packages[entry.sequence]
            if hashlib.sha256(data).hexdigest() != entry.package_sha256:
                return ChainReport(
                    count,
                    entry.sequence,
                    Message(
                        "the package of entry %(seq)s does not match its logged hash",
                        seq=entry.sequence,
                    ),
                )
        prev = entry.entry_hash
    return ChainReport(count, None, None)
