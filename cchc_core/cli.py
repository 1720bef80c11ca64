"""The ``cchc`` command: the core package's tools without Odoo.

cchc identifier 000.00.01.H27          # canonical and QCVN 102 shapes
cchc workdays add 2026-02-13 3         # the 3rd working day after a date
cchc workdays count 2026-02-13 2026-02-27
cchc deadline "Quý I, II/2018" --plan-date 2017-12-28 --period 2018
cchc appendix qd.txt --plan-date 12/08/2021 --period 2021–2025 [--json]  # its task rows
cchc verify signed.pdf --trust root.pem [--json]
cchc edxml package.edxml --trust root.pem [--intermediate ca.pem] [--json]
cchc message-log --dsn "dbname=cchc_demo host=127.0.0.1 user=cchc" [--filestore DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from cchc_core import identifiers
from cchc_core.appendix import AppendixError, parse_file
from cchc_core.deadlines import describe, parse_deadline
from cchc_core.workcal import WorkCalendar


def _date(text: str) -> date:
    return date.fromisoformat(text)


def _identifier(opts) -> int:
    try:
        print(identifiers.canonical(opts.text), identifiers.to_qcvn102(opts.text))
    except identifiers.IdentifierError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


def _workdays(opts) -> int:
    first = min(opts.date.year, getattr(opts, "end", opts.date).year)
    calendar = WorkCalendar.vietnam(range(first - 1, first + 3))
    if opts.op == "add":
        print(calendar.add_working_days(opts.date, opts.n).isoformat())
    else:
        print(calendar.count_working_days(opts.date, opts.end))
    return 0


def _deadline(opts) -> int:
    deadline = parse_deadline(opts.phrase, plan_date=opts.plan_date, period=opts.period)
    data = asdict(deadline)
    data["description"] = describe(deadline)
    print(json.dumps(data, default=str, ensure_ascii=False, indent=2))
    return 1 if deadline.kind == "unknown" else 0


_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def _plan_date(text: str) -> date:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY`` (as plans write it)."""
    text = text.strip()
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text!r} (write 2021-08-12 or 12/08/2021)"
        ) from None


def _period(text: str) -> tuple[int, int]:
    """``2021``, ``2021-2025`` with any dash, spaces allowed."""
    parts = [part.strip() for part in text.translate(_DASHES).split("-")]
    try:
        years = [int(part) for part in parts if part]
    except ValueError:
        years = []
    if len(years) not in (1, 2) or len(parts) > 2 or not all(1900 <= y <= 2199 for y in years):
        raise argparse.ArgumentTypeError(f"not a period: {text!r} (write 2021 or 2021-2025)")
    if years[-1] < years[0]:
        raise argparse.ArgumentTypeError(f"the period ends before it starts: {text!r}")
    return years[0], years[-1]


def _appendix(opts) -> int:
    from cchc_core.appendix.report import appendix_data

    path: Path = opts.file
    if not path.exists():
        print(f"cannot read {path}: no such file", file=sys.stderr)
        return 2
    if path.is_dir():
        print(f"cannot read {path}: it is a directory, give the appendix file", file=sys.stderr)
        return 2
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        appendix = parse_file(path.name, data)
    except AppendixError as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 1
    report = appendix_data(appendix, opts.plan_date, opts.period)
    if opts.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for row in report["rows"]:
            deadline = row["deadline"]
            due = deadline["due"] or deadline["kind"]
            print(
                f"{row['section'] or '-'}\t{row['number'] or '-'}\t{'; '.join(row['lead'])}\t"
                f"{row['completion']}\t{due}\t{row['content'][:60]}"
            )
        for part in report["unread"]:
            print(f"not read, line {part['line']}: {part['reason']}", file=sys.stderr)
    print(
        f"{len(appendix.rows)} rows from {len(appendix.tables)} table(s), "
        f"{len(appendix.unreadable)} parts not read",
        file=sys.stderr,
    )
    return 0


def _load_pem_or_der(path: Path, kind: str):
    from cryptography import x509

    data = path.read_bytes()
    pem = b"-----BEGIN" in data
    if kind == "crl":
        return x509.load_pem_x509_crl(data) if pem else x509.load_der_x509_crl(data)
    return x509.load_pem_x509_certificate(data) if pem else x509.load_der_x509_certificate(data)


