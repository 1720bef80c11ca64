"""Electronic exchange of documents between agencies: edXML packages (QCVN 102:2016).

One path serves every recipient: build → sign (the system's exchange key) → log → deliver →
verify → register. Each package to each recipient is one queue_job job: a recipient inside this
database gets it handed over by a job on the channel ``root.cchc_exchange.internal``, a
recipient on another system (a partner) gets it posted by HTTP from a job on the partner's own
channel, retried with growing delays. Every package sent or received is logged with its SHA-256,
the log entries chained by hash (``cchc_core.msglog``).
"""

import base64
import hashlib
import hmac
import logging
import time
import uuid
from datetime import timedelta
from functools import partial

import requests
from cryptography.hazmat.primitives import serialization

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.cchc_base.tools.protect import unlocked
from odoo.addons.cchc_base.tools.translate import translate
from odoo.addons.queue_job import delay as queue_delay
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.utils import must_run_without_delay

from cchc_core import edxml, msglog

from ..tools.exchange_common import (
    BUSINESS_SELECTION,
    INTERNAL_CHANNEL,
    REFUSED_KEEP_BYTES,
    REFUSED_LOG_PER_DAY,
    REPLAY_WINDOW,
    STATUS_SELECTION,
    request_signature,
)

_logger = logging.getLogger(__name__)

# The advisory lock that appends to the message log take in turn (any fixed 64-bit number no
# other code of the database uses).
LOG_LOCK = 0x43434843_4C4F4721
# Where a transaction that appended keeps its last entry (``cr.cache``, server side only).
LOG_HEAD_KEY = "cchc_exchange.log_head"
# Attempts of one delivery to a partner before its job fails (the retry pattern, with its
# growing delays, is on the job function: data/queue_job_function_data.xml).
MAX_ATTEMPTS = 10
# The fields of a log entry that its hash covers, or that name the package: never written again,
# not even by the exchange's own code.
LOGGED_FIELDS = frozenset(
    {
        "sequence",
        "direction",
        "kind",
        "partner_id",
        "sender_organ",
        "recipient_organ",
        "edxml_document_id",
        "status_code",
        "package",
        "package_sha256",
        "prev_hash",
        "entry_hash",
    }
)


