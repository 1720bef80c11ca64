"""Officers' screens over HTTP next to Odoo's own comparable screens, on one node and on two.

    make bench-web [ARGS="--levels 1,5,20,50 --seconds 10"]

Starts the bench database on 1 prefork node, then on 2 nodes behind HAProxy
(``tools/cluster.py``), creates a 400-task plan, a plain Odoo project of 400 tasks, officers with
sessions of their own and received dossiers, and drives each screen the way the web client
loads it (``get_views`` once, then ``web_search_read`` / ``web_read`` / ``web_read_group`` with
the fields of the view, or the receipt of a dossier) with 1, 5, 20 and 50 concurrent users.
Prints, per screen, users and nodes: requests/s, p50 and p95 latency, errors, SQL queries per
request (from the server's request log), and the CCHC/Odoo ratio of p50 latency per pair of
screens. The two screens of a pair take turns (``--rounds`` slices of ``--seconds`` each), so
both meet the same background load on a shared machine. Targets: every CCHC screen ≤ 1.0× its
Odoo counterpart; two nodes ≥ 1.7× the throughput of one at 20 users; 0 errors. On a 2-core
machine the load generator and both nodes share the same cores, so the two-node figure says
more about contention than about scaling.
"""

from __future__ import annotations

import argparse
import re
import shlex
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import cluster as cl  # noqa: E402

QUERY_COUNT = re.compile(r'"POST /web/dataset/call_kw/(\S+?) HTTP/[\d.]+" \d+ - (\d+) ')

# (label, CCHC screen, Odoo's own comparable screen)
PAIRS = [
    ("task list, 80 rows", "cchc_task_list", "odoo_task_list"),
    ("task form", "cchc_task_form", "odoo_task_form"),
    ("dossier form / partner form", "dossier_form", "partner_form"),
    ("receive a dossier / create a task", "receive_dossier", "create_task"),
    ("plan dashboard / tasks by stage", "plan_dashboard", "tasks_by_stage"),
    ("indicators / partners list", "indicator_list", "partner_list"),
]


