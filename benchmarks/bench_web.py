"""Officers' screens over HTTP next to Odoo's own comparable screens, on one node and on two.

    make bench-web [ARGS="--levels 1,5,20,50 --seconds 10"]

Starts the bench database on 1 prefork node, then on 2 nodes behind HAProxy
(``tools/cluster.py``), creates a 400-task plan, a plain Odoo project of 400 tasks, officers,
desks and invoicing clerks with sessions of their own and received dossiers, and drives each
screen the way the web client loads it (``get_views`` once, then ``web_search_read`` /
``web_read`` / ``web_read_group`` with the fields of the view; a dossier saved then received,
an invoice saved then confirmed) with 1, 5, 20 and 50 concurrent users. Prints, per screen,
users and nodes: requests/s, p50 and p95 latency, errors, SQL queries per request (from the
server's request log), CPU milliseconds per request of the nodes, of the database's PostgreSQL
backends, of HAProxy and of the load generator (from /proc), and the CCHC/Odoo ratio of p50
latency per pair of screens. The screens of a pair take turns (``--rounds`` slices of
``--seconds`` each), so they meet the same background load on a shared machine. Targets: every
CCHC screen ≤ 1.0× its Odoo counterpart; two nodes ≥ 1.7× the throughput of one at 20 users;
0 errors. On a 2-core machine the load generator, PostgreSQL and both nodes share the same
cores, so the wall-clock two-node figure says more about contention than about scaling: the
CPU each tier used per request with one node and with two is printed beside it, with the
speed-up it projects for nodes on machines of their own (labelled as a projection).
"""

from __future__ import annotations

import argparse
import os
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

# Odoo's line when it runs a request again after a serialization failure or a deadlock.
REPLAY = "tries left, try again in"
QUERY_COUNT = re.compile(r'"POST /web/dataset/call_kw/(\S+?) HTTP/[\d.]+" \d+ - (\d+) ')

# (label, CCHC screen, Odoo's own comparable screen, further references printed beside it)
PAIRS = [
    ("task list, 80 rows", "cchc_task_list", "odoo_task_list", ()),
    ("task form", "cchc_task_form", "odoo_task_form", ()),
    ("dossier form / partner form", "dossier_form", "partner_form", ()),
    # Receiving is a form saved, then a button that gives the record a gapless number: so is
    # a customer invoice (saved, then Confirm takes the journal's next number). A task's
    # creation (one request, no number) is printed beside it as a second reference.
    ("receive a dossier / post an invoice", "receive_dossier", "post_invoice", ("create_task",)),
    ("plan dashboard / tasks by stage", "plan_dashboard", "tasks_by_stage", ()),
    ("indicators / partners list", "indicator_list", "partner_list", ()),
]
# Whose sessions drive a screen (officers otherwise).
DRIVERS = {"receive_dossier": "desks", "post_invoice": "billers"}
CLK_TCK = os.sysconf("SC_CLK_TCK")
# The cores a node's machine would have in the projection: one per HTTP worker (--workers=2).
NODE_CORES = 2


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


def free_identifier(admin):
    """A province identifier no agency has had: the bench runs again on the same database,
    beside the agencies (and the dossier codes, made from the identifier) of earlier runs."""
    used = {
        row["identifier"]
        for row in admin.call(
            "cchc.agency",
            "search_read",
            [("identifier", "!=", False)],
            fields=["identifier"],
            context={"active_test": False},
        )
    }
    for letter in "CDEFGKLMNPQRSTUVXYZ":
        for number in range(98, 9, -1):
            candidate = f"{letter}{number}"
            if candidate not in used and f"{candidate}.01" not in used:
                return candidate
    raise RuntimeError("no free agency identifier left in the bench database")


def prepare(admin, levels):
    data = cl.prepare(
        admin, desks=max(levels), officers=max(levels), identifier=free_identifier(admin)
    )
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
    # Invoicing clerks (Odoo's "Billing" group) with their own sessions, for the invoice journey.
    internal = admin.xmlid("base.group_user")
    billing = admin.xmlid("account.group_account_invoice")
    billers = [f"ke_toan{i}_{os.getpid()}" for i in range(max(levels))]
    for login in billers:
        cl.make_user(admin, login, [internal, billing], data["agency"])
    customer = admin.call("res.partner", "create", {"name": "Công ty Khách hàng", "city": "Huế"})
    data.update(
        project=project,
        plain_project=plain,
        partner=partners[0],
        billers=billers,
        customer=customer,
    )
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

    def post_invoice(client, specs, i):
        move = client.call(
            "account.move",
            "create",
            {
                "move_type": "out_invoice",
                "partner_id": data["customer"],
                "invoice_line_ids": [
                    (0, 0, {"name": f"Phí dịch vụ {i}", "quantity": 1, "price_unit": 150000})
                ],
            },
        )
        client.call("account.move", "action_post", [move])

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
        "post_invoice": post_invoice,
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


