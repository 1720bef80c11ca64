import base64
import hashlib
import shutil
import subprocess
import tempfile
from datetime import timedelta
from unittest.mock import patch

from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase
from odoo.addons.cchc_base.tools.protect import unlocked
from odoo.addons.cchc_esign.tests.test_document import PASSPHRASE, b64, one_page_pdf
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from cchc_core import pades

from ..models.cchc_document_archive import ARCHIVE_CHANNEL
from .test_exchange import ExchangeFixtures

REFUSED_TSA = "http://127.0.0.1:9/tsa"


class ArchiveFixtures(ExchangeFixtures):
    """Documents issued and received here; a local TSA of the demo CA (its root publishes a
    CRL, so the chain of a time-stamp can be validated when it is renewed)."""

    @classmethod
    def _setup_archive(cls):
        cls._setup_exchange()
        cls.root.crl = base64.b64encode(cls.pki.root_crl.public_bytes(serialization.Encoding.DER))
        cls.tsa = pades.local_timestamper(cls.pki.tsa_certificate, cls.pki.tsa_key, cls.pki.chain)

    def _local_tsa(self):
        tsa = self.tsa
        return patch.object(type(self.env["cchc.document"]), "_cchc_timestamper", lambda _s: tsa)

    def _pdf(self, doc):
        doc.invalidate_recordset()
        return base64.b64decode(doc.pdf)

    def _job_docs(self, trap):
        return self.env["cchc.document"].union(
            *[
                job.recordset
                for job in trap.enqueued_jobs
                if job.method_name == "_archive_timestamp"
            ]
        )


