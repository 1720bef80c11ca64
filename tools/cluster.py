"""Two (or more) Odoo nodes in prefork mode on one PostgreSQL and one filestore, behind HAProxy.

    python tools/cluster.py --odoo-cmd '<python> <odoo-bin> --addons-path … --db_user …' \
        --db DATABASE [--nodes 2] [--port 8069] [--check [--seconds 20]]

Every node runs HTTP workers, a cron worker, the gevent long-polling process and queue_job's
job runner (``--load base,web,queue_job``; one runner at a time holds the database, the other
waits to take over); all share the database and the data directory (sessions and filestore), so
HAProxy balances requests round robin with no stickiness: a user's consecutive requests land on
different nodes. ``/websocket`` goes to the nodes' gevent ports.

Without ``--check`` the cluster serves until Ctrl-C (``make cluster``). With ``--check``
(``make test``, on the tests' database) a load generator drives one-stop desks and officers
through the proxy at once — desks create and receive dossiers, officers update their tasks and
write on a shared one — while a leader signs and two clerks issue documents addressed to another
agency of the database, whose packages the job runner delivers. It checks afterwards: every
dossier code unique and counted, no lost update on tasks, every message kept; the register's
numbers 1..N with no gap and no duplicate, every issued PDF's signatures valid; every package
delivered once (one incoming document each, its statuses back, no log entry twice, the jobs
done, the message log's chain intact); a cron due on both nodes at once run once; both nodes
served, no 5xx answer, no traceback in any node's log. Last, the node whose job runner holds
the database stops: another node's runner must take it over, and one more document signed and
issued through the proxy must be delivered once. Prints ``N passed, N failed`` last.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import queue
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from checks import Checks, free_port
from cryptography.hazmat.primitives import serialization
from reportlab.pdfgen import canvas

from cchc_core import pades, pki

REQUEST_LINE = re.compile(r'werkzeug: .*"(?:GET|POST) [^"]*" (\d{3})')
# Where a log record starts: a traceback belongs to the record before.
LOG_LINE = re.compile(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} )")
RUNJOB_LINE = re.compile(r'werkzeug: .*"GET /queue_job/runjob[^"]*" 200')
# Every node's job runner starts; the one that holds the database's runner lock (a
# PostgreSQL advisory lock) says it is ready, the other waits to take over.
RUNNER_START = "jobrunner.runner: starting"
RUNNER_READY = "queue job runner ready for db"
# Internal deliveries two at a time: jobs of the same kind race for the message log's head.
CHANNELS = "root:4,root.cchc_exchange:3,root.cchc_exchange.internal:2"
PASSPHRASE = "cum-mat-khau"
# What a clerk reads when Odoo gave up after its tries on a concurrent update, and how many times
# the check's clerks click again before the call counts as failed.
CONCURRENT = "could not serialize access due to concurrent update"
CLICKS = 3


def haproxy_config(port: int, nodes: list[tuple[int, int]]) -> str:
    http = "\n".join(
        f"    server node{i} 127.0.0.1:{h} check" for i, (h, _g) in enumerate(nodes, 1)
    )
    evented = "\n".join(
        f"    server node{i} 127.0.0.1:{g} check" for i, (_h, g) in enumerate(nodes, 1)
    )
    return f"""global
    maxconn 1024

defaults
    mode http
    option forwardfor
    # A node that stopped: the connection it refuses is tried again on another node.
    option redispatch
    retries 3
    timeout connect 5s
    timeout client 600s
    timeout server 600s
    timeout tunnel 3600s

frontend cchc
    bind 127.0.0.1:{port}
    http-request set-header X-Forwarded-Proto http
    acl websocket path_beg /websocket
    use_backend evented if websocket
    default_backend odoo

# No stickiness: sessions and files live in the shared data directory and database.
backend odoo
    balance roundrobin
{http}