def cpu_sample(cluster, db):
    """CPU seconds used so far by each node (all processes of its group: master, HTTP and cron
    workers, gevent, job runner; the workers already gone counted in their master's), by
    HAProxy, and by the PostgreSQL backends connected to ``db``, read from /proc."""
    groups = {proc.pid: k for k, proc in enumerate(cluster.procs)}  # the nodes, then HAProxy
    ticks = [0] * len(cluster.procs)
    backends = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
            head, _, tail = stat.rpartition(")")
            fields = tail.split()
            # fields[2]: process group; [11:15]: utime, stime, cutime, cstime
            if int(fields[2]) in groups:
                ticks[groups[int(fields[2])]] += sum(int(x) for x in fields[11:15])
            elif head.endswith("(postgres"):
                with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                    title = f.read().decode(errors="replace")
                if f" {db} " in title:
                    backends[int(entry.name)] = int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            continue  # a process that ended while being read
    return {
        "nodes": [t / CLK_TCK for t in ticks[:-1]],
        "proxy": ticks[-1] / CLK_TCK,
        "pg": {pid: t / CLK_TCK for pid, t in backends.items()},
        "client": time.process_time(),
    }


def cpu_used(before, after):
    """CPU seconds between two samples: nodes (sum), proxy, PostgreSQL, load generator."""
    return {
        "nodes": sum(after["nodes"]) - sum(before["nodes"]),
        "proxy": after["proxy"] - before["proxy"],
        # a backend that appeared meanwhile counts from 0
        "pg": sum(t - before["pg"].get(pid, 0.0) for pid, t in after["pg"].items()),
        "client": after["client"] - before["client"],
    }