@tagged("post_install", "-at_install")
class TestArchiveTimestamp(ArchiveFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_archive()

    def setUp(self):
        super().setUp()
        self.trap = self.enterContext(trap_jobs())
        self.out = self._issued(self.other_agency)  # T02 receives it in this system
        self.incoming = self._incoming(self.out)
        self.trap.enqueued_jobs = []

    def test_cron_queues_exactly_the_due_documents_once(self):
        unsigned = self._document()  # approved, not signed: nothing to archive
        renewed = self._issued(self.env["cchc.agency"])
        later = self._issued(self.env["cchc.agency"])
        now = fields.Datetime.now()
        with unlocked(renewed | later):
            renewed.write({"archive_renew_by": now - timedelta(days=1)})
            later.write({"archive_renew_by": now + timedelta(days=30)})
        self.trap.enqueued_jobs = []
        Document = self.env["cchc.document"]
        with self._local_tsa():
            Document._cron_archive_timestamps()
            Document._cron_archive_timestamps()  # the same day again: nothing queued twice
        docs = self._job_docs(self.trap)
        self.assertEqual(len(docs), len(self.trap.enqueued_jobs))
        expected = self.out | self.incoming | renewed
        self.assertEqual(docs & (expected | unsigned | later), expected)
        self.assertEqual(docs, Document.sudo().search(Document._archive_due_domain()))
        for job in self.trap.enqueued_jobs:
            self.assertEqual(job.channel, ARCHIVE_CHANNEL)
            self.assertEqual(job.identity_key, f"cchc_archive_timestamp:{job.recordset.id}")
        self.assertEqual(self.incoming.state, "registered")

    def test_cron_without_tsa_queues_nothing(self):
        self.assertFalse(self.env["ir.config_parameter"].sudo().get_param("cchc_esign.tsa_url"))
        self.assertEqual(self.env["cchc.document"]._cron_archive_timestamps(), 0)
        self.assertFalse(self.trap.enqueued_jobs)

    def test_job_stamps_the_pdf(self):
        before = self._pdf(self.out)
        self.assertIsNone(pades.archive_state(before).timestamp)
        with self._local_tsa():
            self.env["cchc.document"]._cron_archive_timestamps()
            jobs = [j for j in self.trap.enqueued_jobs if j.recordset == self.out]
            self.assertEqual(len(jobs), 1)
            jobs[0].perform()
        after = self._pdf(self.out)
        self.assertTrue(after.startswith(before))  # a new revision: what was signed stays
        state = pades.archive_state(after)
        self.assertIsNotNone(state.timestamp)
        self.assertFalse(state.due)
        now = fields.Datetime.now()
        self.assertGreater(self.out.archive_renew_by, now)
        self.assertEqual(self.out.archive_renew_by, state.renew_by.replace(tzinfo=None))
        self.assertEqual(self.out.archive_tsa, state.tsa_name)
        self.assertEqual(self.out.pdf_sha256, hashlib.sha256(after).hexdigest())
        self.assertEqual(self.out.state, "issued")
        roots, _intermediates, crls = self.env["cchc.trust.anchor"]._material()
        report = pades.verify_pdf(after, roots, crls)
        self.assertEqual(report.verdict, "valid")
        kinds = [s.kind for s in report.signatures]
        self.assertEqual(kinds.count(pades.KIND_DOCUMENT_TIMESTAMP), 1)
        self.assertEqual(kinds.count(pades.KIND_SIGNATURE), 2)
        self.assertEqual(self.out.verdict, "valid")
        self.assertIn("B-LTA", self.out.message_ids[0].body)
        # Poppler (installed by `make setup`: missing fails) still accepts both signatures.
        pdfsig = shutil.which("pdfsig")
        self.assertTrue(pdfsig, "pdfsig is not installed: `make setup` installs it")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(after)
            handle.flush()
            done = subprocess.run(
                [pdfsig, "-nocert", handle.name], capture_output=True, text=True, timeout=120
            )
        self.assertEqual(done.stdout.count("Signature is Valid."), 2, done.stdout)
        self.assertNotIn("Signature is Invalid", done.stdout)
        # The hash check of every download accepts the new PDF.
        self.assertEqual(self.out._pdf_checked(), after)
        # Archived: the next runs leave it alone until its renewal is due.
        self.trap.enqueued_jobs = []
        with self._local_tsa():
            self.env["cchc.document"]._cron_archive_timestamps()
        self.assertIn(self.incoming, self._job_docs(self.trap))
        self.assertNotIn(self.out, self._job_docs(self.trap))

    def test_renewal_adds_a_second_time_stamp(self):
        with self._local_tsa():
            self.out._archive_timestamp()
            first = self.out.archive_timestamp
            with unlocked(self.out):
                self.out.write({"archive_renew_by": fields.Datetime.now() - timedelta(hours=1)})
            self.trap.enqueued_jobs = []
            self.env["cchc.document"]._cron_archive_timestamps()
            [job] = [j for j in self.trap.enqueued_jobs if j.recordset == self.out]
            job.perform()
        data = self._pdf(self.out)
        roots, _intermediates, crls = self.env["cchc.trust.anchor"]._material()
        report = pades.verify_pdf(data, roots, crls)
        self.assertEqual(report.verdict, "valid")
        stamps = [s for s in report.signatures if s.kind == pades.KIND_DOCUMENT_TIMESTAMP]
        self.assertEqual(len(stamps), 2)
        self.assertGreaterEqual(self.out.archive_timestamp, first)
        self.assertGreater(self.out.archive_renew_by, fields.Datetime.now())

    def test_failing_tsa_is_retried_and_changes_nothing(self):
        before = self._pdf(self.out)
        sha, messages = self.out.pdf_sha256, len(self.out.message_ids)
        refused = RequestsHTTPTimeStamper(REFUSED_TSA, timeout=2)
        with patch.object(type(self.out), "_cchc_timestamper", lambda _s: refused):
            self.env["cchc.document"]._cron_archive_timestamps()
            [job] = [j for j in self.trap.enqueued_jobs if j.recordset == self.out]
            with self.assertRaises(RetryableJobError):
                job.perform()
        self.assertEqual(self._pdf(self.out), before)
        self.assertEqual(self.out.pdf_sha256, sha)
        self.assertFalse(self.out.archive_timestamp or self.out.archive_renew_by)
        self.assertEqual(len(self.out.message_ids), messages)

    def test_tsa_certificate_expiring_soon_is_refused(self):
        before, sha = self._pdf(self.out), self.out.pdf_sha256
        real = pades.archive_state
        # As if the TSA's certificate expired within the renewal margin.
        century = timedelta(days=36500)
        with (
            self._local_tsa(),
            patch.object(pades, "archive_state", lambda pdf, **kw: real(pdf, margin=century)),
            self.assertRaisesRegex(UserError, "too soon for archiving"),
        ):
            self.out._archive_timestamp()
        self.assertEqual(self._pdf(self.out), before)
        self.assertEqual(self.out.pdf_sha256, sha)
        self.assertFalse(self.out.archive_renew_by)

    def test_archive_on_demand_checks_the_role(self):
        with self._local_tsa():
            for user in (self.drafter, self.leader, self.clerk_b):
                with self.assertRaises(AccessError):
                    self.out.with_user(user).action_add_archive_timestamp()
            self.assertFalse(self.out.archive_timestamp)
            self.out.with_user(self.clerk).action_add_archive_timestamp()
            self.assertTrue(self.out.archive_timestamp)
            # Already archived, not due yet.
            with self.assertRaises(UserError):
                self.out.with_user(self.clerk).action_add_archive_timestamp()
            # A received document: the receiving agency's clerk archives it.
            with self.assertRaises(AccessError):
                self.incoming.with_user(self.clerk).action_add_archive_timestamp()
            self.incoming.with_user(self.clerk_b).action_add_archive_timestamp()
            self.assertIsNotNone(pades.archive_state(self._pdf(self.incoming)).timestamp)
            unsigned = self._document()
            with self.assertRaises(UserError):
                unsigned.with_user(self.clerk).action_add_archive_timestamp()
        self.assertEqual(self.out.message_ids[0].author_id, self.clerk.partner_id)

    def test_administrator_archives_and_a_pending_job_does_not_stamp_twice(self):
        manager = self._user("ar_manager", "cchc_base.group_cchc_manager", self.other_agency)
        with self._local_tsa():
            self.env["cchc.document"]._cron_archive_timestamps()
            [job] = [j for j in self.trap.enqueued_jobs if j.recordset == self.out]
            self.out.with_user(manager).action_add_archive_timestamp()
            archived = self._pdf(self.out)
            self.assertFalse(job.perform())  # archived meanwhile: nothing more to do
        self.assertEqual(self._pdf(self.out), archived)


@tagged("post_install", "-at_install")
class TestArchiveQueue(ArchiveFixtures, TransactionCase):
    """The jobs really stored: a document waiting for its job is not queued again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_archive()

    def test_identity_key_in_the_queue(self):
        with trap_jobs():
            doc = self._document(recipient_agency_ids=[Command.set(self.external.ids)])
            doc.with_user(self.leader)._sign_as_leader(
                self.certs["leader"].with_user(self.leader), PASSPHRASE
            )
            doc.with_user(self.clerk)._issue_with_seal(self.certs["seal"], PASSPHRASE)
        Job = self.env["queue.job"]
        mine = [
            ("model_name", "=", "cchc.document"),
            ("method_name", "=", "_archive_timestamp"),
        ]
        with self._local_tsa():
            self.env["cchc.document"]._cron_archive_timestamps()
            self.env["cchc.document"]._cron_archive_timestamps()
        jobs = Job.search(mine)
        self.assertIn(doc, jobs.records)
        self.assertEqual(len(jobs.filtered(lambda j: j.records == doc)), 1)
        self.assertEqual(len(jobs), len(jobs.records))
        job = jobs.filtered(lambda j: j.records == doc)
        self.assertEqual(job.channel, ARCHIVE_CHANNEL)
        self.assertEqual(job.state, "pending")
        # Once it ran (failed or done), the next day's cron may queue the document again.
        job.state = "failed"
        with self._local_tsa():
            self.env["cchc.document"]._cron_archive_timestamps()
        self.assertEqual(len(Job.search(mine).filtered(lambda j: j.records == doc)), 2)


@tagged("post_install", "-at_install")
class TestArchiveOverRpc(ArchiveFixtures, RpcCase):
    """The archived PDF, its hash and the archive fields are written by the job only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_archive()
        with trap_jobs():
            doc = cls._issued_document_cls(name="Quyết định lưu trữ")
        with patch.object(type(doc), "_cchc_timestamper", lambda _s: cls.tsa):
            doc._archive_timestamp()
        cls.doc = doc
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.password = cls.admin.login

    def test_archived_document_stays_frozen(self):
        doc = self.doc
        pdf, sha, renew = doc.pdf, doc.pdf_sha256, doc.archive_renew_by
        self.assertTrue(renew)
        forged = b64(one_page_pdf("giả mạo")).decode()
        for user in (self.clerk, self.admin):
            self.rpc_login(user)
            for context in (None, OLD_GUARD_KEYS):
                for vals in (
                    {"pdf": forged},
                    {"pdf_sha256": "0" * 64},
                    {"archive_renew_by": "2099-01-01 00:00:00"},
                    {"archive_timestamp": "2020-01-01 00:00:00"},
                    {"archive_tsa": "forged"},
                ):
                    self.assertRpcRefused(
                        "cchc.document", "write", [doc.ids, vals], context=context
                    )
                self.assertRpcRefused("cchc.document", "_archive_timestamp", [doc.ids])
                self.assertRpcRefused("cchc.document", "_cron_archive_timestamps", [])
            # Nor through the attachment that holds the PDF.
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "cchc.document"),
                        ("res_field", "=", "pdf"),
                        ("res_id", "=", doc.id),
                    ]
                )
            )
            self.assertEqual(len(attachment), 1)
            for context in (None, OLD_GUARD_KEYS):
                self.assertRpcRefused(
                    "ir.attachment", "write", [attachment.ids, {"datas": forged}], context=context
                )
                self.assertRpcRefused("ir.attachment", "unlink", [attachment.ids], context=context)
        doc.invalidate_recordset()
        self.assertEqual((doc.pdf, doc.pdf_sha256, doc.archive_renew_by), (pdf, sha, renew))
        self.assertEqual(doc._pdf_checked(), base64.b64decode(pdf))

    def test_archive_action_refused_to_other_roles(self):
        fresh = self._approved_document_cls(name="Quyết định lưu trữ")
        fresh.with_user(self.leader)._sign_as_leader(
            self.certs["leader"].with_user(self.leader), PASSPHRASE
        )
        with trap_jobs():
            fresh.with_user(self.clerk)._issue_with_seal(self.certs["seal"], PASSPHRASE)
        for user in (self.drafter, self.leader, self.clerk_b):
            self.rpc_login(user)
            for context in (None, OLD_GUARD_KEYS):
                self.assertRpcRefused(
                    "cchc.document", "action_add_archive_timestamp", [fresh.ids], context=context
                )
        fresh.invalidate_recordset()
        self.assertFalse(fresh.archive_timestamp)
        self.rpc_login(self.clerk)
        with patch.object(type(fresh), "_cchc_timestamper", lambda _s: self.tsa):
            self.assertRpcOk("cchc.document", "action_add_archive_timestamp", [fresh.ids])
        fresh.invalidate_recordset()
        self.assertTrue(fresh.archive_timestamp)
        self.assertEqual(fresh.pdf_sha256, hashlib.sha256(base64.b64decode(fresh.pdf)).hexdigest())
