"""The exchange message log's hash chain (cchc_core.msglog)."""

import dataclasses
import hashlib

from cchc_core.msglog import GENESIS, Entry, entry_hash, verify_chain


def chain(n=4):
    entries, packages, prev = [], {}, GENESIS
    for seq in range(1, n + 1):
        package = f"<edXMLEnvelope>{seq}</edXMLEnvelope>".encode()
        entry = Entry(
            sequence=seq,
            direction="out" if seq % 2 else "in",
            kind="document",
            partner="" if seq < 3 else "H56",
            sender="H62",
            recipient="H62.01",
            document_id=f"H62,2026/11/21,{seq:02d}/QĐ-UBND",
            status_code="",
            package_sha256=hashlib.sha256(package).hexdigest(),
            prev_hash=prev,
        )
        entry = dataclasses.replace(entry, entry_hash=entry_hash(entry, prev))
        prev = entry.entry_hash
        entries.append(entry)
        packages[seq] = package
    return entries, packages


def test_intact_chain():
    entries, packages = chain()
    report = verify_chain(entries, packages)
    assert report.ok and report.entries == 4 and report.reason is None


def test_edited_entry_is_found():
    entries, _ = chain()
    entries[1] = dataclasses.replace(entries[1], recipient="H62.02")
    report = verify_chain(entries)
    assert report.broken_at == 2
    assert "changed" in report.reason


def test_removed_entry_is_found():
    entries, _ = chain()
    del entries[1]
    report = verify_chain(entries)
    assert report.broken_at == 3
    assert "does not follow" in report.reason


def test_reordered_entries_are_found():
    entries, _ = chain()
    entries[1], entries[2] = entries[2], entries[1]
    assert verify_chain(entries).broken_at == 3


def test_replaced_package_is_found():
    entries, packages = chain()
    packages[3] = b"<edXMLEnvelope>forged</edXMLEnvelope>"
    report = verify_chain(entries, packages)
    assert report.broken_at == 3
    assert "does not match" in report.reason


def test_fields_are_length_prefixed():
    a = Entry(1, "in", "document", "", "H6", "2H", "x", "", "0" * 64)
    b = Entry(1, "in", "document", "", "H62", "H", "x", "", "0" * 64)
    assert entry_hash(a, GENESIS) != entry_hash(b, GENESIS)


def test_empty_log_is_intact():
    assert verify_chain([]).ok