def measure(cluster, db, data, levels, seconds, rows, rounds=4):
    base = f"http://127.0.0.1:{cluster.port}"
    clients = [cl.Client(base, db, login, login) for login in data["officers"][: max(levels)]]
    drivers = {
        kind: [cl.Client(base, db, login, login) for login in data[kind][: max(levels)]]
        for kind in set(DRIVERS.values())
    }
    for client in clients + [c for who in drivers.values() for c in who]:
        client.call("res.users", "read", [], ["name"])  # session warm on every node
    specs = {
        key: spec_from_view(clients[0], model, view, kind)
        for key, (model, view, kind) in data["views"].items()
    }
    funcs = screens(data)
    nodes = len(cluster.nodes)
    for users in levels:
        for _label, mine, theirs, refs in PAIRS:
            # The screens of a pair take turns in short slices: on a shared machine the load
            # of other jobs drifts, and both screens of a ratio should meet the same.
            keys = (mine, theirs, *refs)
            runs = {key: ([], [], [], [], []) for key in keys}
            for _round in range(rounds):
                for key in keys:
                    offsets = [len(t) for t in cluster.node_texts()]
                    who = drivers[DRIVERS[key]] if key in DRIVERS else clients
                    before = cpu_sample(cluster, db)
                    latencies, errors = drive(who, specs, funcs[key], users, seconds / rounds)
                    runs[key][3].append(cpu_used(before, cpu_sample(cluster, db)))
                    runs[key][0].extend(latencies)
                    runs[key][1].extend(errors)
                    texts = cluster.node_texts()
                    runs[key][2].extend(request_queries(texts, offsets))
                    runs[key][4].append(
                        sum(t[o:].count(REPLAY) for t, o in zip(texts, offsets, strict=True))
                    )
            for key, (latencies, errors, queries, cpu, replays) in runs.items():
                done = len(latencies) or 1
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
                        "replays": sum(replays),
                        # CPU milliseconds per journey (a receipt or an invoice is two requests)
                        **{
                            f"cpu_{part}": sum(c[part] for c in cpu) * 1000 / done
                            for part in ("nodes", "proxy", "pg", "client")
                        },
                    }
                )
                r = rows[-1]
                print(
                    f"{key:<18} {users:>3} users {nodes} node(s): {r['rps']:7.1f} req/s  "
                    f"p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  errors {r['errors']}  "
                    f"replays {r['replays']}  "
                    f"queries {r['queries']}  CPU ms/req: nodes {r['cpu_nodes']:.1f} "
                    f"PostgreSQL {r['cpu_pg']:.1f} HAProxy {r['cpu_proxy']:.1f} "
                    f"load {r['cpu_client']:.1f}",
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

    def ratio(a, b, field):
        return f"{a[field] / b[field]:10.2f}" if a and b and b[field] else f"{'-':>10}"

    print("\nCCHC screen / Odoo's own: ratio of p50 latency (≤ 1.0 is the target), 1 node")
    print(f"{'screen':<44}" + "".join(f"{u:>9} u" for u in levels))
    for label, mine, theirs, refs in PAIRS:
        for other in (theirs, *refs):
            cells = [ratio(by.get((mine, u, 1)), by.get((other, u, 1)), "p50") for u in levels]
            name = label if other == theirs else f"  (reference: / {other})"
            print(f"{name:<44}" + "".join(cells))
    print("\nthroughput of 2 nodes / 1 node at each level, wall clock (target ≥ 1.7 at 20 users)")
    for key in screen_keys():
        cells = [ratio(by.get((key, u, 2)), by.get((key, u, 1)), "rps") for u in levels]
        print(f"{key:<44}" + "".join(cells))
    report_projection(by, levels)
    replayed = {}
    for r in rows:
        if r["replays"]:
            replayed[r["screen"]] = replayed.get(r["screen"], 0) + r["replays"]
    print(
        "\nrequests Odoo ran again after a serialization failure: "
        + (", ".join(f"{key} {n}" for key, n in replayed.items()) or "none")
    )
    errors = [r for r in rows if r["errors"]]
    print(
        f"\nerrors: {sum(r['errors'] for r in rows)}"
        + (f" (first: {errors[0]['screen']}: {errors[0]['first_error']})" if errors else "")
    )


def screen_keys():
    return [key for _label, mine, theirs, refs in PAIRS for key in (mine, theirs, *refs)]


def report_projection(by, levels):
    """Two nodes on machines of their own, projected from the CPU each tier used per request.

    On a shared 2-core machine the wall clock of two nodes measures contention. What is
    measurable is the work: CPU seconds per request of the nodes, of PostgreSQL and of HAProxy
    with one node and with two. If the nodes are the bottleneck and each has a machine of
    NODE_CORES cores, one node serves NODE_CORES / n1 requests per second and two serve
    2 · NODE_CORES / n2 (n2: both nodes' CPU per request), a speed-up of 2 · n1 / n2; what the
    second node costs in coordination (shared sessions, cache invalidation, the job runner's
    lock) shows as n2 > n1. PostgreSQL then needs (throughput × its CPU per request) cores."""
    users = 20 if 20 in levels else max(levels)
    if not any(by.get((key, users, 2)) for key in screen_keys()):
        return
    print(
        f"\nCPU ms per request at {users} users, 1 node → 2 nodes (nodes' sum; PostgreSQL backends"
        " of the database; HAProxy), and a PROJECTION, not a measurement: speed-up of two nodes"
        f" on machines of their own ({NODE_CORES} cores each) = 2 × node CPU(1) / node CPU(2),"
        " and the PostgreSQL cores that two such nodes would keep busy"
    )
    print(
        f"{'screen':<18}{'nodes':>16}{'PostgreSQL':>16}{'HAProxy':>13}"
        f"{'projected 2/1':>15}{'PG cores':>10}"
    )
    for key in screen_keys():
        one, two = by.get((key, users, 1)), by.get((key, users, 2))
        if not (one and two and two["cpu_nodes"] > 0):
            continue
        speedup = 2 * one["cpu_nodes"] / two["cpu_nodes"]
        throughput = 2 * NODE_CORES / (two["cpu_nodes"] / 1000)
        pg_cores = throughput * two["cpu_pg"] / 1000
        print(
            f"{key:<18}{one['cpu_nodes']:7.1f} → {two['cpu_nodes']:5.1f}"
            f"{one['cpu_pg']:7.1f} → {two['cpu_pg']:5.1f}"
            f"{one['cpu_proxy']:5.1f} → {two['cpu_proxy']:4.1f}"
            f"{speedup:14.2f}×{pg_cores:10.2f}"
        )


if __name__ == "__main__":
    sys.exit(main())