class CchcExchangeMessage(models.Model):
    """The message log: every package sent or received, chained by hash. Only the exchange's
    own code writes it (``cchc.protected.mixin``), and it never deletes an entry."""

    _name = "cchc.exchange.message"
    _inherit = ["cchc.protected.mixin"]
    _description = "Exchange message"
    _order = "sequence desc"
    _rec_name = "sequence"

    sequence = fields.Integer(readonly=True, index=True, aggregator=False)
    direction = fields.Selection([("in", "Received"), ("out", "Sent")], required=True)
    kind = fields.Selection([("document", "Document"), ("status", "Status")], required=True)
    partner_id = fields.Many2one(
        "cchc.exchange.partner", index=True, help="Empty: an agency of this system."
    )
    sender_organ = fields.Char(string="From (identifier)")
    recipient_organ = fields.Char(string="To (identifier)")
    edxml_document_id = fields.Char(string="Document id (edXML)", index=True)
    status_code = fields.Selection(STATUS_SELECTION[3:], string="Status")
    business_type = fields.Selection(BUSINESS_SELECTION)
    # In the entry's own row (bytea), not in the filestore: an entry is written once, with its
    # package, and read back only to check the chain or to download it.
    package = fields.Binary(attachment=False, readonly=True)
    package_name = fields.Char(compute="_compute_package_name")
    package_sha256 = fields.Char(readonly=True, index=True)
    package_size = fields.Integer(readonly=True, help="Bytes of the whole package.")
    package_truncated = fields.Boolean(
        readonly=True,
        help="A refused package: only its hash and its first bytes are kept.",
    )
    prev_hash = fields.Char(readonly=True)
    entry_hash = fields.Char(readonly=True)
    weak_signature = fields.Boolean(help="The package was signed with SHA-1.")
    document_id = fields.Many2one("cchc.document", index=True, ondelete="set null")
    dispatch_id = fields.Many2one("cchc.document.dispatch", index=True, ondelete="set null")
    result = fields.Selection(
        [("accepted", "Accepted"), ("duplicate", "Duplicate"), ("refused", "Refused")],
        help="For a received package.",
    )
    reason = fields.Text()
    transport_state = fields.Selection(
        [
            ("queued", "Queued"),
            ("delivered", "Delivered"),
            ("retry", "Retrying"),
            ("failed", "Failed"),
        ],
        index=True,
        help="For a sent package.",
    )
    attempts = fields.Integer(readonly=True)
    last_error = fields.Text(
        string="Partner's answer", readonly=True, help="What the recipient or the network said."
    )
    job_uuid = fields.Char(readonly=True, index=True, copy=False)
    job_state = fields.Char(compute="_compute_job_state", string="Job")

    _sql_constraints = [
        ("sequence_unique", "UNIQUE(sequence)", "The log has one entry per sequence number."),
    ]

    # Every field: the log is written by the exchange's code only.
    _cchc_protected_fields = frozenset(
        LOGGED_FIELDS
        | {
            "package_size",
            "package_truncated",
            "weak_signature",
            "document_id",
            "dispatch_id",
            "result",
            "reason",
            "business_type",
            "transport_state",
            "attempts",
            "last_error",
            "job_uuid",
        }
    )

    def _auto_init(self):
        result = super()._auto_init()
        # The packages are signed XML with base64 inside: PostgreSQL's compression gains little
        # on them and costs each insert; stored out of line as they are.
        self.env.cr.execute(
            "ALTER TABLE cchc_exchange_message ALTER COLUMN package SET STORAGE EXTERNAL"
        )
        return result

    def _cchc_is_frozen(self):
        return True

    def _cchc_protection_hint(self):
        return self.env._("The message log is written by the exchange only.")

    def _cchc_frozen_hint(self):
        return self.env._("An entry of the message log is never changed or deleted.")

    def _compute_package_name(self):
        for message in self:
            document = (message.edxml_document_id or "").split(",")[-1].replace("/", "-")
            message.package_name = (
                f"{document or message.kind}-{message.recipient_organ or ''}-{message.sequence}"
                ".edxml"
            )

    def _compute_job_state(self):
        uuids = [uuid for uuid in self.mapped("job_uuid") if uuid]
        jobs = self.env["queue.job"].sudo().search([("uuid", "in", uuids)]) if uuids else []
        states = {job.uuid: job.state for job in jobs}
        for message in self:
            message.job_state = states.get(message.job_uuid, False)

    def write(self, vals):
        # The chained fields never change, whoever asks.
        if LOGGED_FIELDS & set(vals):
            raise UserError(self.env._("An entry of the message log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("An entry of the message log cannot be deleted."))

    # ---------------------------------------------------------------- the log

    @api.model
    def _head(self):
        """The last entry's sequence and hash, for the entry this transaction appends.

        Appends wait for each other on a transaction-level advisory lock: once it is granted,
        every earlier append is committed or rolled back. This transaction's snapshot may be
        older than the last of them (REPEATABLE READ; issuing signs for seconds before it
        appends, while the job runner keeps delivering), so the head is read here and in a
        new transaction too, and the later one is the head (this transaction's own earlier
        entries are seen only here). No shared row is updated: an append never fails on a
        concurrent update, where a locked head row made a long transaction fail on every try.

        Once this transaction has appended, it holds the lock until it ends and its last
        entry is the head: the next append only checks that this entry is still the last one
        it sees (one query, no second transaction). A savepoint rolled back since took the
        entry and the lock with it: the check fails and the head is read as above."""
        cr = self.env.cr
        last = SQL(
            "SELECT sequence, entry_hash FROM cchc_exchange_message "
            "WHERE sequence IS NOT NULL ORDER BY sequence DESC LIMIT 1"
        )
        appended = cr.cache.get(LOG_HEAD_KEY)
        if appended:
            cr.execute(last)
            if cr.fetchone() == appended:
                return appended
        cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", LOG_LOCK))
        cr.execute(last)
        heads = cr.fetchall()
        with self.env.registry.cursor() as other:
            other.execute(last)
            heads += other.fetchall()
        return max(heads, default=(0, msglog.GENESIS))

    def _appended(self, sequence, entry_hash):
        """Remember this transaction's last entry (and that it holds the lock) until it ends."""
        cr = self.env.cr
        if LOG_HEAD_KEY not in cr.cache:
            forget = partial(cr.cache.pop, LOG_HEAD_KEY, None)
            cr.postcommit.add(forget)
            cr.postrollback.add(forget)
        cr.cache[LOG_HEAD_KEY] = (sequence, entry_hash)

    @api.model
    def _log(self, vals, package, keep_package=True):
        """Append an entry: one at a time (``_head``), chained to the last.
        ``keep_package`` False keeps only the first bytes (a refused package)."""
        return self._log_many([(vals, package, keep_package)])

    @api.model
    def _log_many(self, items):
        """Append entries ``(vals, package, keep_package)`` in this order, chained one to the
        next after the head, created together (one insert for the entries, one for their
        packages)."""
        sequence, entry_hash = self._head()
        partners = self.env["cchc.exchange.partner"]
        vals_list = []
        for vals, package, keep_package in items:
            sequence += 1
            entry = msglog.Entry(
                sequence=sequence,
                direction=vals["direction"],
                kind=vals["kind"],
                partner=partners.browse(vals.get("partner_id")).code or "",
                sender=vals.get("sender_organ") or "",
                recipient=vals.get("recipient_organ") or "",
                document_id=vals.get("edxml_document_id") or "",
                status_code=vals.get("status_code") or "",
                package_sha256=hashlib.sha256(package).hexdigest(),
            )
            kept = package if keep_package else package[:REFUSED_KEEP_BYTES]
            prev, entry_hash = entry_hash, msglog.entry_hash(entry, entry_hash)
            vals_list.append(
                dict(
                    vals,
                    sequence=sequence,
                    package=base64.b64encode(kept),
                    package_size=len(package),
                    package_truncated=len(kept) < len(package),
                    package_sha256=entry.package_sha256,
                    prev_hash=prev,
                    entry_hash=entry_hash,
                )
            )
        with unlocked(self):
            messages = self.sudo().create(vals_list)
        self._appended(sequence, entry_hash)
        return messages

    def _write_transport(self, vals):
        with unlocked(self):
            self.sudo().write(vals)

    @api.model
    def verify_chain(self):
        """Check the whole log (entries and the packages kept whole); returns a
        :class:`msglog.ChainReport`."""
        # The log is read whole below (sudo): only those who may read it learn its state.
        self.browse().check_access("read")
        messages = self.sudo().search([], order="sequence")
        entries = []
        packages = {}
        for message in messages:
            entries.append(
                msglog.Entry(
                    sequence=message.sequence,
                    direction=message.direction,
                    kind=message.kind,
                    partner=message.partner_id.code or "",
                    sender=message.sender_organ or "",
                    recipient=message.recipient_organ or "",
                    document_id=message.edxml_document_id or "",
                    status_code=message.status_code or "",
                    package_sha256=message.package_sha256,
                    prev_hash=message.prev_hash,
                    entry_hash=message.entry_hash,
                )
            )
            if not message.package_truncated:
                packages[message.sequence] = base64.b64decode(message.package or b"")
        return msglog.verify_chain(entries, packages)

    def action_verify_chain(self):
        report = self.verify_chain()
        if report.ok:
            text = self.env._("The message log is intact: %s entries.", report.entries)
            kind = "success"
        else:
            text = self.env._(
                "The message log is broken at entry %(seq)s: %(why)s",
                seq=report.broken_at,
                why=translate(self.env, report.reason, "cchc_exchange", "cchc_esign"),
            )
            kind = "danger"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": text, "type": kind, "sticky": not report.ok},
        }

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/cchc.exchange.message/{self.id}/package/{self.package_name}"
            "?download=true",
        }

    def action_send_again(self):
        """The clerk sends a package that could not be delivered once more (a new job)."""
        for message in self:
            message.check_access("read")
            if message.direction != "out" or message.transport_state != "failed":
                raise UserError(
                    self.env._("Only a package that could not be delivered is sent again.")
                )
            message._check_sender_clerk()
            message._write_transport({"transport_state": "queued", "attempts": 0})
            if message.dispatch_id.state == "failed":
                with unlocked(message.dispatch_id):
                    message.dispatch_id.sudo().write(
                        {"state": "queued", "state_date": fields.Datetime.now()}
                    )
            message._enqueue_delivery()
        return True

    def _check_sender_clerk(self):
        """A clerk of the sending agency, or an administrator of the suite."""
        user = self.env.user
        if user.has_group("cchc_base.group_cchc_manager") or self.env.su:
            return
        agency = self.document_id.sudo().agency_id if self.kind == "document" else False
        if self.document_id and self.kind == "status":
            agency = self.document_id.sudo().receiving_agency_id or self.document_id.agency_id
        if not (user.has_group("cchc_base.group_cchc_clerk") and agency in user.cchc_agency_id):
            raise UserError(self.env._("Only a clerk of the sending agency sends it again."))

    # ---------------------------------------------------------------- sending

    @api.model
    def _send(self, package, vals, partner):
        """Log an outgoing package and queue its delivery (one job per package and
        recipient)."""
        return self._send_many([(package, vals)], partner)

    @api.model
    def _send_many(self, items, partner):
        """Log outgoing packages ``(package, vals)`` to one partner together, in this order,
        and queue the delivery of each (a job per package)."""
        messages = self._log_many(
            [(self._outgoing(vals, partner), package, True) for package, vals in items]
        )
        messages._enqueue_delivery(logged=True)
        return messages

    @api.model
    def _outgoing(self, vals, partner):
        """The log values of a package sent to ``partner`` (empty: an agency of this system),
        with the UUID of the job that will deliver it (``_enqueue_delivery``)."""
        return dict(
            vals,
            direction="out",
            partner_id=partner.id,
            transport_state="queued",
            job_uuid=str(uuid.uuid4()),
        )

    def _job_options(self):
        partner = self.partner_id
        return {
            "channel": partner._channel() if partner else INTERNAL_CHANNEL,
            "max_retries": MAX_ATTEMPTS,
            "description": self.env._(
                "Deliver %(kind)s %(doc)s to %(to)s",
                kind=self.kind,
                doc=self.edxml_document_id or "",
                to=self.recipient_organ or "",
            ),
        }

    def _enqueue_delivery(self, logged=False):
        """Queue the delivery of each entry: one queue_job job per entry (its channel, retries
        and description), the records created together. ``logged``: the entries were just
        logged with their job's UUID (``_outgoing``); else (sent again) a new job, its UUID
        written on the entry.

        The jobs are those ``with_delay()._deliver()`` makes and stores one by one, queue_job
        first looking each new job up by its UUID (one made a moment ago, so never found) and
        then inserting it: here they are inserted in one go, with the values queue_job's own
        ``Job.store`` writes."""
        # queue_job__no_delay would run the delivery inside the caller's transaction: whoever
        # sends it, the delivery stays a job of its own.
        messages = self.sudo().with_context(queue_job__no_delay=False)
        if must_run_without_delay(messages.env):
            # QUEUE_JOB__NO_DELAY in the environment: queue_job's own way (run at once).
            jobs = []
            for message in messages:
                jobs.append(message.with_delay(**message._job_options())._deliver())
                message._write_transport({"job_uuid": jobs[-1].uuid})
            return jobs
        # queue_job's Job as its delayables build it (the one its trap_jobs replaces in tests).
        jobs = [
            queue_delay.Job(
                message._deliver,
                job_uuid=message.job_uuid if logged else None,
                **message._job_options(),
            )
            for message in messages
        ]
        new = []
        for job in jobs:
            if "store" in vars(job):
                # A job whose storing was replaced (queue_job's trap_jobs in tests).
                job.store()
            else:
                new.append(job._store_values(create=True))
        if new:
            QueueJob = self.env["queue.job"]
            QueueJob.with_context(_job_edit_sentinel=QueueJob.EDIT_SENTINEL).sudo().create(new)
        if not logged:
            for message, job in zip(messages, jobs, strict=True):
                message._write_transport({"job_uuid": job.uuid})
        return jobs

    def _deliver(self):
        """The job: hand the package over to its recipient."""
        self.ensure_one()
        if self.transport_state == "delivered":
            return "already delivered"
        if self.partner_id:
            return self._deliver_to_partner()
        return self._deliver_internal()

    def _deliver_internal(self):
        """An agency of this system: received in this job's transaction. Its answers (statuses)
        are new packages, each its own job: no recursion, no transaction holding a chain."""
        answer = self.sudo()._receive(
            base64.b64decode(self.package), partner=self.env["cchc.exchange.partner"]
        )
        self._write_transport(
            {
                "transport_state": "delivered",
                "attempts": self.attempts + 1,
                "last_error": answer.get("reason") or False,
            }
        )
        self._after_delivery(answer)
        return answer["result"]

    def _deliver_to_partner(self):
        attempts = self.attempts + 1
        try:
            code, answer = self.partner_id._post(base64.b64decode(self.package))
        except requests.RequestException as exc:
            code, answer = None, {"reason": str(exc)}
        # 200: accepted or a duplicate; 422: refused for good (its status 02 follows). Anything
        # else did not reach a verdict: the job is tried again later.
        if code in (200, 422):
            self._write_transport(
                {
                    "transport_state": "delivered",
                    "attempts": attempts,
                    "last_error": answer.get("reason") or False,
                }
            )
            self._after_delivery(answer)
            return answer.get("result") or "delivered"
        reason = (
            f"HTTP {code}: {answer.get('reason') or ''}"
            if code
            else answer.get("reason") or "no answer"
        )
        _logger.info(
            "package %s to %s not delivered (attempt %s): %s",
            self.sequence,
            self.partner_id.code,
            attempts,
            reason,
        )
        # The job's own retry: 1, 2, 4 … minutes (the job function's retry pattern). What is
        # written here is rolled back with the attempt; the queue_job keeps the answer.
        raise RetryableJobError(reason)

    def _on_delivery_failed(self, exc_message=None):
        """Once the last attempt failed (``queue.job`` stored as failed, in the job runner's
        own transaction): the clerk sees the failure and the partner's answer on the document,
        and can send it again."""
        for message in self:
            reason = exc_message or ""
            message._write_transport(
                {
                    "transport_state": "failed",
                    "attempts": MAX_ATTEMPTS,
                    "last_error": reason,
                }
            )
            dispatch = message.dispatch_id
            if message.kind == "document" and dispatch:
                with unlocked(dispatch):
                    dispatch.sudo().write(
                        {"state": "failed", "state_date": fields.Datetime.now(), "reason": reason}
                    )
            if message.document_id:
                message.document_id.sudo().message_post(
                    body=self.env._(
                        "Not delivered to %(to)s: %(why)s",
                        to=(dispatch.recipient_agency_id.name if dispatch else "")
                        or message.recipient_organ,
                        why=reason,
                    )
                )

    def _after_delivery(self, answer):
        dispatch = self.dispatch_id
        if self.kind == "document" and dispatch and dispatch.state in ("queued", "failed"):
            with unlocked(dispatch):
                dispatch.sudo().write({"state": "sent", "state_date": fields.Datetime.now()})

    # ---------------------------------------------------------------- receiving

    @api.model
    def _authenticate(self, headers):
        """The partner of an HTTP request, from its headers alone (the body is not read yet):
        ``(partner, None)`` or ``(None, (HTTP status, answer))``."""
        code = headers.get("X-CCHC-Partner") or ""
        partner = self.env["cchc.exchange.partner"].sudo().search([("code", "=", code)], limit=1)
        timestamp = headers.get("X-CCHC-Timestamp") or ""
        nonce = headers.get("X-CCHC-Nonce") or ""
        signature = headers.get("X-CCHC-Signature") or ""
        body_sha = (headers.get("X-CCHC-Content-SHA256") or "").lower()
        if not (partner and partner.secret_encrypted and timestamp and nonce and body_sha):
            return None, (401, {"result": "refused", "reason": "unknown partner"})
        expected = request_signature(partner._secret(), timestamp, nonce, body_sha)
        if not hmac.compare_digest(expected, signature):
            return None, (401, {"result": "refused", "reason": "bad request signature"})
        try:
            age = abs(time.time() - int(timestamp))
        except ValueError:
            age = REPLAY_WINDOW + 1
        if age > REPLAY_WINDOW or len(nonce) > 64:
            return None, (403, {"result": "refused", "reason": "request outside the time window"})
        if not self.env["cchc.exchange.nonce"].sudo()._claim(partner, nonce):
            return None, (403, {"result": "refused", "reason": "replayed request"})
        return partner, None

    @api.model
    def _receive(self, package, partner, channel="exchange"):
        """Verify a package and act on it. Returns ``{"result", "reason", "status"}``.

        Refusals are logged (a package whose signature fails: its hash and first bytes only)
        and, where the sender is proven, answered with status 02; nothing else is written.
        ``partner`` is empty for an agency of this system or a file import."""
        return self._receive_many([package], partner, channel)[0]

    @api.model
    def _receive_many(self, packages, partner, channel="exchange"):
        """:meth:`_receive` of each package, in this order: the answer of each.

        Each package is verified and checked on its own, as if it came alone; the documents
        accepted one after the other are then registered together (one insert for their
        documents, one for their log entries and answers, one for the jobs of the answers, one
        for their notes). A status package, or a document that names one of those still to be
        registered (the same document id, or one it revokes or replaces), first registers
        those: what a package finds in the database is what it would find had each come
        alone."""
        roots, _intermediates, crls = self.env["cchc.trust.anchor"]._material()
        Document = self.env["cchc.document"].sudo()
        answers = [None] * len(packages)
        pending = []  # (index, package, verified) of documents checked, to register

        def register():
            for (index, *_rest), answer in zip(
                pending, Document._receive_packages(pending, partner, channel), strict=True
            ):
                answers[index] = answer
            pending.clear()

        for index, package in enumerate(packages):
            try:
                verified = edxml.verify(package, trust_roots=roots, crls=crls)
            except edxml.EdxmlError as exc:
                reason = translate(self.env, exc.args[0], "cchc_exchange", "cchc_esign")
                answers[index] = self._refuse_unverified(package, partner, reason)
                continue
            if partner.certificate_fingerprint and (
                hashlib.sha256(verified.certificate.public_bytes(serialization.Encoding.DER))
                .hexdigest()
                .lower()
                != partner.certificate_fingerprint.strip().lower()
            ):
                answers[index] = self._refuse_unverified(
                    package,
                    partner,
                    self.env._(
                        "the package is not signed with the certificate of %s", partner.name
                    ),
                )
                continue
            if verified.kind == "status":
                register()
                answers[index] = self._receive_status(package, verified, partner)
                continue
            if pending and Document._names_pending(verified.document, pending):
                register()
            pending.append((index, package, verified))
        register()
        return answers

    def _refuse_unverified(self, package, partner, reason):
        """A package whose signature or form fails: its sender is not proven, so no status
        goes to the agency it names; the log keeps its hash and first bytes, and beyond a daily
        number per partner only a count."""
        answer = {"result": "refused", "reason": reason, "status": "02"}
        if partner:
            partner = partner.sudo()
            today = fields.Datetime.now() - timedelta(days=1)
            logged = self.sudo().search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("direction", "=", "in"),
                    ("result", "=", "refused"),
                    ("package_truncated", "=", True),
                    ("create_date", ">=", today),
                ]
            )
            counts = {"refused_count": partner.refused_count + 1}
            if logged >= REFUSED_LOG_PER_DAY:
                counts["refused_unlogged"] = partner.refused_unlogged + 1
            partner.write(counts)
            if logged >= REFUSED_LOG_PER_DAY:
                return answer
        self._log(
            {
                "direction": "in",
                "kind": "document",
                "partner_id": partner.id,
                "result": "refused",
                "reason": reason,
            },
            package,
            keep_package=False,
        )
        return answer

    def _receive_status(self, package, verified, partner):
        status = verified.status
        sha = hashlib.sha256(package).hexdigest()
        if self.sudo().search_count([("package_sha256", "=", sha), ("direction", "=", "in")]):
            return {"result": "duplicate", "reason": "", "status": status.status_code}
        Document = self.env["cchc.document"].sudo()
        vals = {
            "direction": "in",
            "kind": "status",
            "partner_id": partner.id,
            "sender_organ": status.sender.organ_id,
            "recipient_organ": status.recipient_organ_id,
            "edxml_document_id": status.document_id,
            "status_code": status.status_code,
            "weak_signature": verified.weak,
        }
        if status.status_code == "13":
            # The sender asks for its document back (Nghị định 30/2020, art. 18).
            incoming = Document._find_incoming(
                status.recipient_organ_id, status.sender, status.document_id, partner
            )
            vals.update(result="accepted", document_id=incoming.id)
            self._log(vals, package)
            incoming._recall_requested(status, partner)
            return {"result": "accepted", "reason": "", "status": "13"}
        dispatch = (
            self.env["cchc.document.dispatch"]
            .sudo()
            ._find(status.document_id, status.sender.organ_id, partner)
        )
        if not dispatch:
            reason = self.env._(
                "no document %(doc)s was sent to %(organ)s",
                doc=status.document_id,
                organ=status.sender.organ_id,
            )
            self._log(dict(vals, result="refused", reason=reason), package)
            return {"result": "refused", "reason": reason, "status": False}
        self._log(
            dict(
                vals,
                result="accepted",
                dispatch_id=dispatch.id,
                document_id=dispatch.document_id.id,
                reason=status.description or False,
            ),
            package,
        )
        dispatch._apply_status(status)
        return {"result": "accepted", "reason": "", "status": status.status_code}
