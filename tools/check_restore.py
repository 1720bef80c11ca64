"""What must still hold in a restored database: prove it, do not assume it.

    python tools/check_restore.py --filestore DIR -- <odoo options: -d DB --addons-path … --db_*>

Checks, each printed as ``ok``/``FAIL`` and ``N passed, N failed`` last:
- every attachment's file is in the filestore with the checksum the database recorded;
- every issued, signed or received document's PDF has its recorded SHA-256 and its signatures
  still verify against the database's trust anchors;
- every register's numbers run 1..n without a gap and the next number is n + 1;
- the exchange message log's hash chain is intact (``cchc message-log``), when it has entries.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import subprocess
import sys
from pathlib import Path

from checks import Checks


def check_attachments(cr, filestore: Path, checks: Checks) -> None:
    cr.execute("SELECT id, store_fname, checksum FROM ir_attachment WHERE store_fname IS NOT NULL")
    bad = []
    rows = cr.fetchall()
    for att_id, fname, checksum in rows:
        path = filestore / fname
        if not path.is_file() or hashlib.sha1(path.read_bytes()).hexdigest() != checksum:
            bad.append(att_id)
    checks.check(f"{len(rows)} attachment files present with their checksums", not bad, bad[:10])


def check_documents(env, checks: Checks, expect: bool) -> None:
    from cchc_core import pades

    docs = (
        env["cchc.document"]
        .sudo()
        .with_context(active_test=False)
        .search([("pdf_sha256", "!=", False)])
    )
    roots, _intermediates, crls = env["cchc.trust.anchor"].sudo()._material()
    altered, invalid = [], []
    for doc in docs:
        data = doc.with_context(bin_size=False).pdf
        raw = base64.b64decode(data) if data else b""
        if hashlib.sha256(raw).hexdigest() != doc.pdf_sha256:
            altered.append(doc.id)
            continue
        if doc.verdict == "valid" and pades.verify_pdf(raw, roots, crls).verdict != "valid":
            invalid.append(doc.id)
    checks.check(f"{len(docs)} document PDFs unchanged (SHA-256)", not altered, altered[:10])
    checks.check("their signatures still verify", not invalid, invalid[:10])
    if expect:
        checks.check("the backup holds signed documents to check", bool(docs))


def check_registers(cr, checks: Checks) -> None:
    # A register's next number is one past its highest number row (cchc_esign 18.0.3).
    cr.execute(
        """
        SELECT r.id,
               COALESCE((SELECT max(n.number) FROM cchc_document_register_number n
                          WHERE n.register_id = r.id), 0) + 1,
               COALESCE(array_agg(d.n ORDER BY d.n) FILTER (WHERE d.n IS NOT NULL), '{}')
          FROM cchc_document_register r
          LEFT JOIN (
                SELECT register_id AS reg, number AS n FROM cchc_document
                 WHERE register_id IS NOT NULL AND number IS NOT NULL
                UNION ALL
                SELECT incoming_register_id, incoming_number FROM cchc_document
                 WHERE incoming_register_id IS NOT NULL AND incoming_number IS NOT NULL
          ) d ON d.reg = r.id
         GROUP BY r.id
        """
    )
    gaps = [
        (reg, numbers, nxt)
        for reg, nxt, numbers in cr.fetchall()
        if list(numbers) != list(range(1, len(numbers) + 1)) or nxt != len(numbers) + 1
    ]
    checks.check("registers gapless, next number continues the series", not gaps, gaps[:5])


def check_message_log(cr, db: str, filestore: Path, checks: Checks) -> None:
    cr.execute("SELECT to_regclass('cchc_exchange_message')")
    if not cr.fetchone()[0]:
        return
    cr.execute("SELECT count(*) FROM cchc_exchange_message")
    if not cr.fetchone()[0]:
        return
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "cchc_core.cli",
            "message-log",
            "--dsn",
            f"dbname={db}",
            "--filestore",
            str(filestore),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    checks.check(
        "exchange message log chain intact",
        cli.returncode == 0 and "intact" in cli.stdout,
        cli.stdout + cli.stderr[-500:],
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filestore", required=True, type=Path)
    parser.add_argument(
        "--expect-documents", action="store_true", help="fail when there is no document to check"
    )
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    odoo_args = opts.odoo_args[1:] if opts.odoo_args[:1] == ["--"] else opts.odoo_args

    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(odoo_args)
    db = odoo.tools.config["db_name"]
    checks = Checks()
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        check_attachments(cr, opts.filestore, checks)
        if "cchc.document" in env:
            check_documents(env, checks, opts.expect_documents)
            check_registers(cr, checks)
        check_message_log(cr, db, opts.filestore, checks)
        cr.rollback()
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