backend evented
    balance roundrobin
{evented}
"""


class Cluster:
    def __init__(self, odoo_cmd: str, db: str, nodes: int, port: int, workdir: Path):
        self.odoo = shlex.split(odoo_cmd)
        self.db = db
        self.port = port
        self.workdir = workdir
        self.nodes = [(free_port(), free_port()) for _ in range(nodes)]
        self.procs: list[subprocess.Popen] = []
        self.logs = [workdir / f"node{i}.log" for i in range(1, nodes + 1)]
        self.env = dict(
            os.environ,
            ODOO_QUEUE_JOB_CHANNELS=os.environ.get("ODOO_QUEUE_JOB_CHANNELS", CHANNELS),
            # Every node must read the secrets stored in the database with the same key.
            CCHC_SECRET_KEY=os.environ.get("CCHC_SECRET_KEY") or secrets.token_urlsafe(32),
            # A cron's nextcall moved (or a trigger made) wakes the cron workers of every node
            # at once instead of at their next minute: the check races them on purpose.
            ODOO_NOTIFY_CRON_CHANGES="1",
        )

    def start(self) -> None:
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        if not Path(haproxy).exists():
            raise RuntimeError("haproxy is not installed (apt-get install haproxy)")
        for (http, evented), log in zip(self.nodes, self.logs, strict=True):
            cmd = [
                *self.odoo,
                "-d",
                self.db,
                "--db-filter",
                f"^{re.escape(self.db)}$",
                "--workers=2",
                "--max-cron-threads=1",
                "--http-interface=127.0.0.1",
                "--http-port",
                str(http),
                "--gevent-port",
                str(evented),
                "--proxy-mode",
                # queue_job server-wide: every node runs a job runner; one at a time holds the
                # database's runner lock and the other waits to take over.
                "--load",
                "base,web,queue_job",
                "--limit-time-real=600",
                "--log-level=info",
                "--logfile",
                str(log),
            ]
            self.procs.append(
                subprocess.Popen(
                    cmd,
                    env=self.env,
                    start_new_session=True,
                    stdout=open(log.with_suffix(".stderr"), "w"),
                    stderr=subprocess.STDOUT,
                )
            )
        config = self.workdir / "haproxy.cfg"
        config.write_text(haproxy_config(self.port, self.nodes))
        self.procs.append(
            subprocess.Popen(
                [haproxy, "-db", "-f", str(config)],
                start_new_session=True,
                stdout=open(self.workdir / "haproxy.log", "w"),
                stderr=subprocess.STDOUT,
            )
        )
        for http, _ in self.nodes:
            if not wait_http(f"http://127.0.0.1:{http}"):
                raise RuntimeError(f"node on port {http} did not start (see {self.workdir})")
        if not wait_http(f"http://127.0.0.1:{self.port}"):
            raise RuntimeError("HAProxy did not answer")

    def stop(self) -> None:
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def stop_node(self, index: int) -> None:
        """Stop one node (its HTTP workers, cron worker, gevent process and job runner)."""
        proc = self.procs[index]
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)

    def node_texts(self) -> list[str]:
        return [
            log.read_text(errors="replace") + log.with_suffix(".stderr").read_text(errors="replace")
            for log in self.logs
        ]


def wait_http(url: str, timeout: float = 180) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/web/login", timeout=5).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(1)
    return False


class Client:
    """A logged-in user talking JSON-RPC through the proxy."""

    def __init__(self, base: str, db: str, login: str, password: str):
        self.base = base
        self.db = db
        self.session = requests.Session()
        self.errors: list[str] = []
        self.call_path(
            "/web/session/authenticate", {"db": db, "login": login, "password": password}
        )

    def call_path(self, path, params):
        response = self.session.post(
            self.base + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            # Generous: two nodes, the proxy and the load share a busy machine's cores.
            timeout=600,
        )
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} {path}")
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RuntimeError(body["error"].get("data", {}).get("message", body["error"]))
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self.call_path(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def xmlid(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        return rows[0]["res_id"]


def make_user(admin: Client, login: str, groups: list[int], agency: int) -> int:
    """A user whose password is its login, member of ``agency``."""
    uid = admin.call(
        "res.users",
        "create",
        {
            "name": login,
            "login": login,
            "password": login,
            "email": f"{login}@example.com",
            "groups_id": [(6, 0, groups)],
        },
    )
    admin.call("res.users", "write", [uid], {"cchc_agency_id": agency})
    return uid


def prepare(admin: Client, desks: int, officers: int, identifier: str = "C98") -> dict:
    """Agency, users, a procedure and a plan with one task per officer, made through the proxy
    (``identifier``: the province's, a level-1 electronic identifier not used yet)."""
    suffix = str(os.getpid())
    province = admin.call(
        "cchc.agency",
        "create",
        {
            "name": f"UBND tỉnh Cụm {suffix}",
            "identifier": identifier,
            "kind": "province_committee",
        },
    )
    agency = admin.call(
        "cchc.agency",
        "create",
        {"name": f"Sở Cụm {suffix}", "identifier": f"{identifier}.01", "parent_id": province},
    )
    group_user = admin.xmlid("cchc_base.group_cchc_user")
    group_desk = admin.xmlid("cchc_base.group_cchc_onestop")
    internal = admin.xmlid("base.group_user")

    def user(login, groups):
        return make_user(admin, login, [internal, *groups], agency)

    desk_logins = [f"cum_desk{i}_{suffix}" for i in range(desks)]
    officer_logins = [f"cum_cv{i}_{suffix}" for i in range(officers)]
    desk_ids = [user(login, [group_desk]) for login in desk_logins]
    officer_ids = [user(login, [group_user]) for login in officer_logins]
    field = admin.call("cchc.onestop.field", "create", {"name": "Lĩnh vực cụm"})
    procedure = admin.call(
        "cchc.onestop.procedure",
        "create",
        {
            "code": f"C98.{suffix[-6:]}",
            "name": "Thủ tục thử tải",
            "field_id": field,
            "competent_agency_id": agency,
            "time_unit": "day",
            "time_limit": 3,
            "online_mode": "none",
            "step_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Tiếp nhận",
                        "time_limit": 1,
                        "handler_id": desk_ids[0],
                        "sequence": 1,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "name": "Giải quyết",
                        "time_limit": 2,
                        "handler_id": officer_ids[0],
                        "sequence": 2,
                    },
                ),
            ],
        },
    )
    plan = admin.call(
        "cchc.plan",
        "create",
        {
            "number": f"{suffix}/KH-CUM",
            "name": "Kế hoạch thử tải",
            "issuing_agency_id": province,
            "date_issued": "2026-01-15",
            "year_from": 2026,
            "year_to": 2026,
        },
    )
    project = admin.call("cchc.plan", "read", [plan], ["project_id"])[0]["project_id"][0]
    tasks = [
        admin.call(
            "project.task",
            "create",
            {"name": f"Nhiệm vụ {i}", "project_id": project, "lead_agency_id": agency},
        )
        for i in range(officers + 1)
    ]
    return {
        "province": province,
        "agency": agency,
        "procedure": procedure,
        "desks": desk_logins,
        "officers": officer_logins,
        "tasks": tasks[:-1],
        "shared_task": tasks[-1],
    }


