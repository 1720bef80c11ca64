"""Electronic exchange of documents between agencies: edXML packages (QCVN 102:2016).

One path serves every recipient: build → sign (the system's exchange key) → log → send →
verify → register. A recipient inside this database gets the package handed over in-process; a
recipient on another system (a partner) gets it by HTTP from the transport cron, with retries.
Every package sent or received is logged with its SHA-256, the log entries chained by hash
(``cchc_core.msglog``).
"""

import base64
import hashlib
import hmac
import json
import logging
import secrets
import time
from datetime import timedelta

import requests
from cryptography.hazmat.primitives import serialization

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from cchc_core import edxml, msglog, pki

from .cchc_certificate import translate

_logger = logging.getLogger(__name__)

# Requests older or newer than this (seconds) are refused; nonces are kept this long and more.
REPLAY_WINDOW = 300
MAX_ATTEMPTS = 10
# The fields of a log entry that its hash covers, or that name the package: never written again.
LOGGED_FIELDS = {
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
# Any lock number of our own: the log is appended one entry at a time.
LOG_LOCK = 0x43434843  # "CCHC"
STATUS_SELECTION = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Not delivered"),
    ("01", "Arrived"),
    ("02", "Refused"),
    ("03", "Registered"),
    ("04", "Assigned"),
    ("05", "Processing"),
    ("06", "Completed"),
    ("13", "Recall requested"),
    ("15", "Recalled"),
    ("16", "Recall refused"),
]
BUSINESS_SELECTION = [
    ("0", "New"),
    ("1", "Revocation"),
    ("2", "Update"),
    ("3", "Replacement"),
]


def request_signature(secret, timestamp, nonce, body):
    """The HMAC a partner puts on an HTTP request: over the time, the nonce and the body."""
    message = f"{timestamp}\n{nonce}\n{hashlib.sha256(body).hexdigest()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class ExchangeRefusal(Exception):
    """A package refused: ``reason`` is shown to people and sent back in status 02."""

    def __init__(self, reason, status=None):
        super().__init__(reason)
        self.reason = reason
        self.status = status  # the status code to send back, "02" when the protocol has one


class CchcExchangeKey(models.Model):
    """The key with which this system signs the packages it sends (not a person's key: it
    signs automatically, like a server certificate; only administrators can read it)."""

    _name = "cchc.exchange.key"
    _description = "Exchange key of this system"

    name = fields.Char(compute="_compute_name", store=True)
    code = fields.Char(
        required=True,
        help="How partners know this system: the code they configure for it (e.g. H62).",
    )
    pkcs12 = fields.Binary(
        string="Key file (PKCS#12)", attachment=False, required=True, groups="base.group_system"
    )
    passphrase = fields.Char(groups="base.group_system", required=True)
    certificate = fields.Binary(readonly=True, attachment=False)
    fingerprint = fields.Char(readonly=True)
    not_after = fields.Datetime(readonly=True)
    active = fields.Boolean(default=True)

    @api.depends("code", "fingerprint")
    def _compute_name(self):
        for key in self:
            key.name = f"{key.code} ({(key.fingerprint or '')[:16]})"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.update(self._describe(vals.get("pkcs12"), vals.get("passphrase")))
        return super().create(vals_list)

    def write(self, vals):
        if {"pkcs12", "passphrase"} & set(vals):
            for key in self:
                key_vals = dict(vals)
                key_vals.update(
                    self._describe(
                        vals.get("pkcs12") or key.sudo().pkcs12,
                        vals.get("passphrase") or key.sudo().passphrase,
                    )
                )
                super(CchcExchangeKey, key).write(key_vals)
            return True
        return super().write(vals)

    @api.model
    def _describe(self, pkcs12, passphrase):
        """The certificate fields of a key file, or a translated error when it cannot be
        unlocked or cannot sign."""
        try:
            signer = pki.load_signer(base64.b64decode(pkcs12 or b""), passphrase or "")
            pki.check_signing_certificate(signer.certificate)
        except pki.SigningError as exc:
            raise ValidationError(translate(self.env, exc.args[0])) from None
        return {
            "certificate": base64.b64encode(
                signer.certificate.public_bytes(serialization.Encoding.PEM)
            ),
            "fingerprint": signer.fingerprint,
            "not_after": signer.certificate.not_valid_after_utc.replace(tzinfo=None),
        }

    @api.model
    def _current(self):
        key = self.sudo().search([], limit=1, order="id desc")
        if not key:
            raise UserError(
                self.env._(
                    "This system has no exchange key: an administrator sets one in "
                    "Configuration > Exchange key of this system."
                )
            )
        return key

    def _signer(self):
        """The unlocked key, kept in memory per key and version: unlocking a PKCS#12 costs
        ~40 ms (its key derivation), more than building, signing and sending a package."""
        self.ensure_one()
        return self._cached_signer(self.id, str(self.sudo().write_date))

    @tools.ormcache("key_id", "version")
    def _cached_signer(self, key_id, version):
        key = self.sudo().browse(key_id)
        try:
            return pki.load_signer(base64.b64decode(key.pkcs12), key.passphrase)
        except pki.SigningError as exc:
            raise ValidationError(translate(self.env, exc.args[0])) from None


