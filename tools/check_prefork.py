"""Run Odoo as a province runs it — prefork workers and the gevent long-polling process — and
fail if any of them dies and is respawned.

    python tools/check_prefork.py --odoo-cmd '<python> <odoo-bin> --addons-path … --db_user …' \
        --db DATABASE [--log FILE] [--seconds 20]

The database must exist with the addons installed (``make test`` passes the one its Odoo tests
used, admin/admin). The check starts ``--workers=2`` with a cron worker and the gevent port,
logs in, makes JSON-RPC requests through the HTTP workers, holds a websocket (the bus, Odoo's
long-polling) open on the gevent port, and compares the server's processes and its log before
and after: a worker or the gevent process that died (as gevent did when ``pkg_resources`` was
missing, about 11 restarts a second) shows up as a new process or a second start line.
Prints ``N passed, N failed`` last.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
import websocket
from checks import Checks, free_port

GEVENT_START = re.compile(r"Evented Service \(longpolling\) running on")
WORKER_ALIVE = re.compile(r"Worker (WorkerHTTP|WorkerCron) \((\d+)\) alive")


def children(pid: int) -> set[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    ).stdout
    return {int(x) for x in out.split()}


def wait_http(port: int, proc: subprocess.Popen, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/login", timeout=5).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(1)
    return False


def rpc(session, port, path, params):
    response = session.post(
        f"http://127.0.0.1:{port}{path}",
        json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
        timeout=60,
    )
    response.raise_for_status()
    body = response.json()
    if "error" in body:
        raise RuntimeError(body["error"].get("data", {}).get("message", body["error"]))
    return body["result"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--odoo-cmd", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--log", type=Path, default=Path("prefork.log"))
    parser.add_argument("--seconds", type=float, default=20, help="how long to watch")
    opts = parser.parse_args(argv)
    checks = Checks()
    http_port, gevent_port = free_port(), free_port()
    cmd = shlex.split(opts.odoo_cmd) + [
        "-d",
        opts.db,
        "--db-filter",
        f"^{re.escape(opts.db)}$",
        "--workers=2",
        "--max-cron-threads=1",
        "--http-port",
        str(http_port),
        "--gevent-port",
        str(gevent_port),
        "--http-interface=127.0.0.1",
        "--log-level=info",
        "--logfile",
        str(opts.log),
    ]
    print(f"prefork: 2 HTTP workers, 1 cron worker, gevent port {gevent_port}; log {opts.log}")
    opts.log.unlink(missing_ok=True)
    # A session of its own so that killing the group stops the master, workers and gevent.
    stderr_path = opts.log.with_suffix(".stderr")
    stderr = stderr_path.open("w")
    server = subprocess.Popen(cmd, start_new_session=True, stdout=stderr, stderr=subprocess.STDOUT)
    try:
        up = checks.check("server answers in prefork mode", wait_http(http_port, server))
        if not up:
            return report(checks)
        time.sleep(3)  # the workers and the gevent process have started
        before = children(server.pid)
        session = requests.Session()
        rpc(
            session,
            http_port,
            "/web/session/authenticate",
            {"db": opts.db, "login": "admin", "password": "admin"},
        )
        ok = 0
        for i in range(30):
            model = ("res.partner", "cchc.agency", "res.users")[i % 3]
            rpc(
                session,
                http_port,
                f"/web/dataset/call_kw/{model}/search_read",
                {"model": model, "method": "search_read", "args": [[]], "kwargs": {"limit": 20}},
            )
            ok += 1
        checks.check("30 logged-in JSON-RPC requests through the workers", ok == 30)
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        try:
            hold_websocket(gevent_port, cookie, opts.seconds, checks)
        except (OSError, websocket.WebSocketException) as exc:
            checks.check("websocket on the gevent port", False, repr(exc))
            time.sleep(opts.seconds)
        after = children(server.pid)
        checks.check(
            "no worker or gevent process was replaced",
            before == after and len(before) >= 4,
            f"before {sorted(before)}, after {sorted(after)}",
        )
        text = opts.log.read_text(errors="replace")
        gevent_starts = len(GEVENT_START.findall(text))
        checks.check(
            "the gevent process started once", gevent_starts == 1, f"{gevent_starts} starts"
        )
        workers = {pid for _kind, pid in WORKER_ALIVE.findall(text)}
        checks.check("workers started once each (3)", len(workers) == 3, f"{sorted(workers)}")
        text += stderr_path.read_text(errors="replace")
        tracebacks = text.count("Traceback (most recent call last)")
        checks.check("no traceback in the server log", tracebacks == 0, f"{tracebacks} found")
    except Exception as exc:  # any failure of the check is reported, not raised
        checks.check("prefork check ran to the end", False, repr(exc))
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
        stderr.close()
    return report(checks)


def hold_websocket(port, cookie, seconds, checks):
    """Subscribe to the bus as the web client does and keep the connection for ``seconds``."""
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{port}/websocket",
        header=[f"Cookie: {cookie}"],
        origin=f"http://127.0.0.1:{port}",
        timeout=10,
    )
    ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            ws.recv()
        except websocket.WebSocketTimeoutException:
            pass
    checks.check(f"websocket held open on the gevent port for {seconds:.0f} s", ws.connected)
    ws.close()


def report(checks) -> int:
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
