"""Two (or more) Odoo nodes in prefork mode on one PostgreSQL and one filestore, behind HAProxy.

    python tools/cluster.py --odoo-cmd '<python> <odoo-bin> --addons-path … --db_user …' \
        --db DATABASE [--nodes 2] [--port 8069] [--check [--seconds 20]]

Every node runs HTTP workers, a cron worker and the gevent long-polling process; all share the
database and the data directory (sessions and filestore), so HAProxy balances requests round
robin with no stickiness: a user's consecutive requests land on different nodes. ``/websocket``
goes to the nodes' gevent ports.

Without ``--check`` the cluster serves until Ctrl-C (``make cluster``). With ``--check``
(``make test``, on the tests' database) a load generator drives one-stop desks and officers
through the proxy at once — desks create and receive dossiers, officers update their tasks and
write on a shared one — and checks afterwards: every dossier code unique and counted, no lost
update on tasks, every message kept, both nodes served, no 5xx answer, no traceback in any node's
log. Prints ``N passed, N failed`` last.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from checks import Checks, free_port

REQUEST_LINE = re.compile(r'werkzeug: .*"(?:GET|POST) [^"]*" (\d{3})')


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
                "--log-level=info",
                "--logfile",
                str(log),
            ]
            self.procs.append(
                subprocess.Popen(
                    cmd,
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
        self.session = requests.Session()
        self.errors: list[str] = []
        self.call_path(
            "/web/session/authenticate", {"db": db, "login": login, "password": password}
        )

    def call_path(self, path, params):
        response = self.session.post(
            self.base + path,
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=120,
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


def prepare(admin: Client, desks: int, officers: int) -> dict:
    """Agency, users, a procedure and a plan with one task per officer, made through the proxy."""
    suffix = str(os.getpid())
    province = admin.call(
        "cchc.agency",
        "create",
        {"name": f"UBND tỉnh Cụm {suffix}", "identifier": "C98", "kind": "province_committee"},
    )
    agency = admin.call(
        "cchc.agency",
        "create",
        {"name": f"Sở Cụm {suffix}", "identifier": "C98.01", "parent_id": province},
    )
    group_user = admin.xmlid("cchc_base.group_cchc_user")
    group_desk = admin.xmlid("cchc_base.group_cchc_onestop")
    internal = admin.xmlid("base.group_user")

    def user(login, groups):
        uid = admin.call(
            "res.users",
            "create",
            {
                "name": login,
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "groups_id": [(6, 0, [internal, *groups])],
            },
        )
        admin.call("res.users", "write", [uid], {"cchc_agency_id": agency})
        return uid

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


def check(cluster: Cluster, seconds: float, desks: int, officers: int) -> Checks:
    checks = Checks()
    base = f"http://127.0.0.1:{cluster.port}"
    admin = Client(base, cluster.db, "admin", "admin")
    data = prepare(admin, desks, officers)
    start = time.monotonic()
    results = run_load(base, cluster.db, data, seconds)
    elapsed = time.monotonic() - start
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
    texts = cluster.node_texts()
    served = [sum(1 for m in REQUEST_LINE.finditer(text)) for text in texts]
    checks.check(f"every node served requests {served}", all(n > 0 for n in served))
    tracebacks = sum(text.count("Traceback (most recent call last)") for text in texts)
    checks.check("no traceback in any node's log", tracebacks == 0, f"{tracebacks} found")
    return checks


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
        checks = check(cluster, opts.seconds, opts.desks, opts.officers)
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