class CchcExchangePartner(models.Model):
    """Another system that exchanges packages with this one (another province, a ministry, the
    national exchange platform)."""

    _name = "cchc.exchange.partner"
    _description = "Exchange partner"
    _order = "name"

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        help="The partner's own code: it sends it in the X-CCHC-Partner header.",
    )
    url = fields.Char(
        string="Endpoint",
        help="Where packages for this partner are posted, e.g. "
        "https://vanban.example.gov.vn/cchc_esign/edxml",
    )
    host_header = fields.Char(
        string="Virtual host",
        help="The Host header to send when the partner's server serves several databases by "
        "name (dbfilter) behind one address. Usually empty.",
    )
    secret = fields.Char(
        string="Shared secret",
        groups="base.group_system",
        copy=False,
        help="Both systems sign their HTTP requests with it (HMAC-SHA256).",
    )
    certificate_fingerprint = fields.Char(
        help="SHA-256 of the partner's exchange certificate. When set, packages from this "
        "partner must be signed with exactly that certificate (besides chaining to a trust "
        "anchor)."
    )
    agency_ids = fields.One2many(
        "cchc.agency", "exchange_partner_id", string="Agencies reached through it"
    )
    timeout = fields.Integer(default=30, help="Seconds to wait for the partner's answer.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "Another partner already has this code."),
    ]

    def action_new_secret(self):
        for partner in self:
            partner.sudo().secret = secrets.token_urlsafe(32)

    def _post(self, body):
        """Send one package; returns the partner's JSON answer or raises with the reason."""
        self.ensure_one()
        key = self.env["cchc.exchange.key"]._current()
        secret = self.sudo().secret
        if not (self.url and secret):
            raise UserError(self.env._("Partner %s has no endpoint or secret.", self.name))
        timestamp = str(int(time.time()))
        nonce = secrets.token_hex(16)
        headers = {"Host": self.host_header} if self.host_header else {}
        response = requests.post(
            self.url,
            data=body,
            headers={
                **headers,
                "Content-Type": "application/xml",
                "X-CCHC-Partner": key.code,
                "X-CCHC-Timestamp": timestamp,
                "X-CCHC-Nonce": nonce,
                "X-CCHC-Signature": request_signature(secret, timestamp, nonce, body),
            },
            timeout=self.timeout or 30,
        )
        try:
            answer = response.json()
        except ValueError:
            answer = {"result": "error", "reason": response.text[:500]}
        # 200: accepted or a duplicate; 422: refused for good (its status 02 follows). Anything
        # else did not reach a verdict: the transport tries again.
        if response.status_code not in (200, 422):
            raise UserError(
                self.env._(
                    "HTTP %(code)s from %(partner)s: %(reason)s",
                    code=response.status_code,
                    partner=self.name,
                    reason=answer.get("reason") or "",
                )
            )
        return answer


class CchcExchangeNonce(models.Model):
    """Nonces of recent requests: a request seen once is refused the second time."""

    _name = "cchc.exchange.nonce"
    _description = "Exchange request nonce"
    _log_access = False

    partner_id = fields.Many2one("cchc.exchange.partner", required=True, ondelete="cascade")
    nonce = fields.Char(required=True)
    seen_at = fields.Datetime(required=True, index=True)

    _sql_constraints = [
        ("nonce_unique", "UNIQUE(partner_id, nonce)", "This request was already received."),
    ]

    @api.model
    def _claim(self, partner, nonce):
        """True the first time a partner's nonce is seen (one INSERT, race-free)."""
        self.env.cr.execute(
            SQL(
                "INSERT INTO cchc_exchange_nonce (partner_id, nonce, seen_at) "
                "VALUES (%s, %s, now() at time zone 'UTC') "
                "ON CONFLICT (partner_id, nonce) DO NOTHING RETURNING id",
                partner.id,
                nonce,
            )
        )
        return bool(self.env.cr.fetchone())

    @api.autovacuum
    def _gc_nonces(self):
        limit = fields.Datetime.now() - timedelta(seconds=REPLAY_WINDOW * 4)
        self.env.cr.execute(SQL("DELETE FROM cchc_exchange_nonce WHERE seen_at < %s", limit))