def _verify(opts) -> int:
    """Exit 0 with a verdict for any PDF that could be read, whatever the verdict; 2 if not."""
    # Imported here: pyHanko is only needed by this command.
    from cchc_core.pades import verify_pdf
    from cchc_core.pki import SigningError

    try:
        report = verify_pdf(
            opts.file.read_bytes(),
            [_load_pem_or_der(path, "certificate") for path in opts.trust],
            [_load_pem_or_der(path, "crl") for path in opts.crl],
        )
    except (SigningError, OSError, ValueError) as exc:
        print(f"cannot verify {opts.file}: {exc}", file=sys.stderr)
        return 2
    if opts.json:
        print(
            json.dumps(
                {
                    "verdict": report.verdict,
                    "indication": report.indication,
                    "explanation": str(report.explanation),
                    "signatures": [
                        {
                            "field": sig.field_name,
                            "kind": sig.kind,
                            "verdict": sig.verdict,
                            "indication": sig.indication,
                            "subindication": sig.subindication,
                            "signer": sig.signer,
                            "signing_time": sig.signing_time,
                            "timestamp": sig.timestamp,
                            "revocation_checked": sig.revocation_checked,
                            "explanation": str(sig.explanation),
                        }
                        for sig in report.signatures
                    ],
                },
                default=str,
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for number, sig in enumerate(report.signatures, start=1):
        print(
            f"{sig.kind} {number} ({sig.field_name}): {sig.verdict.upper()} "
            f"[{sig.indication}{'/' + sig.subindication if sig.subindication else ''}]"
        )
        print(f"  signer: {sig.signer}; signed: {sig.signing_time}; reason: {sig.reason}")
        print(
            f"  intact: {sig.intact}, valid: {sig.valid}, trusted: {sig.trusted}, "
            f"revoked: {sig.revoked}; modified after: {sig.modifications or 'none'}"
        )
        if sig.explanation:
            print(f"  {sig.explanation}")
    print(f"overall: {report.verdict.upper()} — {report.explanation}")
    return 0


def _edxml_summary(package) -> dict:
    from cchc_core import edxml

    if isinstance(package, edxml.Status):
        return {
            "kind": "status",
            "from": package.sender.organ_id,
            "to": [package.recipient_organ_id],
            "document_id": package.document_id,
            "code": package.code,
            "business": None,
            "status_code": package.status_code,
            "attachments": [],
        }
    code = "/".join(part for part in (package.code_number, package.code_notation) if part)
    return {
        "kind": "document",
        "from": package.sender.organ_id,
        "to": [organ.organ_id for organ in package.recipients],
        "document_id": package.document_id,
        "code": code,
        "business": edxml.BUSINESS_TYPES[package.business_type],
        "status_code": None,
        "attachments": [
            {"name": a.name, "content_type": a.content_type, "size": len(a.data)}
            for a in package.attachments
        ],
    }


# A refusal that says the chain could not be built is ETSI's INDETERMINATE (no certificate
# chain found), not a proof of forgery.
_UNTRUSTED = "the certificate of %(name)s is not trusted"


def _edxml(opts) -> int:
    """Read a package without Odoo: header, attachments, signature verdict. Exit 0 whenever
    the package could be read, whatever the verdict; 2 when it cannot."""
    from cchc_core import edxml

    try:
        data = opts.file.read_bytes()
        trust = [_load_pem_or_der(path, "certificate") for path in opts.trust]
        intermediates = [_load_pem_or_der(path, "certificate") for path in opts.intermediate]
        crls = [_load_pem_or_der(path, "crl") for path in opts.crl]
        package = edxml.parse(data)
        info = edxml.signature_info(data)
    except (edxml.EdxmlError, OSError, ValueError) as exc:
        print(f"cannot read {opts.file}: {exc}", file=sys.stderr)
        return 2
    if info is None:
        signature = {
            "verdict": "unsigned",
            "weak": False,
            "signer": "",
            "reason": "the package has no signature",
        }
    else:
        try:
            verified = edxml.verify(data, trust_roots=trust, intermediates=intermediates, crls=crls)
        except edxml.EdxmlError as exc:
            message = exc.args[0]
            untrusted = getattr(message, "template", "") == _UNTRUSTED
            signature = {
                "verdict": "indeterminate" if untrusted else "invalid",
                "weak": info.weak,
                "signer": info.signer_name,
                "reason": str(message),
            }
        else:
            signature = {
                "verdict": "valid" if verified.trusted else "indeterminate",
                "weak": verified.weak,
                "signer": verified.signer_name,
                "reason": (
                    "the signature is valid"
                    if verified.trusted
                    else "the signature is correct; no trust anchor was given (--trust)"
                ),
            }
    summary = {**_edxml_summary(package), "signature": signature}
    if opts.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    if summary["kind"] == "status":
        label = edxml.STATUS_CODES.get(summary["status_code"], "")
        print(f"status {summary['status_code']} ({label}) from {summary['from']}")
        print(f"  about document {summary['document_id']} ({summary['code']})")
    else:
        print(f"document {summary['code']} ({summary['business']}) from {summary['from']}")
        print(f"  id {summary['document_id']}")
    print(f"  to: {', '.join(summary['to'])}")
    for attachment in summary["attachments"]:
        print(
            f"  attachment {attachment['name']} ({attachment['content_type']}, "
            f"{attachment['size']} bytes)"
        )
    weak = " [SHA-1: weak]" if signature["weak"] else ""
    print(
        f"  signature: {signature['verdict']}{weak} {signature['signer']} — {signature['reason']}"
    )
    return 0


LOG_QUERY = """
    SELECT m.sequence, m.direction, m.kind, COALESCE(p.code, ''), COALESCE(m.sender_organ, ''),
           COALESCE(m.recipient_organ, ''), COALESCE(m.edxml_document_id, ''),
           COALESCE(m.status_code, ''), m.package_sha256, m.prev_hash, m.entry_hash,
           a.store_fname, {truncated}, {package}
      FROM cchc_exchange_message m
 LEFT JOIN cchc_exchange_partner p ON p.id = m.partner_id
 LEFT JOIN ir_attachment a
        ON a.res_model = 'cchc.exchange.message' AND a.res_field = 'package' AND a.res_id = m.id
  ORDER BY m.sequence
"""


def _message_log(opts) -> int:
    """Check the hash chain of the exchange message log straight from PostgreSQL.

    Each entry's package is in its row (base64 in ``package``, since cchc_exchange 18.0.1.1.0)
    and hashed again; a log older than that keeps them in the filestore, hashed again with
    ``--filestore``."""
    import base64

    import psycopg2

    from cchc_core.msglog import Entry, verify_chain

    packages: dict[int, bytes] = {}
    try:
        with psycopg2.connect(opts.dsn) as conn, conn.cursor() as cr:
            # A refused package is kept as its first bytes only (its hash is in the chain):
            # it cannot be hashed again. Logs older than that column have none; logs older
            # than the package column keep packages in the filestore only.
            cr.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = "
                "'cchc_exchange_message' AND column_name IN ('package_truncated', 'package')"
            )
            columns = {row[0] for row in cr.fetchall()}
            truncated = "m.package_truncated" if "package_truncated" in columns else "false"
            package = "m.package" if "package" in columns else "NULL::bytea"
            cr.execute(LOG_QUERY.format(truncated=truncated, package=package))
            rows = cr.fetchall()
    except psycopg2.Error as exc:
        print(f"cannot read the message log: {exc}".strip(), file=sys.stderr)
        return 2
    entries = []
    in_rows = "package" in columns
    for row in rows:
        entries.append(Entry(*row[:9], prev_hash=row[9], entry_hash=row[10]))
        if row[12]:
            continue
        if row[13] is not None:
            packages[row[0]] = base64.b64decode(bytes(row[13]))
        elif opts.filestore and row[11]:
            path = opts.filestore / row[11]
            packages[row[0]] = path.read_bytes() if path.is_file() else b""
        elif in_rows:
            packages[row[0]] = b""  # a package taken out of its row: it cannot match its hash
    report = verify_chain(entries, packages if (opts.filestore or in_rows) else None)
    if report.ok:
        print(f"message log intact: {report.entries} entries")
        return 0
    print(f"message log BROKEN at entry {report.broken_at}: {report.reason}")
    return 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="cchc", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("identifier", help="check an agency identifier")
    p.add_argument("text")
    p.set_defaults(func=_identifier)
    p = sub.add_parser("workdays", help="Vietnamese working-day arithmetic")
    ops = p.add_subparsers(dest="op", required=True)
    add = ops.add_parser("add")
    add.add_argument("date", type=_date)
    add.add_argument("n", type=int)
    count = ops.add_parser("count")
    count.add_argument("date", type=_date)
    count.add_argument("end", type=_date)
    p.set_defaults(func=_workdays)
    p = sub.add_parser("deadline", help="parse a completion phrase of a plan")
    p.add_argument("phrase")
    p.add_argument("--plan-date", type=_plan_date, help="2021-08-12 or 12/08/2021")
    p.add_argument("--period", type=_period, help="the plan's years: 2018 or 2021–2025")
    p.set_defaults(func=_deadline)
    p = sub.add_parser("appendix", help="read the task table of a plan's appendix")
    p.add_argument("file", type=Path, help=".xlsx, .docx, .csv or .txt (a whole decision too)")
    p.add_argument("--plan-date", type=_plan_date, help="2021-08-12 or 12/08/2021")
    p.add_argument("--period", type=_period, help="the plan's years: 2021 or 2021-2025")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_appendix)
    p = sub.add_parser("verify", help="verify every signature of a PDF")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--trust",
        type=Path,
        action="append",
        required=True,
        help="a trust anchor (PEM or DER), repeatable",
    )
    p.add_argument("--crl", type=Path, action="append", default=[], help="a CRL, repeatable")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(func=_verify)
    p = sub.add_parser("edxml", help="read an edXML package (document or status)")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--trust", type=Path, action="append", default=[], help="a trust anchor, repeatable"
    )
    p.add_argument(
        "--intermediate",
        type=Path,
        action="append",
        default=[],
        help="a known intermediate CA (not a trust anchor), repeatable",
    )
    p.add_argument("--crl", type=Path, action="append", default=[], help="a CRL, repeatable")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(func=_edxml)
    p = sub.add_parser("message-log", help="check the hash chain of the exchange message log")
    p.add_argument("--dsn", required=True, help='libpq connection string: "dbname=… host=…"')
    p.add_argument(
        "--filestore",
        type=Path,
        help="the database's filestore: hash again the packages a log older than cchc_exchange "
        "18.0.1.1.0 keeps there (those in the log's rows are always hashed again)",
    )
    p.set_defaults(func=_message_log)
    opts = parser.parse_args(argv)
    return opts.func(opts)


if __name__ == "__main__":
    sys.exit(main())
