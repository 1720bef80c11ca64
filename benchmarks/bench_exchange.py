"""edXML packages in Odoo with queue_job: receive and send (rolled back).

Run with `make bench-exchange` (10,000 packages), or directly:

    python benchmarks/bench_exchange.py --packages 10000 -- <odoo options: -d DB ...>
    python benchmarks/bench_exchange.py --quick -- …   # 1,000 packages, for iterations

Builds 2 × N signed packages from agencies of this system to 20 recipient agencies, each
carrying a PDF signed by a leader and sealed (PAdES).

Receive: N packages are handed to the receiving path one by one, as a partner's request or the
internal delivery job does (`cchc.exchange.message._receive`): package signature, both PDF
signatures, duplicate checks, registration in the incoming register, statuses 01 and 03 built,
signed, logged and queued as jobs (queue_job records, one per status). The other N are received
``--batch`` at a time (`_receive_many`), as the import of a ZIP of packages does: the same
checks for each, the documents, log entries, jobs and notes of a batch inserted together. Send:
N packages to a partner are logged and queued (one job each), then the jobs are performed as the
job runner does (loaded from the database, performed, stored done) with the partner's HTTP
endpoint answering 200 in-process. Prints packages per second and per CPU-second next to the
pure parts (package verification, PDF verification) measured in the same run. Nothing is
committed.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import date


def signed_pdf(demo):
    from reportlab.pdfgen import canvas

    from cchc_core import pades

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, "QUYET DINH benchmark")
    page.showPage()
    page.save()
    data = pades.sign_pdf(
        out.getvalue(), demo.signer("leader"), field_name="ChuKyLanhDao", box=(320, 90, 540, 170)
    )
    return pades.sign_pdf(
        data, demo.signer("seal"), field_name="ChuKyCoQuan", box=pades.seal_box((320, 90, 540, 170))
    )


def cpu_seconds(cr):
    """(this process, the PostgreSQL backend serving ``cr``) CPU seconds so far: the rate per
    core, which a machine shared with other runs changes far less than the wall-clock rate.
    The backend's from /proc (a server on this machine), else None."""
    import os

    cr.execute("SELECT pg_backend_pid()")
    try:
        with open(f"/proc/{cr.fetchone()[0]}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        backend = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        backend = None
    return time.process_time(), backend


def per_core(before, after, n):
    """Packages per CPU-second of this process and its PostgreSQL backend together."""
    client = after[0] - before[0]
    if before[1] is None or after[1] is None:
        return f"{n / client:8.1f} packages per CPU-second (this process; server not measured)"
    server = after[1] - before[1]
    return (
        f"{n / (client + server):8.1f} packages per CPU-second ({1000 * client / n:.1f} ms "
        f"Python + {1000 * server / n:.1f} ms PostgreSQL per package)"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", type=int, default=10000)
    parser.add_argument("--quick", action="store_true", help="1,000 packages")
    parser.add_argument("--profile", action="store_true", help="profile the ingest loop")
    parser.add_argument(
        "--batch", type=int, default=20, help="packages received together in the second pass"
    )
    parser.add_argument(
        "--one-by-one-only",
        action="store_true",
        help="stop after receiving one by one (with --profile: profile that path alone)",
    )
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    odoo_args = opts.odoo_args[1:] if opts.odoo_args[:1] == ["--"] else opts.odoo_args

    import base64

    from cryptography.hazmat.primitives import serialization

    import odoo
    from odoo import SUPERUSER_ID, api

    from cchc_core import edxml, pades, pki

    odoo.tools.config.parse_config(odoo_args)
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    n = 1000 if opts.quick else opts.packages
    import os
    from unittest.mock import patch

    from odoo.addons.queue_job.job import Job

    os.environ.setdefault("CCHC_SECRET_KEY", "bench-secret-key")
    with tempfile.TemporaryDirectory() as directory, registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        demo = pki.generate_demo_pki(directory, "bench", agency="UBND tỉnh Benchmark")
        pem = serialization.Encoding.PEM
        env["cchc.trust.anchor"].create(
            [
                {
                    "name": "Root",
                    "kind": "root",
                    "certificate": base64.b64encode(demo.root.certificate.public_bytes(pem)),
                },
                {
                    "name": "CA",
                    "kind": "intermediate",
                    "certificate": base64.b64encode(
                        demo.intermediate.certificate.public_bytes(pem)
                    ),
                    "crl": base64.b64encode(demo.crl.public_bytes(serialization.Encoding.DER)),
                },
            ]
        )
        env["cchc.exchange.key"].search([]).active = False
        env["cchc.exchange.key"].create(
            {
                "code": "BENCH",
                "pkcs12": base64.b64encode(demo.pkcs12("exchange")),
                "passphrase": "bench",
            }
        )
        province = env["cchc.agency"].create(
            {"name": "UBND tỉnh Benchmark", "identifier": "Q98", "kind": "province_committee"}
        )
        recipients = env["cchc.agency"].create(
            [
                {"name": f"Sở Nhận {i:02d}", "identifier": f"Q98.{i:02d}", "parent_id": province.id}
                for i in range(1, 21)
            ]
        )
        pdf = signed_pdf(demo)
        signer = demo.signer("exchange")

        t0 = time.perf_counter()
        packages = [
            edxml.sign_document(
                edxml.Document(
                    sender=edxml.Organization("Q98", "UBND tỉnh Benchmark"),
                    recipients=(
                        edxml.Organization(recipients[i % 20].identifier, recipients[i % 20].name),
                    ),
                    document_id=f"Q98,2026/11/20,{i + 1}/QĐ-UBND",
                    code_number=str(i + 1),
                    code_notation="QĐ-UBND",
                    place="Benchmark",
                    promulgation_date=date(2026, 11, 20),
                    type_code=1,
                    type_name="Quyết định",
                    subject=f"Quyết định số {i + 1} về việc benchmark",
                    attachments=(edxml.Attachment("1", "qd.pdf", "application/pdf", pdf),),
                ),
                signer,
            )
            for i in range(2 * n)
        ]
        build = (time.perf_counter() - t0) / 2
        roots = [demo.root.certificate]
        t0, c0 = time.perf_counter(), time.process_time()
        for package in packages[: min(n, 2000)]:
            edxml.verify(package, trust_roots=roots)
        verify_rate = min(n, 2000) / (time.perf_counter() - t0)
        verify_cpu = min(n, 2000) / (time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(min(n, 500)):
            pades.verify_pdf(pdf, roots, [demo.crl])
        pdf_rate = min(n, 500) / (time.perf_counter() - t0)
        pdf_cpu = min(n, 500) / (time.process_time() - c0)

        Message = env["cchc.exchange.message"]
        partner = env["cchc.exchange.partner"]

        def ingest(packages, batch):
            """Receive ``packages``, ``batch`` at a time: (seconds, per-core line, SQL per
            package, answers)."""
            profiler = None
            if opts.profile:
                import cProfile

                # CPU time of this process: time spent waiting for PostgreSQL (or for the
                # cores others use) is not this process's cost.
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
            queries = cr.sql_log_count
            cpu0 = cpu_seconds(cr)
            t0 = time.perf_counter()
            results = {}
            for start in range(0, len(packages), batch):
                for answer in Message._receive_many(packages[start : start + batch], partner):
                    results[answer["result"]] = results.get(answer["result"], 0) + 1
            env.flush_all()
            seconds = time.perf_counter() - t0
            line = per_core(cpu0, cpu_seconds(cr), len(packages))
            sql = (cr.sql_log_count - queries) / len(packages)
            if profiler:
                import pstats

                profiler.disable()
                if os.environ.get("PDUMP"):
                    profiler.dump_stats(os.environ["PDUMP"])
                pstats.Stats(profiler).sort_stats(
                    os.environ.get("PSORT", "cumulative")
                ).print_stats(int(os.environ.get("PTOP", "45")))
            return seconds, line, sql, results

        ingest_time, ingest_cpu, ingest_sql, results = ingest(packages[:n], 1)
        if opts.one_by_one_only:
            print(f"ingest one by one, per core: {ingest_cpu}")
            cr.rollback()
            return 0
        together_time, together_cpu, together_sql, together_results = ingest(
            packages[n:], opts.batch
        )
        registered = env["cchc.document"].search_count(
            [("direction", "=", "in"), ("edxml_sender_organ", "=", "Q98")]
        )
        status_jobs = env["queue.job"].search_count(
            [("model_name", "=", "cchc.exchange.message"), ("state", "=", "pending")]
        )

        # Send: log + queue one job per package, then perform the jobs as the runner does.
        partner = env["cchc.exchange.partner"].create(
            {"name": "Bench", "code": "BENCHP", "url": "http://127.0.0.1:9/x", "secret": "s"}
        )
        env["cchc.agency"].create(
            {"name": "Tỉnh đối tác", "identifier": "Q97", "exchange_partner_id": partner.id}
        )

        class Answer:
            status_code = 200

            def json(self):
                return {"result": "accepted", "status": "03"}

        queries = cr.sql_log_count
        cpu0 = cpu_seconds(cr)
        t0 = time.perf_counter()
        sent = Message
        for i, package in enumerate(packages[:n]):
            sent |= Message._send(
                package,
                {"kind": "document", "recipient_organ": "Q97", "edxml_document_id": f"s-{i}"},
                partner,
            )
        env.flush_all()
        enqueue = time.perf_counter() - t0
        enqueue_sql = (cr.sql_log_count - queries) / n
        queries = cr.sql_log_count
        t0 = time.perf_counter()
        with patch(
            "odoo.addons.cchc_exchange.models.cchc_exchange_partner.requests.post",
            lambda *a, **kw: Answer(),
        ):
            for message in sent:
                job = Job.load(env, message.job_uuid)
                job.set_started()
                job.store()
                job.perform()
                job.set_done()
                job.store()
        env.flush_all()
        perform = time.perf_counter() - t0
        perform_sql = (cr.sql_log_count - queries) / n
        send_cpu = per_core(cpu0, cpu_seconds(cr), n)
        delivered = Message.search_count(
            [("id", "in", sent.ids), ("transport_state", "=", "delivered")]
        )
        t0 = time.perf_counter()
        report = Message.verify_chain()
        chain = time.perf_counter() - t0
        cr.rollback()

    print(
        f"packages: {n}, each with a PDF signed twice ({len(pdf):,} bytes); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"build + sign packages:      {n / build:10.1f} /s")
    print(
        f"package verification alone: {verify_rate:10.1f} /s (pure; {verify_cpu:.1f} per "
        "CPU-second)"
    )
    print(
        f"PDF verification alone:     {pdf_rate:10.1f} /s (pure, two signatures; {pdf_cpu:.1f} "
        "per CPU-second)"
    )
    print(
        "ingest one by one, as a partner's request or an internal delivery job (verify package "
        f"+ PDF, register, statuses 01/03 back): {n / ingest_time:8.1f} packages/s, "
        f"{ingest_time:.1f} s for {n}"
    )
    print(f"  per core: {ingest_cpu}")
    print(f"  SQL queries per package received: {ingest_sql:.1f}")
    print(
        f"ingest {opts.batch} at a time, as a ZIP of packages is imported (the same work): "
        f"{n / together_time:8.1f} packages/s, {together_time:.1f} s for {n}"
    )
    print(f"  per core: {together_cpu}")
    print(f"  SQL queries per package received: {together_sql:.1f}")
    print(
        f"  registered: {registered}, answers: {results} one by one, {together_results} "
        f"together; status jobs queued: {status_jobs}"
    )
    print(
        f"send (log + queue one job per package): {n / enqueue:8.1f} packages/s; jobs performed "
        f"(load, post, store): {n / perform:8.1f} /s; together {n / (enqueue + perform):8.1f} "
        f"packages/s ({delivered} delivered)"
    )
    print(f"  per core: {send_cpu}")
    print(
        f"  SQL queries per package: {enqueue_sql:.1f} to log and queue, {perform_sql:.1f} "
        "to perform its job"
    )
    print(
        f"  share of the time in pure verification: "
        f"{(n / verify_rate + n / pdf_rate) / ingest_time:.0%} one by one, "
        f"{(n / verify_rate + n / pdf_rate) / together_time:.0%} together"
        f"; receive at most {1 / (1 / verify_cpu + 1 / pdf_cpu):.1f} packages per CPU-second "
        "with verification alone"
    )
    print(f"message log check ({report.entries} entries, intact={report.ok}): {chain:.1f} s")
    return 0 if registered == 2 * n and report.ok and delivered == n else 1


if __name__ == "__main__":
    sys.exit(main())
