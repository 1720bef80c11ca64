"""End-to-end test of the document exchange: two provinces, two databases, two Odoo servers,
each with its queue_job job runner really running.

Run by ``make test`` (tools/dev.py) with the project's virtualenv when an Odoo source is found:

    python tools/e2e_exchange.py --odoo-cmd '<python> <odoo-bin> --addons-path … --db_user …'

Province A (database e2e-province-a, agency H62) issues a signed decision to province B's
agency H27 (database e2e-province-b). The package is a job that A's job runner performs (an HTTP
post to B); B verifies and registers it, assigns and completes it; every status is a job of B's
runner posted back to A. Each server runs with ``--load base,web,queue_job`` and its channels
from ``ODOO_QUEUE_JOB_CHANNELS`` (as ``[queue_job] channels`` in a configuration file), and the
shared-secret encryption key from ``CCHC_SECRET_KEY``. Prints one line per check and
``N passed, M failed`` last.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import io
import os
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import requests
from checks import Checks, free_port
from cryptography.hazmat.primitives import serialization
from reportlab.pdfgen import canvas

from cchc_core import edxml, pki

# Per process, so that two test runs on one machine do not drop each other's databases.
DB_A, DB_B = f"e2e-{os.getpid()}-province-a", f"e2e-{os.getpid()}-province-b"
PASSPHRASE = "e2e-passphrase"
SECRET = secrets.token_urlsafe(24)


CHANNELS = "root:2,root.cchc_exchange:2,root.cchc_exchange.internal:1"


class Rpc:
    """JSON-RPC to the database of one server, logged in as admin."""

    def __init__(self, port, db):
        self.url = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        self._post("/web/session/authenticate", {"db": db, "login": "admin", "password": "admin"})

    def _post(self, path, params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=300,
        )
        response.raise_for_status()
        data = response.json()
        if "error" in data:
            raise RuntimeError(data["error"]["data"].get("message") or data["error"])
        return data.get("result")

    def call(self, model, method, *args, **kwargs):
        return self._post(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def create(self, model, vals):
        return self.call(model, "create", [vals])[0]

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            ["res_id"],
        )
        return rows[0]["res_id"]

    def read(self, model, ids, fields):
        return self.call(model, "read", ids, fields)

    def search_read(self, model, domain, fields, **kw):
        return self.call(model, "search_read", domain, fields, **kw)


def wait_until(condition, timeout=90):
    """Poll until ``condition()`` is true (the job runners work in the background)."""
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value or time.time() > deadline:
            return value
        time.sleep(0.5)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def make_pki(directory):
    """One root (the Government CA), A's material from the demo PKI, B's exchange key."""
    demo = pki.generate_demo_pki(directory, PASSPHRASE, agency="UBND tỉnh A", leader="Lê Văn A")
    cert_b, key_b = pki.issue_certificate(
        demo.intermediate, "UBND tỉnh B - Document exchange", organization="UBND tỉnh B"
    )
    exchange_b = pki.export_pkcs12(cert_b, key_b, PASSPHRASE, demo.chain)
    return demo, exchange_b


def configure(rpc, demo, own_code, own_key, local, remote, port):
    pem = serialization.Encoding.PEM
    rpc.create(
        "cchc.trust.anchor",
        {
            "name": "Root",
            "kind": "root",
            "certificate": b64(demo.root.certificate.public_bytes(pem)),
        },
    )
    rpc.create(
        "cchc.trust.anchor",
        {
            "name": "Signing CA",
            "kind": "intermediate",
            "certificate": b64(demo.intermediate.certificate.public_bytes(pem)),
            "crl": b64(demo.crl.public_bytes(serialization.Encoding.DER)),
        },
    )
    rpc.create(
        "cchc.exchange.key", {"code": own_code, "pkcs12": b64(own_key), "passphrase": PASSPHRASE}
    )
    partner = rpc.create(
        "cchc.exchange.partner",
        {
            "name": f"Province {remote[2]}",
            "code": remote[2],
            "url": f"http://127.0.0.1:{port}/cchc_esign/edxml",
            "secret": SECRET,
        },
    )
    agency = rpc.create(
        "cchc.agency",
        {
            "name": local[0],
            "identifier": local[1],
            "short_name": "UBND",
            "kind": "province_committee",
        },
    )
    rpc.create(
        "cchc.agency",
        {"name": remote[0], "identifier": remote[1], "exchange_partner_id": partner},
    )
    admin = rpc.ref("base.user_admin")
    rpc.call("res.users", "write", [admin], {"cchc_agency_id": agency})
    # The signer is chosen among the issuing agency's leaders.
    rpc.call("cchc.agency", "write", [agency], {"leader_ids": [(4, admin)]})
    return agency, admin


def issue_decision(rpc, demo, agency, admin, recipient_identifier):
    pem = serialization.Encoding.PEM
    leader_cert = rpc.create(
        "cchc.certificate",
        {
            "owner": "user",
            "user_id": admin,
            "certificate": b64(demo.certificates["leader"].public_bytes(pem)),
            "pkcs12": b64(demo.pkcs12("leader")),
        },
    )
    seal_cert = rpc.create(
        "cchc.certificate",
        {
            "owner": "agency",
            "agency_id": agency,
            "certificate": b64(demo.certificates["seal"].public_bytes(pem)),
            "pkcs12": b64(demo.pkcs12("seal")),
        },
    )
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, "QUYET DINH ve viec phoi hop lien tinh (e2e)")
    page.showPage()
    page.save()
    recipient = rpc.search_read("cchc.agency", [("identifier", "=", recipient_identifier)], ["id"])
    doc = rpc.create(
        "cchc.document",
        {
            "name": "Quyết định phối hợp liên tỉnh",
            "type_id": rpc.ref("cchc_esign.document_type_quyet_dinh"),
            "agency_id": agency,
            "signer_id": admin,
            "signer_position": "CHỦ TỊCH",
            "place": "Tỉnh A",
            "pdf": b64(out.getvalue()),
            "pdf_name": "qd-e2e.pdf",
            "recipient_agency_ids": [(6, 0, [recipient[0]["id"]])],
        },
    )
    rpc.call("cchc.document", "action_submit", [doc])
    rpc.call("cchc.document", "action_approve", [doc])
    for mode, cert in (("leader", leader_cert), ("seal", seal_cert)):
        wizard = rpc.create(
            "cchc.document.sign", {"document_id": doc, "mode": mode, "certificate_id": cert}
        )
        rpc.call(
            "cchc.document.sign", "action_sign", [wizard], context={"cchc_passphrase": PASSPHRASE}
        )
    return doc


def dispatch_state(rpc, doc):
    rows = rpc.search_read("cchc.document.dispatch", [("document_id", "=", doc)], ["state"])
    return rows[0]["state"] if rows else None


def post_raw(port, body, nonce):
    timestamp = str(int(time.time()))
    sha = hashlib.sha256(body).hexdigest()
    message = f"{timestamp}\n{nonce}\n{sha}".encode()
    signature = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
    return requests.post(
        f"http://127.0.0.1:{port}/cchc_esign/edxml",
        data=body,
        headers={
            "Content-Type": "application/xml",
            "X-CCHC-Partner": "PA",
            "X-CCHC-Timestamp": timestamp,
            "X-CCHC-Nonce": nonce,
            "X-CCHC-Content-SHA256": sha,
            "X-CCHC-Signature": signature,
        },
        timeout=120,
    )


def wait_for(port, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/web/health", timeout=2)
            return True
        except requests.RequestException:
            time.sleep(1)
    return False


def restore_check(checks, odoo, data_dir, drop):
    """Province A's backup restored into a new database: what must still hold, proven."""
    tools = Path(__file__).resolve().parent
    restored = f"{DB_A}-restored"
    backup_file = data_dir / f"{DB_A}.cchc-backup"
    drop(restored)
    backup_file.unlink(missing_ok=True)
    try:
        done = subprocess.run(
            [
                sys.executable,
                str(tools / "backup.py"),
                "backup",
                "--db",
                DB_A,
                "--data-dir",
                str(data_dir),
                "--out",
                str(backup_file),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if not checks.check("backup of province A", done.returncode == 0, done.stderr[-500:]):
            return
        done = subprocess.run(
            [
                sys.executable,
                str(tools / "backup.py"),
                "restore",
                str(backup_file),
                "--db",
                restored,
                "--data-dir",
                str(data_dir),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if not checks.check(
            "restored into a new database", done.returncode == 0, done.stderr[-500:]
        ):
            return
        done = subprocess.run(
            [
                sys.executable,
                str(tools / "check_restore.py"),
                "--filestore",
                str(data_dir / "filestore" / restored),
                "--expect-documents",
                "--",
                *odoo[2:],
                "-d",
                restored,
                "--log-level=warn",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        print(
            "\n".join(
                f"  restored: {line.strip()}"
                for line in done.stdout.splitlines()
                if line.strip().startswith(("ok", "FAIL"))
            ),
            flush=True,
        )
        checks.check(
            "the restored copy verifies: files, signatures, registers, message log",
            done.returncode == 0 and " 0 failed" in done.stdout,
            (done.stdout + done.stderr)[-1500:],
        )
    finally:
        drop(restored)
        backup_file.unlink(missing_ok=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--odoo-cmd", required=True, help="odoo-bin with its common options")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--log", required=True, type=Path)
    opts = parser.parse_args(argv)
    odoo = shlex.split(opts.odoo_cmd)
    checks = Checks()
    log = open(opts.log, "w")

    def odoo_run(*args, env=None):
        return subprocess.run(
            [*odoo, *args], stdout=log, stderr=subprocess.STDOUT, check=False, env=env
        )

    def drop(db):
        # PGHOST, PGPORT, PGUSER come from the environment (tools/dev.py sets them).
        subprocess.run(
            ["dropdb", "--if-exists", db],
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
        shutil.rmtree(opts.data_dir / "filestore" / db, ignore_errors=True)

    print("[e2e] two provinces, two Odoo servers with job runners: installing cchc_exchange")
    env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=CHANNELS)
    env.setdefault("CCHC_SECRET_KEY", secrets.token_urlsafe(32))
    for db in (DB_A, DB_B):
        drop(db)
        done = odoo_run(
            "-d",
            db,
            "-i",
            "cchc_exchange",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
            env=env,
        )
        if not checks.check(f"install cchc_exchange in {db}", done.returncode == 0):
            print(f"{checks.passed} passed, {checks.failed} failed")
            return 1
    ports = {DB_A: free_port(), DB_B: free_port()}
    servers = [
        subprocess.Popen(
            [
                *odoo,
                "-d",
                db,
                "--db-filter",
                f"^{db}$",
                "--http-port",
                str(port),
                "--load",
                "base,web,queue_job",
                "--max-cron-threads=0",
                "--workers=0",
                "--log-level=info",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        for db, port in ports.items()
    ]
    port_a, port_b = ports[DB_A], ports[DB_B]
    try:
        checks.check("servers start", wait_for(port_a) and wait_for(port_b))
        with tempfile.TemporaryDirectory() as directory:
            demo, exchange_b = make_pki(directory)
            a, b = Rpc(port_a, DB_A), Rpc(port_b, DB_B)
            agency_a, admin_a = configure(
                a,
                demo,
                "PA",
                demo.pkcs12("exchange"),
                ("UBND tỉnh A", "H62"),
                ("UBND tỉnh B", "H27", "PB"),
                port_b,
            )
            configure(
                b,
                demo,
                "PB",
                exchange_b,
                ("UBND tỉnh B", "H27"),
                ("UBND tỉnh A", "H62", "PA"),
                port_a,
            )
            doc = issue_decision(a, demo, agency_a, admin_a, "H27")
            jobs = a.search_read(
                "queue.job", [("model_name", "=", "cchc.exchange.message")], ["channel", "state"]
            )
            checks.check(
                "A issues the decision: one job on B's channel",
                len(jobs) == 1 and jobs[0]["channel"] == "root.cchc_exchange.PB",
                str(jobs),
            )
            incoming = wait_until(
                lambda: b.search_read(
                    "cchc.document",
                    [("direction", "=", "in"), ("edxml_sender_organ", "=", "H62")],
                    ["state", "verdict", "incoming_number", "origin_code", "handling_state"],
                )
            )
            checks.check(
                "B verified and registered it",
                len(incoming) == 1
                and incoming[0]["state"] == "registered"
                and incoming[0]["verdict"] == "valid"
                and incoming[0]["incoming_number"] == 1,
                str(incoming),
            )
            checks.check(
                "A's job runner delivered it (job done)",
                wait_until(
                    lambda: a.search_read("queue.job", [("state", "=", "done")], ["uuid"]), 30
                ),
            )
            state = wait_until(lambda: dispatch_state(a, doc) == "03" and "03")
            checks.check(
                "statuses 01 and 03 came back to A (B's job runner)",
                state == "03",
                dispatch_state(a, doc),
            )
            incoming_id = incoming[0]["id"]
            admin_b = b.ref("base.user_admin")
            wizard = b.create(
                "cchc.document.assign", {"document_id": incoming_id, "user_id": admin_b, "days": 5}
            )
            b.call("cchc.document.assign", "action_assign", [wizard])
            b.call("cchc.document", "action_start_processing", [incoming_id])
            done = b.create(
                "cchc.document.complete", {"document_id": incoming_id, "result": "Đã xử lý"}
            )
            b.call("cchc.document.complete", "action_complete", [done])
            wait_until(
                lambda: (
                    len(
                        a.search_read(
                            "cchc.exchange.message",
                            [("document_id", "=", doc), ("kind", "=", "status")],
                            ["id"],
                        )
                    )
                    >= 5
                )
            )
            checks.check(
                "assigned, processing, completed: A sees 06",
                dispatch_state(a, doc) == "06",
                dispatch_state(a, doc),
            )
            timeline = a.search_read(
                "cchc.exchange.message",
                [("document_id", "=", doc), ("kind", "=", "status")],
                ["status_code"],
                order="sequence",
            )
            codes = [row["status_code"] for row in timeline]
            # Jobs deliver in any order (a retried 01 may land after 03): each status exactly
            # once, and the dispatch's state never went back (A sees 06, checked above).
            checks.check(
                "A logged 01 03 04 05 06, each once",
                sorted(codes) == ["01", "03", "04", "05", "06"],
                str(codes),
            )
            sent = a.search_read(
                "cchc.exchange.message",
                [("document_id", "=", doc), ("kind", "=", "document"), ("direction", "=", "out")],
                ["package"],
            )
            package = base64.b64decode(sent[0]["package"])
            verified = edxml.verify(package, trust_roots=[demo.root.certificate])
            checks.check("the package verifies outside Odoo", verified.document.document_id != "")
            answer = post_raw(port_b, package, "e2e-nonce-1")
            checks.check(
                "a duplicate package is acknowledged",
                answer.status_code == 200 and answer.json()["result"] == "duplicate",
                answer.text,
            )
            again = post_raw(port_b, package, "e2e-nonce-1")
            checks.check("a replayed request is refused", again.status_code == 403, again.text)
            count = b.call("cchc.document", "search_count", [("direction", "=", "in")])
            checks.check("still one registered document in B", count == 1, str(count))
            for db in (DB_A, DB_B):
                cli = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "cchc_core.cli",
                        "message-log",
                        "--dsn",
                        f"dbname={db}",
                        "--filestore",
                        str(opts.data_dir / "filestore" / db),
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                checks.check(
                    f"cchc message-log: {db} intact",
                    cli.returncode == 0 and "intact" in cli.stdout,
                    cli.stdout + cli.stderr,
                )
            restore_check(checks, odoo, opts.data_dir, drop)
    except Exception:
        checks.check("the scenario ran to the end", False, traceback.format_exc(limit=-3))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        for db in (DB_A, DB_B):
            drop(db)
        log.close()
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