def spec_from_view(client, model, view_id, view_type):
    """The fields the web client asks for: those of the view, many2one with their names."""
    views = client.call(model, "get_views", views=[[view_id, view_type]], options={})
    arch = ET.fromstring(views["views"][view_type]["arch"])
    fields = views["models"][model]["fields"]
    spec = {}
    root = arch if arch.tag == view_type else arch.find(f".//{view_type}")
    for node in root.iter("field"):
        # fields of an embedded list (x2many) belong to the sub-specification, not to ours
        name = node.get("name")
        if name not in fields or name in spec:
            continue
        if fields[name]["type"] in ("many2one", "one2many", "many2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def prepare(admin, levels):
    data = cl.prepare(admin, desks=max(levels), officers=max(levels))
    agency, project = data["agency"], None
    plan_task = admin.call("project.task", "read", data["tasks"][:1], ["project_id"])
    project = plan_task[0]["project_id"][0]
    admin.call(
        "project.task",
        "create",
        [
            {"name": f"Nhiệm vụ cải cách {i}", "project_id": project, "lead_agency_id": agency}
            for i in range(400)
        ],
    )
    plain = admin.call("project.project", "create", {"name": "Dự án thường (Odoo)"})
    admin.call(
        "project.task",
        "create",
        [{"name": f"Việc {i}", "project_id": plain} for i in range(400)],
    )
    partners = admin.call(
        "res.partner", "create", [{"name": f"Đối tác {i}", "city": "Hà Nội"} for i in range(200)]
    )
    data.update(project=project, plain_project=plain, partner=partners[0])
    refs = {
        "cchc_task_list": ("project.task", "cchc_plan.cchc_task_view_list", "list"),
        "cchc_task_form": ("project.task", "cchc_plan.cchc_task_view_form", "form"),
        "odoo_task_list": ("project.task", "project.view_task_tree2", "list"),
        "odoo_task_form": ("project.task", "project.view_task_form2", "form"),
        "dossier_form": (
            "cchc.onestop.dossier",
            "cchc_onestop.cchc_onestop_dossier_view_form",
            "form",
        ),
        "partner_form": ("res.partner", "base.view_partner_form", "form"),
        "indicator_list": ("cchc.indicator", "cchc_base.cchc_indicator_view_list", "list"),
        "partner_list": ("res.partner", "base.view_partner_tree", "list"),
    }
    data["views"] = {
        key: (model, admin.xmlid(xmlid), kind) for key, (model, xmlid, kind) in refs.items()
    }
    return data


def screens(data):
    tasks = data["tasks"]

    def list_of(key, domain):
        def run(client, specs, i):
            model, _view, _kind = data["views"][key]
            client.call(model, "web_search_read", domain, specification=specs[key], limit=80)

        return run

    def form_of(key, ids):
        def run(client, specs, i):
            model, _view, _kind = data["views"][key]
            client.call(model, "web_read", [ids[i % len(ids)]], specification=specs[key])

        return run

    def receive(client, specs, i):
        dossier = client.call(
            "cchc.onestop.dossier",
            "create",
            {
                "procedure_id": data["procedure"],
                "agency_id": data["agency"],
                "applicant_name": f"Công dân {i}",
                "applicant_id_number": f"0792{i:08d}",
                "applicant_phone": "0909 000 000",
                "applicant_address": "Phường Thử tải",
            },
        )
        client.call("cchc.onestop.dossier", "action_receive", [dossier])
        data.setdefault("dossiers", []).append(dossier)

    def create_task(client, specs, i):
        client.call(
            "project.task", "create", {"name": f"Việc mới {i}", "project_id": data["plain_project"]}
        )

    def dashboard(client, specs, i):
        client.call(
            "cchc.plan.agency.stat", "web_read_group", [], ["agency_id"], ["agency_id"], lazy=False
        )

    def by_stage(client, specs, i):
        client.call(
            "project.task",
            "web_read_group",
            [("project_id", "=", data["plain_project"])],
            ["stage_id"],
            ["stage_id"],
            lazy=False,
        )

    return {
        "cchc_task_list": list_of("cchc_task_list", [("project_id", "=", data["project"])]),
        "odoo_task_list": list_of("odoo_task_list", [("project_id", "=", data["plain_project"])]),
        "cchc_task_form": form_of("cchc_task_form", tasks),
        "odoo_task_form": form_of("odoo_task_form", tasks),
        "dossier_form": form_of("dossier_form", data.setdefault("dossier_ids", [])),
        "partner_form": form_of("partner_form", [data["partner"]]),
        "receive_dossier": receive,
        "create_task": create_task,
        "plan_dashboard": dashboard,
        "tasks_by_stage": by_stage,
        "indicator_list": list_of("indicator_list", []),
        "partner_list": list_of("partner_list", []),
    }


def drive(clients, specs, func, users, seconds):
    latencies, errors = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(client, offset):
        i = offset
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                func(client, specs, i)
                with lock:
                    latencies.append(time.perf_counter() - start)
            except Exception as exc:  # counted, the run goes on
                with lock:
                    errors.append(str(exc)[:200])
            i += users

    threads = [threading.Thread(target=worker, args=(clients[k], k)) for k in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def request_queries(texts, offsets):
    """SQL queries of each request logged since ``offsets``, from the servers' request log."""
    counts = []
    for text, offset in zip(texts, offsets, strict=True):
        counts += [int(m.group(2)) for m in QUERY_COUNT.finditer(text[offset:])]
    return counts


def measure(cluster, db, data, levels, seconds, rows, rounds=4):
    base = f"http://127.0.0.1:{cluster.port}"
    clients = [cl.Client(base, db, login, login) for login in data["officers"][: max(levels)]]
    desks = [cl.Client(base, db, login, login) for login in data["desks"][: max(levels)]]
    for client in clients + desks:
        client.call("res.users", "read", [], ["name"])  # session warm on every node
    specs = {
        key: spec_from_view(clients[0], model, view, kind)
        for key, (model, view, kind) in data["views"].items()
    }
    funcs = screens(data)
    nodes = len(cluster.nodes)
    for users in levels:
        for _label, mine, theirs in PAIRS:
            # The two screens of a pair take turns in short slices: on a shared machine the
            # load of other jobs drifts, and both screens of a ratio should meet the same.
            runs = {key: ([], [], []) for key in (mine, theirs)}
            for _round in range(rounds):
                for key in (mine, theirs):
                    offsets = [len(t) for t in cluster.node_texts()]
                    who = desks if key == "receive_dossier" else clients
                    latencies, errors = drive(who, specs, funcs[key], users, seconds / rounds)
                    runs[key][0].extend(latencies)
                    runs[key][1].extend(errors)
                    runs[key][2].extend(request_queries(cluster.node_texts(), offsets))
            for key, (latencies, errors, queries) in runs.items():
                rows.append(
                    {
                        "screen": key,
                        "users": users,
                        "nodes": nodes,
                        "rps": len(latencies) / seconds,
                        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
                        "p95": (
                            sorted(latencies)[int(0.95 * (len(latencies) - 1))] * 1000
                            if latencies
                            else float("nan")
                        ),
                        "errors": len(errors),
                        "queries": statistics.median(queries) if queries else float("nan"),
                        "first_error": errors[0] if errors else "",
                    }
                )
                r = rows[-1]
                print(
                    f"{key:<18} {users:>3} users {nodes} node(s): {r['rps']:7.1f} req/s  "
                    f"p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  errors {r['errors']}  "
                    f"queries {r['queries']}",
                    flush=True,
                )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,5,20,50")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--nodes", default="1,2")
    parser.add_argument(
        "--rounds", type=int, default=4, help="turns the two screens of a pair take, each"
    )
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    odoo_args = opts.odoo_args[1:] if opts.odoo_args[:1] == ["--"] else opts.odoo_args
    levels = [int(x) for x in opts.levels.split(",")]
    import odoo

    odoo_bin = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
    db = odoo_args[odoo_args.index("-d") + 1]
    args = [a for i, a in enumerate(odoo_args) if a != "-d" and odoo_args[i - 1] != "-d"]
    odoo_cmd = shlex.join([sys.executable, str(odoo_bin), *args])
    rows: list[dict] = []
    data = None
    for nodes in [int(x) for x in opts.nodes.split(",")]:
        workdir = Path(tempfile.mkdtemp(prefix="cchc-bench-web-"))
        cluster = cl.Cluster(odoo_cmd, db, nodes, cl.free_port(), workdir)
        cluster.start()
        try:
            if data is None:
                admin = cl.Client(f"http://127.0.0.1:{cluster.port}", db, "admin", "admin")
                data = prepare(admin, levels)
                # a few received dossiers for the dossier form
                fn = screens(data)["receive_dossier"]
                desk = cl.Client(
                    f"http://127.0.0.1:{cluster.port}", db, data["desks"][0], data["desks"][0]
                )
                for i in range(5):
                    fn(desk, {}, 10_000 + i)
                data["dossier_ids"][:] = data["dossiers"]
            measure(cluster, db, data, levels, opts.seconds, rows, opts.rounds)
        finally:
            cluster.stop()
    report(rows, levels)
    return 0


def report(rows, levels):
    by = {(r["screen"], r["users"], r["nodes"]): r for r in rows}
    print("\nCCHC screen / Odoo's own: ratio of p50 latency (≤ 1.0 is the target), 1 node")
    print(f"{'screen':<36}" + "".join(f"{u:>9} u" for u in levels))
    for label, mine, theirs in PAIRS:
        cells = []
        for users in levels:
            a, b = by.get((mine, users, 1)), by.get((theirs, users, 1))
            cells.append(f"{a['p50'] / b['p50']:10.2f}" if a and b and b["p50"] else f"{'-':>10}")
        print(f"{label:<36}" + "".join(cells))
    print("\nthroughput of 2 nodes / 1 node at each level (target ≥ 1.7 at 20 users)")
    for _label, mine, theirs in PAIRS:
        for key in (mine, theirs):
            cells = []
            for users in levels:
                a, b = by.get((key, users, 2)), by.get((key, users, 1))
                cells.append(
                    f"{a['rps'] / b['rps']:10.2f}" if a and b and b["rps"] else f"{'-':>10}"
                )
            print(f"{key:<36}" + "".join(cells))
    errors = [r for r in rows if r["errors"]]
    print(
        f"\nerrors: {sum(r['errors'] for r in rows)}"
        + (f" (first: {errors[0]['screen']}: {errors[0]['first_error']})" if errors else "")
    )


if __name__ == "__main__":
    sys.exit(main())