def run_load(base, db, data, seconds) -> dict:
    results = {"dossiers": [], "writes": {}, "messages": 0, "errors": [], "failures": []}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def desk(login):
        client = Client(base, db, login, login)
        n = 0
        while time.monotonic() < deadline:
            try:
                dossier = client.call(
                    "cchc.onestop.dossier",
                    "create",
                    {
                        "procedure_id": data["procedure"],
                        "agency_id": data["agency"],
                        "applicant_name": f"Công dân {login} {n}",
                        "applicant_id_number": f"0792{n:08d}",
                        "applicant_phone": "0909 000 000",
                        "applicant_address": "Phường Thử tải",
                    },
                )
                client.call("cchc.onestop.dossier", "action_receive", [dossier])
                with lock:
                    results["dossiers"].append(dossier)
                n += 1
            except Exception as exc:
                with lock:
                    results["failures"].append(f"{login}: {exc}")
        with lock:
            results["errors"] += client.errors

    def officer(login, task):
        client = Client(base, db, login, login)
        n = 0
        while time.monotonic() < deadline:
            try:
                n += 1
                client.call(
                    "project.task",
                    "write",
                    [task],
                    {"cchc_progress": n % 101, "cchc_result": f"{login} lượt {n}"},
                )
                client.call(
                    "project.task",
                    "message_post",
                    [data["shared_task"]],
                    body=f"{login} lượt {n}",
                    message_type="comment",
                )
                with lock:
                    results["writes"][task] = (n % 101, f"{login} lượt {n}")
                    results["messages"] += 1
            except Exception as exc:
                with lock:
                    results["failures"].append(f"{login}: {exc}")
        with lock:
            results["errors"] += client.errors

    threads = [threading.Thread(target=desk, args=(login,)) for login in data["desks"]]
    threads += [
        threading.Thread(target=officer, args=(login, task))
        for login, task in zip(data["officers"], data["tasks"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# ---------------------------------------------------------------- documents and their delivery


def installed(admin: Client, *modules: str) -> bool:
    count = admin.call(
        "ir.module.module",
        "search_count",
        [("name", "in", list(modules)), ("state", "=", "installed")],
    )
    return count == len(modules)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def one_page_pdf(text: str) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return out.getvalue()


def prepare_documents(admin: Client, province: int, count: int, directory: str) -> dict:
    """A demo CA trusted by the database and the system's exchange key; an issuing department
    with a drafter, a leader, two clerks and their certificates; a recipient department of the
    same database; ``count`` documents approved and waiting for the leader's signature, the last
    one kept aside as ``spare``."""
    suffix = str(os.getpid())
    demo = pki.generate_demo_pki(
        directory, PASSPHRASE, agency=f"Sở Cụm Phát hành {suffix}", leader="Lãnh đạo Cụm"
    )
    pem = serialization.Encoding.PEM
    admin.call(
        "cchc.trust.anchor",
        "create",
        {
            "name": f"Cụm Root {suffix}",
            "kind": "root",
            "certificate": b64(demo.root.certificate.public_bytes(pem)),
        },
    )
    admin.call(
        "cchc.trust.anchor",
        "create",
        {
            "name": f"Cụm Signing CA {suffix}",
            "kind": "intermediate",
            "certificate": b64(demo.intermediate.certificate.public_bytes(pem)),
            "crl": b64(demo.crl.public_bytes(serialization.Encoding.DER)),
        },
    )
    admin.call(
        "cchc.exchange.key",
        "create",
        {"code": "C98", "pkcs12": b64(demo.pkcs12("exchange")), "passphrase": PASSPHRASE},
    )
    issuer = admin.call(
        "cchc.agency",
        "create",
        {
            "name": f"Sở Cụm Phát hành {suffix}",
            "identifier": "C98.02",
            "short_name": "SCPH",
            "parent_id": province,
        },
    )
    recipient = admin.call(
        "cchc.agency",
        "create",
        {"name": f"Sở Cụm Nhận {suffix}", "identifier": "C98.03", "parent_id": province},
    )
    internal = admin.xmlid("base.group_user")
    logins = {
        "drafter": (f"cum_dt_{suffix}", "cchc_base.group_cchc_user"),
        "leader": (f"cum_ld_{suffix}", "cchc_base.group_cchc_leader"),
        "clerk0": (f"cum_vt0_{suffix}", "cchc_base.group_cchc_clerk"),
        "clerk1": (f"cum_vt1_{suffix}", "cchc_base.group_cchc_clerk"),
    }
    users = {
        role: make_user(admin, login, [internal, admin.xmlid(group)], issuer)
        for role, (login, group) in logins.items()
    }
    admin.call("cchc.agency", "write", [issuer], {"leader_ids": [(4, users["leader"])]})
    leader_cert = admin.call(
        "cchc.certificate",
        "create",
        {
            "owner": "user",
            "user_id": users["leader"],
            "certificate": b64(demo.certificates["leader"].public_bytes(pem)),
            "pkcs12": b64(demo.pkcs12("leader")),
        },
    )
    seal_cert = admin.call(
        "cchc.certificate",
        "create",
        {
            "owner": "agency",
            "agency_id": issuer,
            "certificate": b64(demo.certificates["seal"].public_bytes(pem)),
            "pkcs12": b64(demo.pkcs12("seal")),
        },
    )
    drafter = Client(admin.base, admin.db, logins["drafter"][0], logins["drafter"][0])
    decision = admin.xmlid("cchc_esign.document_type_quyet_dinh")
    documents = drafter.call(
        "cchc.document",
        "create",
        [
            {
                "name": f"Quyết định thử tải số {i}",
                "type_id": decision,
                "agency_id": issuer,
                "signer_id": users["leader"],
                "signer_position": "GIÁM ĐỐC",
                "place": "Cụm",
                "pdf": b64(one_page_pdf(f"QUYET DINH thu tai {suffix} so {i}")),
                "pdf_name": f"qd-cum-{i}.pdf",
                "recipient_agency_ids": [(6, 0, [recipient])],
                "recipients_text": "- Như trên;\n- Lưu: VT.",
            }
            for i in range(count)
        ],
    )
    drafter.call("cchc.document", "action_submit", documents)
    leader = Client(admin.base, admin.db, logins["leader"][0], logins["leader"][0])
    leader.call("cchc.document", "action_approve", documents)
    # The last one waits for the job runner's failover (``check_failover``).
    documents, spare = documents[:-1], documents[-1]
    return {
        "pki": demo,
        "issuer": issuer,
        "recipient": recipient,
        "leader": logins["leader"][0],
        "clerks": [logins["clerk0"][0], logins["clerk1"][0]],
        "leader_cert": leader_cert,
        "seal_cert": seal_cert,
        "documents": documents,
        "spare": spare,
    }


def run_documents(base, db, docs, signers=2) -> dict:
    """The leader signs (``signers`` sessions of his) and the clerks issue, each document as
    soon as it is signed, all through the proxy at once."""
    results = {"issued": [], "failures": [], "errors": [], "seconds": 0.0, "clicked_again": 0}
    lock = threading.Lock()
    to_sign: queue.Queue = queue.Queue()
    to_issue: queue.Queue = queue.Queue()
    for doc in docs["documents"]:
        to_sign.put(doc)

    def sign(client, doc, mode, certificate):
        # As the dialog does: save the choices, then sign with the passphrase typed.
        wizard = client.call(
            "cchc.document.sign",
            "create",
            {"document_id": doc, "mode": mode, "certificate_id": certificate},
        )
        for attempt in range(1, CLICKS + 1):
            try:
                client.call(
                    "cchc.document.sign",
                    "action_sign",
                    [wizard],
                    context={"cchc_passphrase": PASSPHRASE},
                )
                return
            except RuntimeError as exc:
                # Two clerks issuing back to back wait for each other on the register's next
                # number (it goes into the signed PDF, so it is taken before signing and held
                # until the commit). Since cchc_esign 18.0.3.0.0 the one that waited takes the
                # next number without a replay; were a concurrent update to come back, past
                # Odoo's 5 tries the clerk is told so and clicks again, counted.
                if CONCURRENT not in str(exc) or attempt == CLICKS:
                    raise
                with lock:
                    results["clicked_again"] += 1

    def leader():
        client = Client(base, db, docs["leader"], docs["leader"])
        while True:
            try:
                doc = to_sign.get_nowait()
            except queue.Empty:
                break
            try:
                sign(client, doc, "leader", docs["leader_cert"])
                to_issue.put(doc)
            except Exception as exc:
                with lock:
                    results["failures"].append(f"leader, document {doc}: {exc}")
        with lock:
            results["errors"] += client.errors

    def clerk(login):
        client = Client(base, db, login, login)
        while (doc := to_issue.get()) is not None:
            try:
                sign(client, doc, "seal", docs["seal_cert"])
                with lock:
                    results["issued"].append(doc)
            except Exception as exc:
                with lock:
                    results["failures"].append(f"{login}, document {doc}: {exc}")
        with lock:
            results["errors"] += client.errors

    start = time.monotonic()
    leaders = [threading.Thread(target=leader) for _ in range(signers)]
    clerks = [threading.Thread(target=clerk, args=(login,)) for login in docs["clerks"]]
    for thread in leaders + clerks:
        thread.start()
    for thread in leaders:
        thread.join()
    for _ in clerks:
        to_issue.put(None)
    for thread in clerks:
        thread.join()
    results["seconds"] = time.monotonic() - start
    return results


def wait_until(condition, timeout: float, step: float = 2.0):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)


def check_register(checks: Checks, admin: Client, docs: dict, results: dict) -> list[dict]:
    """Numbers 1..N in the issuing department's register, and every issued PDF verified."""
    count = len(docs["documents"])
    print(
        f"  documents: {count} signed by the leader (2 sessions) and issued by 2 clerks through "
        f"the proxy in {results['seconds']:.0f} s; a clerk clicked again "
        f"{results['clicked_again']} time(s) after Odoo's tries on a concurrent update",
        flush=True,
    )
    checks.check(
        "no failed signing or issuing call", not results["failures"], results["failures"][:3]
    )
    checks.check("no 5xx answer while signing", not results["errors"], results["errors"][:5])
    rows = admin.call(
        "cchc.document",
        "read",
        docs["documents"],
        ["state", "number", "register_id", "code", "pdf", "edxml_document_id"],
    )
    issued = [row for row in rows if row["state"] == "issued"]
    checks.check(
        f"{len(issued)} of {count} documents issued", len(issued) == count == len(results["issued"])
    )
    registers = sorted({row["register_id"][0] for row in issued if row["register_id"]})
    numbers = sorted(row["number"] for row in issued)
    held = admin.call("cchc.document", "search_count", [("register_id", "in", registers)])
    next_numbers = [
        r["next_number"]
        for r in admin.call("cchc.document.register", "read", registers, ["next_number"])
    ]
    checks.check(
        f"register numbers 1..{len(numbers)}: no gap, no duplicate, the register's next is "
        f"{next_numbers}",
        len(registers) == 1
        and numbers == list(range(1, len(numbers) + 1))
        and held == len(numbers)
        and next_numbers == [len(numbers) + 1],
        f"registers {registers}, numbers {numbers}, {held} documents in them",
    )
    roots, crls = [docs["pki"].root.certificate], [docs["pki"].crl]
    bad = []
    for row in issued:
        report = pades.verify_pdf(base64.b64decode(row["pdf"]), roots, crls)
        if report.verdict != "valid" or len(report.signatures) != 2:
            bad.append(f"{row['code']}: {report.verdict}, {len(report.signatures)} signatures")
    checks.check(
        f"every issued PDF verifies: leader's and agency's signatures valid ({len(issued)})",
        issued and not bad,
        bad[:3],
    )
    return issued


def check_deliveries(
    checks: Checks, admin: Client, cluster: Cluster, docs: dict, issued: list[dict]
) -> None:
    """Every package delivered once by the job runners, statuses back, the log's chain
    intact."""
    ids = [row["id"] for row in issued]
    edxml_ids = sorted(row["edxml_document_id"] for row in issued)
    start = time.monotonic()

    def read_log():
        messages = admin.call(
            "cchc.exchange.message",
            "search_read",
            [("edxml_document_id", "in", edxml_ids)],
            ["edxml_document_id", "direction", "kind", "status_code", "result", "job_uuid"],
        )
        uuids = [m["job_uuid"] for m in messages if m["job_uuid"]]
        jobs = admin.call("queue.job", "search_read", [("uuid", "in", uuids)], ["state", "retry"])
        return messages, jobs

    def settled():
        states = admin.call(
            "cchc.document.dispatch", "search_read", [("document_id", "in", ids)], ["state"]
        )
        _messages, jobs = read_log()
        # A failed delivery makes no status job: what has ended, well or not, settles it.
        return (
            len(states) == len(ids)
            and all(s["state"] in ("03", "02", "failed") for s in states)
            and jobs
            and all(j["state"] in ("done", "failed") for j in jobs)
        )

    # Each document makes three jobs: the package, then the statuses 01 and 03 coming back.
    done = wait_until(settled, timeout=420)
    messages, jobs = read_log()
    print(
        f"  deliveries: {len(ids)} packages and their statuses 01/03 settled "
        f"{time.monotonic() - start:.0f} s after the last issue; {len(jobs)} jobs run "
        f"{sum(j['retry'] for j in jobs)} times (a run that meets a concurrent update is run "
        "again)",
        flush=True,
    )
    dispatches = admin.call(
        "cchc.document.dispatch", "search_read", [("document_id", "in", ids)], ["state"]
    )
    checks.check(
        "every dispatch got its status 03 back",
        done and all(d["state"] == "03" for d in dispatches),
        sorted(Counter(d["state"] for d in dispatches).items()),
    )
    checks.check(
        f"every job done, once ({len(jobs)} = 3 × {len(ids)})",
        len(jobs) == 3 * len(ids) and all(j["state"] == "done" for j in jobs),
        sorted({j["state"] for j in jobs}),
    )
    incoming = admin.call(
        "cchc.document",
        "search_read",
        [("direction", "=", "in"), ("receiving_agency_id", "=", docs["recipient"])],
        ["edxml_document_id", "incoming_number", "state", "verdict"],
    )
    received = sorted(row["edxml_document_id"] for row in incoming)
    checks.check(
        f"one incoming document per dispatch ({len(incoming)}), registered, signatures valid",
        received == edxml_ids
        and all(row["state"] == "registered" and row["verdict"] == "valid" for row in incoming),
        f"{len(received)} received, {len(set(received))} distinct, {len(edxml_ids)} sent",
    )
    numbers = sorted(row["incoming_number"] for row in incoming)
    checks.check(
        f"the recipient's incoming register: 1..{len(numbers)}, no gap, no duplicate",
        numbers == list(range(1, len(numbers) + 1)),
        numbers,
    )
    entries = Counter(
        (m["edxml_document_id"], m["direction"], m["kind"], m["status_code"]) for m in messages
    )
    twice = [key for key, n in entries.items() if n > 1]
    results = Counter(m["result"] for m in messages if m["direction"] == "in")
    checks.check(
        f"message log: 6 entries per document, none twice ({len(messages)}; received: "
        f"{dict(results)})",
        len(entries) == 6 * len(ids) and not twice and set(results) == {"accepted"},
        twice[:3],
    )
    chain = admin.call("cchc.exchange.message", "action_verify_chain", [])["params"]
    checks.check(
        f"the message log's hash chain is intact ({chain['message']})",
        chain["type"] == "success",
    )
    texts = cluster.node_texts()
    started = [text.count(RUNNER_START) for text in texts]
    ready = [text.count(RUNNER_READY) for text in texts]
    ran = [len(RUNJOB_LINE.findall(text)) for text in texts]
    print(f"  job runners: runs asked of each node {ran}", flush=True)
    checks.check(
        f"a job runner on every node {started}, one of them holding the database {ready}",
        all(started) and sum(ready) == 1 and sum(ran) >= len(jobs),
    )


def check_cron(checks: Checks, admin: Client, cluster: Cluster, xmlid: str) -> None:
    """A cron due on both nodes at once (their cron workers woken together) runs once."""
    cron = admin.xmlid(xmlid)
    before = admin.call("ir.cron", "read", [cron], ["name", "lastcall"])[0]
    progress = admin.call("ir.cron.progress", "search_count", [("cron_id", "=", cron)])
    done_line = re.compile(rf"Job .* \({cron}\) done")
    logged = [len(done_line.findall(text)) for text in cluster.node_texts()]
    due = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S")
    admin.call("ir.cron", "write", [cron], {"nextcall": due})

    def last_call():
        return admin.call("ir.cron", "read", [cron], ["lastcall"])[0]["lastcall"]

    ran = wait_until(lambda: last_call() != before["lastcall"], timeout=180)
    time.sleep(5)  # the other node's cron worker looked at it too
    after = admin.call("ir.cron", "read", [cron], ["nextcall"])[0]
    runs = admin.call("ir.cron.progress", "search_count", [("cron_id", "=", cron)]) - progress
    per_node = [
        len(done_line.findall(text)) - n
        for text, n in zip(cluster.node_texts(), logged, strict=True)
    ]
    checks.check(
        f"cron “{before['name']}” due on both nodes ran once (runs per node {per_node})",
        ran and runs == 1 and sum(per_node) == 1 and after["nextcall"] > due,
        f"{runs} runs recorded, next call {after['nextcall']}",
    )


def check(cluster: Cluster, opts: argparse.Namespace, directory: str) -> Checks:
    checks = Checks()
    desks, officers = opts.desks, opts.officers
    base = f"http://127.0.0.1:{cluster.port}"
    admin = Client(base, cluster.db, "admin", "admin")
    data = prepare(admin, desks, officers)
    docs = None
    if opts.documents and installed(admin, "cchc_exchange"):
        docs = prepare_documents(admin, data["province"], opts.documents + 1, directory)
    else:
        print("  documents: cchc_exchange is not installed here, no register or delivery check")
    doc_results: dict = {}
    signing = threading.Thread(
        target=lambda: doc_results.update(run_documents(base, cluster.db, docs) if docs else {})
    )
    start = time.monotonic()
    signing.start()
    results = run_load(base, cluster.db, data, opts.seconds)
    elapsed = time.monotonic() - start
    signing.join()
    received = len(results["dossiers"])
    print(
        f"  load: {desks} desks and {officers} officers through the proxy for {elapsed:.0f} s: "
        f"{received} dossiers received, {results['messages']} task updates with a message"
    )
    checks.check("no failed call", not results["failures"], results["failures"][:3])
    checks.check("no 5xx answer", not results["errors"], results["errors"][:5])
    rows = admin.call("cchc.onestop.dossier", "read", results["dossiers"], ["name", "state"])
    codes = [row["name"] for row in rows]
    checks.check(
        f"{received} dossier codes, all unique and received",
        received > 0
        and len(set(codes)) == received
        and all(row["state"] != "draft" for row in rows),
        f"{len(codes) - len(set(codes))} duplicates",
    )
    tasks = admin.call(
        "project.task", "read", list(results["writes"]), ["cchc_progress", "cchc_result"]
    )
    lost = [
        t["id"]
        for t in tasks
        if (t["cchc_progress"], t["cchc_result"]) != results["writes"][t["id"]]
    ]
    checks.check("no lost update on tasks (each holds its last write)", not lost, lost)
    kept = admin.call(
        "mail.message",
        "search_count",
        [
            ("model", "=", "project.task"),
            ("res_id", "=", data["shared_task"]),
            ("message_type", "=", "comment"),
        ],
    )
    checks.check(
        f"every message on the shared task kept ({results['messages']})",
        kept == results["messages"],
        f"{kept} in the database",
    )
    if docs:
        issued = check_register(checks, admin, docs, doc_results)
        if issued:
            check_deliveries(checks, admin, cluster, docs, issued)
    check_cron(checks, admin, cluster, "cchc_onestop.ir_cron_overdue_scan")
    texts = cluster.node_texts()
    served = [sum(1 for m in REQUEST_LINE.finditer(text)) for text in texts]
    checks.check(f"every node served requests {served}", all(n > 0 for n in served))
    tracebacks = [
        chunk
        for text in texts
        for chunk in LOG_LINE.split(text)
        if "Traceback (most recent call last)" in chunk
    ]
    # Odoo's last try on a concurrent update logs its traceback: the clerks clicked again.
    given_up = [t for t in tracebacks if "psycopg2.errors.SerializationFailure" in t]
    clicked = doc_results.get("clicked_again", 0)
    checks.check(
        f"no traceback in any node's log (but the {len(given_up)} concurrent updates the "
        "clerks clicked again on)",
        len(tracebacks) == len(given_up) <= clicked,
        f"{len(tracebacks)} found, {len(given_up)} on a concurrent update",
    )
    if docs and len(cluster.nodes) > 1:
        check_failover(checks, admin, cluster, docs)
    return checks


def check_failover(checks: Checks, admin: Client, cluster: Cluster, docs: dict) -> None:
    """The node whose job runner holds the database stops: another node's runner takes the
    database over, and a document issued through the proxy afterwards is delivered once."""
    texts = cluster.node_texts()
    holders = [i for i, text in enumerate(texts) if RUNNER_READY in text]
    if len(holders) != 1:
        checks.check("job runner failover: one runner held the database", False, holders)
        return
    holder = holders[0]
    others = [i for i in range(len(cluster.nodes)) if i != holder]
    before = [text.count(RUNNER_READY) for text in texts]
    cluster.stop_node(holder)
    start = time.monotonic()

    def taken_over():
        now = cluster.node_texts()
        return [i for i in others if now[i].count(RUNNER_READY) > before[i]]

    # queue_job's standby runners try the database's lock every 5 s.
    took = wait_until(taken_over, timeout=90, step=0.5)
    seconds = time.monotonic() - start
    checks.check(
        f"job runner failover: node {holder + 1} stopped, node "
        f"{', '.join(str(i + 1) for i in took) or '–'}'s runner holds the database "
        f"{seconds:.1f} s later",
        len(took) == 1,
    )
    if not took:
        return
    # Through the proxy, which sends the stopped node's connections to the others.
    results = run_documents(admin.base, admin.db, {**docs, "documents": [docs["spare"]]}, signers=1)
    issued = not results["failures"] and results["issued"] == [docs["spare"]]
    row = admin.call("cchc.document", "read", [docs["spare"]], ["edxml_document_id", "number"])[0]

    def delivered():
        """Dispatch at 03 and the package's three jobs done (the statuses 01 and 03 run as
        two jobs in either order: 03 may come back before 01's job ran)."""
        states = admin.call(
            "cchc.document.dispatch",
            "search_read",
            [("document_id", "=", docs["spare"])],
            ["state"],
        )
        messages = admin.call(
            "cchc.exchange.message",
            "search_read",
            [("edxml_document_id", "=", row["edxml_document_id"]), ("job_uuid", "!=", False)],
            ["job_uuid"],
        )
        jobs = admin.call(
            "queue.job",
            "search_read",
            [("uuid", "in", [m["job_uuid"] for m in messages])],
            ["state"],
        )
        done = [s["state"] for s in states] == ["03"] and len(jobs) == 3
        return (done and all(j["state"] == "done" for j in jobs), jobs)

    ok = issued and wait_until(lambda: delivered()[0], timeout=180)
    jobs = delivered()[1]
    received = admin.call(
        "cchc.document",
        "search_count",
        [("direction", "=", "in"), ("edxml_document_id", "=", row["edxml_document_id"])],
    )
    checks.check(
        f"after the failover, document number {row['number']} issued through the proxy and "
        f"delivered once by the new runner (status 03 back, {len(jobs)} jobs done)",
        ok and received == 1,
        f"issue {results['failures'][:1] or 'ok'}, {received} incoming, "
        f"jobs {[j['state'] for j in jobs]}",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--odoo-cmd", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="the proxy's port (default: free)")
    parser.add_argument("--check", action="store_true", help="drive load, check, stop")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--desks", type=int, default=3)
    parser.add_argument("--officers", type=int, default=3)
    parser.add_argument(
        "--documents", type=int, default=24, help="documents signed, issued and delivered"
    )
    opts = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="cchc-cluster-"))
    cluster = Cluster(opts.odoo_cmd, opts.db, opts.nodes, opts.port or free_port(), workdir)
    print(
        f"cluster: {opts.nodes} nodes × 2 workers + cron + gevent, HAProxy on "
        f"http://127.0.0.1:{cluster.port} (logs in {workdir})",
        flush=True,
    )
    try:
        cluster.start()
        if not opts.check:
            print("serving; Ctrl-C stops", flush=True)
            while all(proc.poll() is None for proc in cluster.procs):
                time.sleep(1)
            return 1
        checks = check(cluster, opts, str(workdir))
    except KeyboardInterrupt:
        return 0
    except Exception as exc:
        checks = Checks()
        checks.check("the cluster check ran to the end", False, repr(exc))
    finally:
        cluster.stop()
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