class CchcExchangeMessage(models.Model):
    """The message log: every package sent or received, chained by hash."""

    _name = "cchc.exchange.message"
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
    package = fields.Binary(attachment=True, readonly=True)
    package_name = fields.Char(compute="_compute_package_name")
    package_sha256 = fields.Char(readonly=True, index=True)
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
    next_attempt = fields.Datetime(readonly=True, index=True)
    last_error = fields.Text(readonly=True)

    _sql_constraints = [
        ("sequence_unique", "UNIQUE(sequence)", "The log has one entry per sequence number."),
    ]

    def _compute_package_name(self):
        for message in self:
            document = (message.edxml_document_id or "").split(",")[-1].replace("/", "-")
            message.package_name = (
                f"{document or message.kind}-{message.recipient_organ or ''}-{message.sequence}"
                ".edxml"
            )

    def write(self, vals):
        # The chained fields never change; only the transport's bookkeeping does.
        if LOGGED_FIELDS & set(vals):
            raise UserError(self.env._("An entry of the message log cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("An entry of the message log cannot be deleted."))

    # ---------------------------------------------------------------- the log

    @api.model
    def _log(self, vals, package):
        """Append an entry: one at a time (a transaction-level lock), chained to the last."""
        self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", LOG_LOCK))
        self.env.cr.execute(
            SQL(
                "SELECT sequence, entry_hash FROM cchc_exchange_message "
                "ORDER BY sequence DESC LIMIT 1"
            )
        )
        last = self.env.cr.fetchone()
        sequence, prev = (last[0] + 1, last[1]) if last else (1, msglog.GENESIS)
        partner = self.env["cchc.exchange.partner"].browse(vals.get("partner_id"))
        entry = msglog.Entry(
            sequence=sequence,
            direction=vals["direction"],
            kind=vals["kind"],
            partner=partner.code or "",
            sender=vals.get("sender_organ") or "",
            recipient=vals.get("recipient_organ") or "",
            document_id=vals.get("edxml_document_id") or "",
            status_code=vals.get("status_code") or "",
            package_sha256=hashlib.sha256(package).hexdigest(),
        )
        return self.sudo().create(
            dict(
                vals,
                sequence=sequence,
                package=base64.b64encode(package),
                package_sha256=entry.package_sha256,
                prev_hash=prev,
                entry_hash=msglog.entry_hash(entry, prev),
            )
        )

    @api.model
    def verify_chain(self):
        """Check the whole log (entries and packages); returns a :class:`msglog.ChainReport`."""
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
                why=translate(self.env, report.reason),
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

    # ---------------------------------------------------------------- sending

    @api.model
    def _send(self, package, vals, partner):
        """Log an outgoing package and deliver it: at once inside this system, by the
        transport cron to a partner."""
        message = self._log(
            dict(vals, direction="out", partner_id=partner.id, transport_state="queued"),
            package,
        )
        if not partner:
            message._deliver_internal()
        else:
            message.sudo().write({"next_attempt": fields.Datetime.now()})
        return message

    def _deliver_internal(self):
        self.ensure_one()
        answer = (
            self.env["cchc.exchange.message"]
            .sudo()
            ._receive(base64.b64decode(self.package), partner=self.env["cchc.exchange.partner"])
        )
        self.sudo().write(
            {
                "transport_state": "delivered",
                "attempts": 1,
                "last_error": answer.get("reason") or False,
            }
        )
        self._after_delivery(answer)

    def _after_delivery(self, answer):
        if self.kind == "document" and self.dispatch_id and self.dispatch_id.state == "queued":
            self.dispatch_id.sudo().state = "sent"

    @api.model
    def _cron_send(self, limit=200):
        """The transport: post queued packages to partners, retrying with growing delays."""
        now = fields.Datetime.now()
        messages = self.sudo().search(
            [
                ("direction", "=", "out"),
                ("partner_id", "!=", False),
                ("transport_state", "in", ("queued", "retry")),
                ("next_attempt", "<=", now),
            ],
            order="sequence",
            limit=limit,
        )
        for message in messages:
            message._post_to_partner()

    def _post_to_partner(self):
        self.ensure_one()
        attempts = self.attempts + 1
        try:
            answer = self.partner_id._post(base64.b64decode(self.package))
        except (requests.RequestException, UserError) as exc:
            reason = exc.args[0] if exc.args else repr(exc)
            failed = attempts >= MAX_ATTEMPTS
            self.write(
                {
                    "attempts": attempts,
                    "transport_state": "failed" if failed else "retry",
                    "last_error": str(reason),
                    # 1, 2, 4 … minutes, at most an hour.
                    "next_attempt": fields.Datetime.now()
                    + timedelta(minutes=min(2 ** (attempts - 1), 60)),
                }
            )
            if failed and self.dispatch_id:
                self.dispatch_id.state = "failed"
                self.dispatch_id.document_id.sudo().message_post(
                    body=self.env._(
                        "Not delivered to %(agency)s after %(n)s attempts: %(why)s",
                        agency=self.dispatch_id.recipient_agency_id.name,
                        n=attempts,
                        why=reason,
                    )
                )
            _logger.info(
                "package %s to %s not delivered: %s", self.sequence, self.partner_id.code, reason
            )
            return
        self.write(
            {
                "attempts": attempts,
                "transport_state": "delivered",
                "last_error": answer.get("reason") or False,
            }
        )
        self._after_delivery(answer)

    # ---------------------------------------------------------------- receiving

    @api.model
    def _http_receive(self, headers, body):
        """An HTTP request from a partner: (status code, JSON answer)."""
        code = headers.get("X-CCHC-Partner") or ""
        partner = self.env["cchc.exchange.partner"].sudo().search([("code", "=", code)], limit=1)
        secret = partner.secret if partner else None
        timestamp = headers.get("X-CCHC-Timestamp") or ""
        nonce = headers.get("X-CCHC-Nonce") or ""
        signature = headers.get("X-CCHC-Signature") or ""
        if not (partner and secret and timestamp and nonce):
            return 401, {"result": "refused", "reason": "unknown partner"}
        expected = request_signature(secret, timestamp, nonce, body)
        if not hmac.compare_digest(expected, signature):
            return 401, {"result": "refused", "reason": "bad request signature"}
        try:
            age = abs(time.time() - int(timestamp))
        except ValueError:
            age = REPLAY_WINDOW + 1
        if age > REPLAY_WINDOW or len(nonce) > 64:
            return 403, {"result": "refused", "reason": "request outside the time window"}
        if not self.env["cchc.exchange.nonce"].sudo()._claim(partner, nonce):
            return 403, {"result": "refused", "reason": "replayed request"}
        answer = self.sudo()._receive(body, partner=partner)
        return (422 if answer["result"] == "refused" else 200), answer

    @api.model
    def _receive(self, package, partner, channel="exchange"):
        """Verify a package and act on it. Returns ``{"result", "reason", "status"}``.

        Refusals are logged and, where the sender is known, answered with status 02; nothing
        else is written. ``partner`` is empty for an agency of this system or a file import."""
        roots, _intermediates, crls = self.env["cchc.trust.anchor"]._material()
        try:
            verified = edxml.verify(package, trust_roots=roots, crls=crls)
        except edxml.EdxmlError as exc:
            reason = translate(self.env, exc.args[0])
            return self._refuse_unverified(package, partner, reason)
        if partner.certificate_fingerprint and (
            hashlib.sha256(verified.certificate.public_bytes(serialization.Encoding.DER))
            .hexdigest()
            .lower()
            != partner.certificate_fingerprint.strip().lower()
        ):
            return self._refuse_unverified(
                package,
                partner,
                self.env._("the package is not signed with the certificate of %s", partner.name),
            )
        if verified.kind == "status":
            return self._receive_status(package, verified, partner)
        return (
            self.env["cchc.document"].sudo()._receive_package(package, verified, partner, channel)
        )

    def _refuse_unverified(self, package, partner, reason):
        """A package whose signature or form fails: logged as refused; status 02 goes back
        when its sender can be read from it."""
        try:
            parsed = edxml.parse(package)
        except edxml.EdxmlError:
            parsed = None
        vals = {
            "kind": "status" if isinstance(parsed, edxml.Status) else "document",
            "partner_id": partner.id,
            "result": "refused",
            "reason": reason,
        }
        if isinstance(parsed, edxml.Document):
            vals.update(
                sender_organ=parsed.sender.organ_id,
                recipient_organ=",".join(r.organ_id for r in parsed.recipients),
                edxml_document_id=parsed.document_id,
            )
        self._log(dict(vals, direction="in"), package)
        if isinstance(parsed, edxml.Document):
            self.env["cchc.document"].sudo()._send_refusal(parsed, partner, reason)
        return {"result": "refused", "reason": reason, "status": "02"}

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


def json_answer(answer):
    return json.dumps(answer, ensure_ascii=False)
