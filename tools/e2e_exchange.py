"""End-to-end test of the document exchange: two provinces, two databases, one Odoo server.

Run by ``make test`` (tools/dev.py) with the project's virtualenv when an Odoo source is found:

    python tools/e2e_exchange.py --odoo-cmd '<python> <odoo-bin> --addons-path … --db_user …'

Province A (database e2e-province-a, agency H62) issues a signed decision to province B's
agency H27 (database e2e-province-b). The package goes over HTTP through A's transport cron,
B verifies and registers it, assigns and completes it; every status flows back to A over HTTP.
The server serves both databases by host name (--db-filter '^%d$'), so each partner is
configured with a virtual host. Prints one line per check and ``N passed, M failed`` last.
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
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from reportlab.pdfgen import canvas

from cchc_core import edxml, pki

# Per process, so that two test runs on one machine do not drop each other's databases.
DB_A, DB_B = f"e2e-{os.getpid()}-province-a", f"e2e-{os.getpid()}-province-b"
PASSPHRASE = "e2e-passphrase"
SECRET = secrets.token_urlsafe(24)


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"  ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"  FAIL {name} {detail}", flush=True)
        return condition


class Rpc:
    """JSON-RPC to one database of the server, logged in as admin."""

    def __init__(self, port, db):
        self.url = f"http://127.0.0.1:{port}"
        self.host = f"{db}.localhost"
        self.session = requests.Session()
        self.session.headers["Host"] = self.host
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

    def run_cron(self, xmlid):
        self.call("ir.cron", "method_direct_trigger", [self.ref(xmlid)])


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_pki(directory):
    """One root (the Government CA), A's material from the demo PKI, B's exchange key."""
    demo = pki.generate_demo_pki(directory, PASSPHRASE, agency="UBND tỉnh A", leader="Lê Văn A")
    cert_b, key_b = pki.issue_certificate(
        demo.intermediate, "UBND tỉnh B - Document exchange", organization="UBND tỉnh B"
    )
    exchange_b = pki.export_pkcs12(cert_b, key_b, PASSPHRASE, demo.chain)
    return demo, exchange_b


def configure(rpc, demo, own_code, own_key, local, remote, port, remote_db):
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
            "host_header": f"{remote_db}.localhost",
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
            "cchc.document.sign",
            {"document_id": doc, "mode": mode, "certificate_id": cert, "passphrase": PASSPHRASE},
        )
        rpc.call("cchc.document.sign", "action_sign", [wizard])
    return doc


def dispatch_state(rpc, doc):
    rows = rpc.search_read("cchc.document.dispatch", [("document_id", "=", doc)], ["state"])
    return rows[0]["state"] if rows else None


def post_raw(port, body, nonce, host):
    timestamp = str(int(time.time()))
    message = f"{timestamp}\n{nonce}\n{hashlib.sha256(body).hexdigest()}".encode()
    signature = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
    return requests.post(
        f"http://127.0.0.1:{port}/cchc_esign/edxml",
        data=body,
        headers={
            "Host": host,
            "X-CCHC-Partner": "PA",
            "X-CCHC-Timestamp": timestamp,
            "X-CCHC-Nonce": nonce,
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--odoo-cmd", required=True, help="odoo-bin with its common options")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--log", required=True, type=Path)
    opts = parser.parse_args(argv)
    odoo = shlex.split(opts.odoo_cmd)
    checks = Checks()
    log = open(opts.log, "w")

    def odoo_run(*args):
        return subprocess.run([*odoo, *args], stdout=log, stderr=subprocess.STDOUT, check=False)

    def drop(db):
        # PGHOST, PGPORT, PGUSER come from the environment (tools/dev.py sets them).
        subprocess.run(
            ["dropdb", "--if-exists", db],
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
        shutil.rmtree(opts.data_dir / "filestore" / db, ignore_errors=True)

    print("[e2e] two provinces on one Odoo server: installing cchc_esign twice", flush=True)
    for db in (DB_A, DB_B):
        drop(db)
        done = odoo_run(
            "-d",
            db,
            "-i",
            "cchc_esign",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
        )
        if not checks.check(f"install cchc_esign in {db}", done.returncode == 0):
            print(f"{checks.passed} passed, {checks.failed} failed")
            return 1
    port = free_port()
    server = subprocess.Popen(
        [
            *odoo,
            "--http-port",
            str(port),
            "--db-filter",
            "^%d$",
            "--max-cron-threads=0",
            "--workers=0",
            "--log-level=info",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        checks.check("server starts", wait_for(port))
        with tempfile.TemporaryDirectory() as directory:
            demo, exchange_b = make_pki(directory)
            a, b = Rpc(port, DB_A), Rpc(port, DB_B)
            agency_a, admin_a = configure(
                a,
                demo,
                "PA",
                demo.pkcs12("exchange"),
                ("UBND tỉnh A", "H62"),
                ("UBND tỉnh B", "H27", "PB"),
                port,
                DB_B,
            )
            configure(
                b,
                demo,
                "PB",
                exchange_b,
                ("UBND tỉnh B", "H27"),
                ("UBND tỉnh A", "H62", "PA"),
                port,
                DB_A,
            )
            doc = issue_decision(a, demo, agency_a, admin_a, "H27")
            checks.check("A issues the decision; queued for B", dispatch_state(a, doc) == "queued")
            a.run_cron("cchc_esign.ir_cron_exchange_send")
            incoming = b.search_read(
                "cchc.document",
                [("direction", "=", "in"), ("edxml_sender_organ", "=", "H62")],
                ["state", "verdict", "incoming_number", "origin_code", "handling_state"],
            )
            checks.check(
                "B verified and registered it",
                len(incoming) == 1
                and incoming[0]["state"] == "registered"
                and incoming[0]["verdict"] == "valid"
                and incoming[0]["incoming_number"] == 1,
                str(incoming),
            )
            checks.check("A sees it sent", dispatch_state(a, doc) == "sent", dispatch_state(a, doc))
            b.run_cron("cchc_esign.ir_cron_exchange_send")
            checks.check(
                "statuses 01 and 03 came back to A",
                dispatch_state(a, doc) == "03",
                dispatch_state(a, doc),
            )
            incoming_id = incoming[0]["id"]
            admin_b = b.ref("base.user_admin")
            wizard = b.create(
                "cchc.document.assign", {"document_id": incoming_id, "user_id": admin_b, "days": 5}
            )
            b.call("cchc.document.assign", "action_assign", [wizard])
            b.call("cchc.document", "action_start_processing", [incoming_id])
            b.call("cchc.document", "action_complete_handling", [incoming_id])
            b.run_cron("cchc_esign.ir_cron_exchange_send")
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
            checks.check(
                "A's timeline: 01 03 04 05 06", codes == ["01", "03", "04", "05", "06"], str(codes)
            )
            sent = a.search_read(
                "cchc.exchange.message",
                [("document_id", "=", doc), ("kind", "=", "document"), ("direction", "=", "out")],
                ["package"],
            )
            package = base64.b64decode(sent[0]["package"])
            verified = edxml.verify(package, trust_roots=[demo.root.certificate])
            checks.check("the package verifies outside Odoo", verified.document.document_id != "")
            answer = post_raw(port, package, "e2e-nonce-1", f"{DB_B}.localhost")
            checks.check(
                "a duplicate package is acknowledged",
                answer.status_code == 200 and answer.json()["result"] == "duplicate",
                answer.text,
            )
            again = post_raw(port, package, "e2e-nonce-1", f"{DB_B}.localhost")
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
    except Exception:
        checks.check("the scenario ran to the end", False, traceback.format_exc(limit=-3))
    finally:
        server.terminate()
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
