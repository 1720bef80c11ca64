#!/usr/bin/env python3
"""Smoke check of a running `make demo`: every demo login, its language and what it may see.

    python3 tools/check_demo.py [--url http://localhost:8069] [--db cchc_demo]

Standard library only. For each demo user: logs in over HTTP, reads the session language, the
top menu's name, and counts the indicator values the record rules let it read. Exits 1 when
/web/login does not answer 200, a login fails, or a user does not get the Vietnamese UI.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import sys
import urllib.request
from pathlib import Path

LOGINS = Path(__file__).resolve().parent.parent / "addons/cchc_demo/demo/LOGINS.txt"


def demo_logins() -> list[str]:
    logins = []
    for line in LOGINS.read_text().splitlines()[1:]:
        if line.strip():
            logins.append(line.split()[0])
    return logins


class Session:
    def __init__(self, url: str):
        self.url = url.rstrip("/")
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.url + path, timeout=30) as resp:
            return resp.status, resp.read().decode()

    def rpc(self, path: str, params: dict):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        req = urllib.request.Request(
            self.url + path, data=body, headers={"Content-Type": "application/json"}
        )
        with self.opener.open(req, timeout=60) as resp:
            answer = json.loads(resp.read())
        if "error" in answer:
            raise RuntimeError(answer["error"]["data"]["message"])
        return answer["result"]

    def call(self, model: str, method: str, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="cchc_demo")
    opts = parser.parse_args()

    status, _ = Session(opts.url).get("/web/login")
    print(f"GET /web/login -> {status}")
    failures = int(status != 200)
    print(
        f"{'login':<18} {'lang':<6} {'top menu':<22} {'agency':<28} {'values':>6} {'agencies':>8} "
        f"{'tasks':>6} {'reports':>7} {'docs in':>7} {'dossiers':>8}"
    )
    for login in demo_logins():
        session = Session(opts.url)
        try:
            info = session.rpc(
                "/web/session/authenticate", {"db": opts.db, "login": login, "password": login}
            )
            lang = info["user_context"]["lang"]
            menus = session.get("/web/webclient/load_menus/check")[1]
            names = {m["name"] for m in json.loads(menus).values()}
            top = "Cải cách hành chính" if "Cải cách hành chính" in names else "(not translated)"
            me = session.call("res.users", "read", [info["uid"]], ["cchc_agency_id"])[0]
            agency = (me["cchc_agency_id"] or [0, "-"])[1]
            values = session.call("cchc.indicator.value", "search_count", [])
            agencies = len(
                {
                    v["agency_id"][0]
                    for v in session.call("cchc.indicator.value", "search_read", [], ["agency_id"])
                }
            )
            tasks = session.call("project.task", "search_count", [("cchc_plan_id", "!=", False)])
            reports = session.call("cchc.plan.report", "search_count", [])
            received = session.call("cchc.document", "search_count", [("direction", "=", "in")])
            dossiers = session.call("cchc.onestop.dossier", "search_count", [])
        except (OSError, RuntimeError, KeyError) as exc:
            print(f"{login:<18} FAILED: {exc}")
            failures += 1
            continue
        failures += lang != "vi_VN" or top == "(not translated)"
        print(
            f"{login:<18} {lang:<6} {top:<22} {agency[:28]:<28} {values:>6} {agencies:>8} "
            f"{tasks:>6} {reports:>7} {received:>7} {dossiers:>8}"
        )
    failures += check_signed_document(opts)
    return 1 if failures else 0


def check_signed_document(opts) -> int:
    """Download the demo's issued document and its trust anchor, verify them with the core's
    `cchc verify` (the same code as the command line), as a person checking a file would."""
    import base64
    import subprocess
    import tempfile

    session = Session(opts.url)
    session.rpc("/web/session/authenticate", {"db": opts.db, "login": "admin", "password": "admin"})
    docs = session.call(
        "cchc.document", "search_read", [("state", "=", "issued")], ["code", "pdf"], limit=1
    )
    roots = session.call(
        "cchc.trust.anchor", "search_read", [("kind", "=", "root")], ["certificate"], limit=1
    )
    if not docs or not roots:
        print("no issued document in the demo")
        return 1
    venv_cchc = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "cchc"
    with tempfile.TemporaryDirectory() as directory:
        pdf = Path(directory) / "document.pdf"
        root = Path(directory) / "root.pem"
        pdf.write_bytes(base64.b64decode(docs[0]["pdf"]))
        root.write_bytes(base64.b64decode(roots[0]["certificate"]))
        result = subprocess.run(
            [str(venv_cchc), "verify", str(pdf), "--trust", str(root)],
            capture_output=True,
            text=True,
            check=False,
        )
    print(f"cchc verify {docs[0]['code']}:")
    print(result.stdout.rstrip())
    return 0 if result.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
