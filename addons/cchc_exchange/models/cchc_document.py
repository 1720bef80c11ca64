"""Documents travelling as edXML packages: dispatch per recipient, receipt, handling, statuses,
recall, and the indicators of the 100% electronic-document targets."""

import base64
import hashlib
import logging
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.cchc_base.tools.protect import unlocked
from odoo.addons.cchc_base.tools.translate import sentence, translate
from odoo.addons.cchc_esign.models.cchc_document import SIGNED_FIELDS

from cchc_core import edxml, pades, pki

from ..tools.exchange_common import (
    BUSINESS_SELECTION,
    ExchangeRefusal,
    canonical_or_none,
)

_logger = logging.getLogger(__name__)

PRIORITIES = {"normal": 0, "urgent": 1, "very_urgent": 2, "express": 3}
# The activities the exchange schedules (assign, handle) and removes again: of their own type,
# so that the To-Dos people set on a received document are left alone.
HANDLING_ACTIVITY = "cchc_exchange.mail_activity_type_incoming_document"
# Statuses that the receiving side's handling sends back, in order.
HANDLING_STATES = [
    ("registered", "Registered"),
    ("assigned", "Assigned"),
    ("processing", "Processing"),
    ("completed", "Completed"),
    ("recalled", "Recalled by the sender"),
    ("replaced", "Replaced"),
    ("revoked", "Revoked"),
]
# Written by the exchange only: where a document came from and how its handling goes.
EXCHANGE_FIELDS = frozenset(
    {
        "edxml_document_id",
        "edxml_sender_organ",
        "origin_code",
        "signer_name",
        "signer_competence",
        "exchange_partner_id",
        "handling_state",
        "handler_id",
        "handling_unit",
        "handling_deadline",
        "completed_date",
        "handling_result",
    }
)


class CchcDocument(models.Model):
    _name = "cchc.document"
    _inherit = "cchc.document"

    edxml_document_id = fields.Char(string="Exchange id", readonly=True, copy=False, index=True)
    edxml_sender_organ = fields.Char(string="Sender identifier", readonly=True, copy=False)
    origin_code = fields.Char(
        string="Sender's number", readonly=True, copy=False, help="For a received document."
    )
    signer_name = fields.Char(string="Signed by (sender)", readonly=True, copy=False)
    signer_competence = fields.Char(
        string="Signing capacity (sender)",
        readonly=True,
        copy=False,
        help="As the sender's package states it (edXML Competence): TM. ỦY BAN NHÂN DÂN, "
        "KT. CHỦ TỊCH…",
    )
    exchange_partner_id = fields.Many2one(
        "cchc.exchange.partner", string="Received through", readonly=True, copy=False
    )
    dispatch_ids = fields.One2many("cchc.document.dispatch", "document_id")
    business_type = fields.Selection(BUSINESS_SELECTION, default="0", required=True)
    supersedes_id = fields.Many2one(
        "cchc.document",
        string="Revokes, updates or replaces",
        copy=False,
        help="The document this one revokes, updates or replaces.",
    )
    handling_state = fields.Selection(HANDLING_STATES, readonly=True, copy=False, tracking=True)
    handler_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    handling_unit = fields.Char(readonly=True, copy=False)
    handling_deadline = fields.Date(readonly=True, copy=False, tracking=True)
    completed_date = fields.Date(readonly=True, copy=False)
    handling_result = fields.Text(string="Result of the handling", readonly=True, copy=False)
    handling_overdue = fields.Boolean(
        string="Overdue handling",
        compute="_compute_handling_overdue",
        search="_search_handling_overdue",
        help="Still being handled after its handling deadline.",
    )
    is_receiving_leader = fields.Boolean(
        string="Leader of the receiving agency", compute="_compute_handling_rights"
    )
    may_handle = fields.Boolean(string="May handle", compute="_compute_handling_rights")

    def _compute_handling_overdue(self):
        today = fields.Date.context_today(self)
        for doc in self:
            doc.handling_overdue = bool(
                doc.handling_state in ("assigned", "processing")
                and doc.handling_deadline
                and doc.handling_deadline < today
            )

    def _search_handling_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on the overdue flag."))
        domain = [
            ("handling_state", "in", ("assigned", "processing")),
            ("handling_deadline", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends_context("uid")
    @api.depends("receiving_agency_id", "handler_id")
    def _compute_handling_rights(self):
        for doc in self:
            doc.is_receiving_leader = doc._is_receiving_leader()
            doc.may_handle = doc.is_receiving_leader or doc.handler_id == self.env.user

    @api.constrains("business_type", "supersedes_id")
    def _check_supersedes(self):
        for doc in self:
            if doc.business_type != "0" and not doc.supersedes_id:
                raise ValidationError(
                    self.env._(
                        "Choose the document that %s revokes, updates or replaces.", doc.name
                    )
                )

    def _cchc_check_create(self, vals):
        protected = EXCHANGE_FIELDS & {name for name, value in vals.items() if value}
        if protected:
            self._cchc_refuse_protected(protected)
        return super()._cchc_check_create(vals)

    def _cchc_check_write(self, vals):
        protected = EXCHANGE_FIELDS & set(vals)
        if protected:
            self._cchc_refuse_protected(protected)
        # A received electronic document is as final as one we signed.
        if SIGNED_FIELDS & set(vals) and any(
            doc.edxml_document_id and doc.direction == "in" for doc in self
        ):
            raise UserError(
                self.env._("A document received electronically cannot change: it is signed.")
            )
        return super()._cchc_check_write(vals)

    def _exchange_write(self, vals):
        with unlocked(self):
            return self.write(vals)

    def _store_verification(self, report, data):
        # A received document is verified again by anyone who may read it: its verdict is
        # written by this server code only.
        with unlocked(self):
            return super()._store_verification(report, data)

    # ---------------------------------------------------------------- sending

    def _issue_with_seal(self, certificate, passphrase):
        result = super()._issue_with_seal(certificate, passphrase)
        if self.confidentiality == "normal" and self.recipient_agency_ids:
            self._dispatch_electronically(self.recipient_agency_ids)
        return result

    def action_send_electronically(self):
        """Send again to the recipients that have not received it yet (a new recipient, or
        after a failed delivery)."""
        self._check_sending_clerk()
        for doc in self:
            if doc.direction != "out" or doc.state != "issued":
                raise UserError(
                    self.env._("Only an issued outgoing document is sent: %s.", doc.display_name)
                )
            done = doc.dispatch_ids.filtered(lambda d: d.state not in ("failed", "02"))
            missing = doc.recipient_agency_ids - done.recipient_agency_id
            if not missing:
                raise UserError(self.env._("%s was already sent to every recipient.", doc.code))
            # Checked above: the clerk replaces the failed deliveries (no client deletes one).
            doc.dispatch_ids.filtered(
                lambda d, m=missing: d.recipient_agency_id in m
            ).sudo().unlink()
            doc._dispatch_electronically(missing)

    def _check_sending_clerk(self):
        """Sending and recalling are the clerk's work: a clerk who serves the issuing agency
        (its own, or its clerk office), or an administrator of the suite."""
        user = self.env.user
        if self.env.su or user.has_group("cchc_base.group_cchc_manager"):
            return
        for doc in self:
            office = doc.agency_id.sudo()._cchc_clerk_office()
            if not (user.has_group("cchc_base.group_cchc_clerk") and user.cchc_agency_id == office):
                raise AccessError(
                    self.env._(
                        "Only a clerk of %(agency)s sends and recalls %(doc)s.",
                        agency=doc.agency_id.name,
                        doc=doc.display_name,
                    )
                )

    def _dispatch_electronically(self, agencies):
        """Build, sign and send one package per recipient agency."""
        self.ensure_one()
        self._check_electronic_dispatch()
        if self.business_type != "0" and not self.supersedes_id:
            raise UserError(
                self.env._(
                    "Choose the document that %s revokes, updates or replaces.", self.display_name
                )
            )
        if self.supersedes_id and not self.supersedes_id.edxml_document_id:
            raise UserError(
                self.env._(
                    "%s was never sent electronically: it cannot be revoked, updated or "
                    "replaced electronically.",
                    self.supersedes_id.display_name,
                )
            )
        for agency in agencies:
            if not agency.identifier:
                raise UserError(
                    self.env._("%s has no electronic identifier (mã định danh).", agency.name)
                )
        signer = self.env["cchc.exchange.key"]._current()._signer()
        if not self.edxml_document_id:
            self._exchange_write(
                {
                    "edxml_document_id": f"{self.agency_id.identifier},"
                    f"{self.issue_date:%Y/%m/%d},{self.code}"
                }
            )
        Dispatch = self.env["cchc.document.dispatch"].sudo()
        Message = self.env["cchc.exchange.message"].sudo()
        for agency in agencies:
            dispatch = Dispatch.create({"document_id": self.id, "recipient_agency_id": agency.id})
            try:
                package = edxml.sign_document(self._edxml_document(agency), signer)
            except edxml.EdxmlError as exc:
                raise UserError(
                    sentence(translate(self.env, exc.args[0], "cchc_exchange", "cchc_esign"))
                ) from None
            Message._send(
                package,
                {
                    "kind": "document",
                    "sender_organ": self.agency_id.identifier,
                    "recipient_organ": agency.identifier,
                    "edxml_document_id": self.edxml_document_id,
                    "business_type": self.business_type,
                    "document_id": self.id,
                    "dispatch_id": dispatch.id,
                },
                agency.exchange_partner_id,
            )

    def _edxml_document(self, agency):
        """The package of this issued document for one recipient."""
        sender = self.agency_id
        places = [a.name for a in self.recipient_agency_ids]
        places += [line.strip("-+• ").strip() for line in (self.recipients_text or "").splitlines()]
        attachments = [
            edxml.Attachment(
                content_id="cid:1",
                name=self.pdf_name or f"{self.code.replace('/', '-')}.pdf",
                content_type="application/pdf",
                data=self._pdf_checked(),
                description=self.name,
            )
        ]
        for number, annex in enumerate(self.annex_ids.sudo(), start=2):
            attachments.append(
                edxml.Attachment(
                    content_id=f"cid:{number}",
                    name=annex.name,
                    content_type=annex.mimetype or "application/octet-stream",
                    data=annex.raw or b"",
                )
            )
        return edxml.Document(
            sender=edxml.Organization(
                organ_id=sender.identifier,
                organ_name=sender.name,
                email=sender.email or "",
                telephone=sender.phone or "",
            ),
            recipients=(edxml.Organization(organ_id=agency.identifier, organ_name=agency.name),),
            document_id=self.edxml_document_id,
            code_number=f"{self.number:02d}",
            code_notation=self.notation or "",
            place=self.place or "",
            promulgation_date=self.issue_date,
            type_code=1,
            type_name=self.type_id.name,
            subject=self.name,
            signer_competence=self._on_behalf(),
            signer_position=self.signer_position or "",
            signer_name=self.signer_id.name or "",
            due_date=self.due_date or None,
            priority=PRIORITIES.get(self.urgency, 0),
            to_places=tuple(p for p in places if p),
            business_type=int(self.business_type),
            replaced_document_ids=(
                (self.supersedes_id.edxml_document_id,)
                if self.supersedes_id and self.business_type != "0"
                else ()
            ),
            traces=(edxml.Trace(organ_id=sender.identifier, timestamp=datetime.now(UTC)),),
            attachments=tuple(attachments),
        )

    def action_recall(self):
        """Ask the recipients to give the document back (status 13); they answer 15 or 16."""
        self._check_sending_clerk()
        for doc in self:
            if doc.direction != "out" or doc.state != "issued":
                raise UserError(
                    self.env._(
                        "Only an issued outgoing document is recalled: %s.", doc.display_name
                    )
                )
            dispatches = doc.dispatch_ids.filtered(
                lambda d: d.state not in ("queued", "failed", "02", "13", "15")
            )
            if not dispatches:
                raise UserError(self.env._("%s has no delivered copy to recall.", doc.code))
            for dispatch in dispatches:
                agency = dispatch.recipient_agency_id
                # Before sending: inside this system the answer (15/16) comes back at once.
                with unlocked(dispatch):
                    dispatch.sudo().write({"state": "13", "state_date": fields.Datetime.now()})
                self._send_status_package(
                    emitter=doc.agency_id.identifier,
                    emitter_name=doc.agency_id.name,
                    to_organ=agency.identifier,
                    document_id=doc.edxml_document_id,
                    code=doc.code,
                    promulgation_date=doc.issue_date,
                    status_code="13",
                    description=self.env._("Recall of %s", doc.code),
                    partner=agency.exchange_partner_id,
                    vals={"document_id": doc.id, "dispatch_id": dispatch.id},
                )
            doc.message_post(body=self.env._("Recall requested from every recipient."))

    # ---------------------------------------------------------------- statuses

    @api.model
    def _send_status_package(self, *, partner, **status):
        """Sign one status package (``_status_package``'s arguments) and send it to ``partner``."""
        return (
            self.env["cchc.exchange.message"]
            .sudo()
            ._send_many([self._status_package(**status)], partner)
        )

    def _status_package(
        self,
        *,
        emitter,
        emitter_name,
        to_organ,
        document_id,
        code,
        promulgation_date,
        status_code,
        description,
        vals=None,
    ):
        """A signed status package and the values of its log entry."""
        status = edxml.Status(
            sender=edxml.Organization(organ_id=emitter, organ_name=emitter_name or ""),
            recipient_organ_id=to_organ,
            document_id=document_id,
            code=code or "",
            promulgation_date=promulgation_date or None,
            status_code=status_code,
            description=description or "",
            timestamp=datetime.now(UTC),
            staff_name=self.env.user.name or "",
            staff_email=self.env.user.email or "",
        )
        signer = self.env["cchc.exchange.key"]._current()._signer()
        try:
            package = edxml.sign_status(status, signer)
        except edxml.EdxmlError as exc:
            raise UserError(
                sentence(translate(self.env, exc.args[0], "cchc_exchange", "cchc_esign"))
            ) from None
        return package, dict(
            vals or {},
            kind="status",
            sender_organ=emitter,
            recipient_organ=to_organ,
            edxml_document_id=document_id,
            status_code=status_code,
        )

    def _send_status(self, status_code, description=""):
        """Tell the sender of this received document how far it has got."""
        self._send_statuses([(status_code, description)])

    def _send_statuses(self, statuses):
        """The statuses ``(code, description)`` of each received document, in this order,
        logged together (a job each)."""
        for doc in self.filtered("edxml_document_id"):
            self.env["cchc.exchange.message"].sudo()._send_many(
                doc._status_items(statuses), doc.exchange_partner_id
            )

    def _status_items(self, statuses):
        """``(package, log values)`` of the statuses ``(code, description)`` of this received
        document, in this order."""
        self.ensure_one()
        return [
            self._status_package(
                emitter=self.receiving_agency_id.identifier,
                emitter_name=self.receiving_agency_id.name,
                to_organ=self.edxml_sender_organ,
                document_id=self.edxml_document_id,
                code=self.origin_code,
                promulgation_date=self.issue_date,
                status_code=status_code,
                description=description,
                vals={"document_id": self.id},
            )
            for status_code, description in statuses
        ]

    @api.model
    def _sender_proven(self, verified, partner, channel):
        """Whether the package's sender is proven, so that a status may go back to it: a
        partner's request authenticated by its shared secret, a package pinned to a partner's
        certificate, or, inside this system, a package signed with this system's own key. A
        forged package gets no status: it would be sent to whichever agency it claims."""
        if partner:
            return channel == "exchange" or bool(partner.certificate_fingerprint)
        key = self.env["cchc.exchange.key"].sudo().search([], limit=1, order="id desc")
        signed_by = hashlib.sha256(
            verified.certificate.public_bytes(serialization.Encoding.DER)
        ).hexdigest()
        return bool(key) and signed_by == (key.fingerprint or "").lower()

    @api.model
    def _send_refusal(self, parsed, partner, reason):
        """Status 02 for a package that could not be accepted, when its sender is known."""
        sender = self._known_agency(parsed.sender.organ_id, partner)
        if not sender:
            return
        for recipient in parsed.recipients[:1]:
            try:
                self._send_status_package(
                    emitter=recipient.organ_id,
                    emitter_name=recipient.organ_name,
                    to_organ=parsed.sender.organ_id,
                    document_id=parsed.document_id,
                    code=f"{parsed.code_number}/{parsed.code_notation}",
                    promulgation_date=parsed.promulgation_date,
                    status_code="02",
                    description=reason,
                    partner=partner,
                )
            except UserError as exc:
                # No exchange key: the refusal stays in the log only.
                _logger.warning("status 02 for %s not sent: %s", parsed.document_id, exc)

    @api.model
    def _known_agency(self, organ_id, partner):
        organ = canonical_or_none(organ_id)
        if not organ:
            return self.env["cchc.agency"]
        return (
            self.env["cchc.agency"]
            .sudo()
            .search([("identifier", "=", organ), ("exchange_partner_id", "=", partner.id)], limit=1)
        )

    @api.model
    def _known_agencies(self, sender_organ, recipient_organs, partner, found=None):
        """The sender's agency (of ``partner``) and our recipient agencies (of no partner) that
        a package names, each as ``_known_agency`` finds it, in one query (none when ``found``
        holds the agencies of these identifiers already: ``_agencies_named``)."""
        Agency = self.env["cchc.agency"].sudo()
        sender_id = canonical_or_none(sender_organ)
        organs = [canonical_or_none(organ) for organ in recipient_organs]
        if found is None:
            found = self._agencies_named([sender_id, *organs], partner)

        def first(organ, partner_id):
            # The agency's order, as a search with limit=1 would take it.
            return next(
                (
                    agency
                    for agency in found
                    if organ
                    and agency.identifier == organ
                    and agency.exchange_partner_id.id == partner_id
                ),
                Agency,
            )

        recipients = self.env["cchc.agency"]
        for organ in organs:
            recipients |= first(organ, False)
        return first(sender_id, partner.id), recipients

    @api.model
    def _agencies_named(self, organs, partner):
        """The agencies of these (canonical) identifiers, of ``partner`` or of this system."""
        wanted = list({organ for organ in organs if organ})
        Agency = self.env["cchc.agency"].sudo()
        if not wanted:
            return Agency
        return Agency.search_fetch(
            [("identifier", "in", wanted), ("exchange_partner_id", "in", [partner.id, False])],
            ["identifier", "exchange_partner_id"],
        )

    @api.model
    def _prefetch_checks(self, parsed_list, partner):
        """What ``_check_package`` looks up for these packages, in two queries: the agencies
        they name and the incoming documents with their document ids."""
        organs = []
        for parsed in parsed_list:
            organs.append(canonical_or_none(parsed.sender.organ_id))
            organs += [canonical_or_none(r.organ_id) for r in parsed.recipients]
        previous = self.sudo().search_fetch(
            [
                ("direction", "=", "in"),
                ("edxml_document_id", "in", list({p.document_id for p in parsed_list})),
            ],
            ["edxml_document_id", "edxml_sender_organ", "receiving_agency_id"],
        )
        return self._agencies_named(organs, partner), previous

    @api.model
    def _find_incoming(self, recipient_organ, sender, document_id, partner):
        return self.sudo().search(
            [
                ("direction", "=", "in"),
                ("edxml_document_id", "=", document_id),
                ("edxml_sender_organ", "=", canonical_or_none(sender.organ_id)),
                ("receiving_agency_id.identifier", "=", canonical_or_none(recipient_organ)),
                ("exchange_partner_id", "=", partner.id),
            ],
            limit=1,
        )

    def _recall_requested(self, status, partner):
        """Nghị định 30/2020, art. 18: the receiver withdraws the recalled document and says
        so (15); a recall of a document it never received is refused (16)."""
        if not self:
            self._send_status_package(
                emitter=status.recipient_organ_id,
                emitter_name="",
                to_organ=status.sender.organ_id,
                document_id=status.document_id,
                code=status.code,
                promulgation_date=status.promulgation_date,
                status_code="16",
                description=self.env._("No such document was received."),
                partner=partner,
            )
            return
        self._exchange_write({"handling_state": "recalled"})
        self.activity_unlink([HANDLING_ACTIVITY])
        self.message_post(body=self.env._("Recalled by the sender: it must not be acted on."))
        self._send_status("15", self.env._("The document was withdrawn."))

    # ---------------------------------------------------------------- receiving

    @api.model
    def _names_pending(self, parsed, pending):
        """Whether the document package ``parsed`` names a document among ``pending``
        (``(index, package, verified)`` still to register) of the same sender: its own document
        id or one it revokes, updates or replaces."""
        sender = canonical_or_none(parsed.sender.organ_id)
        names = {parsed.document_id, *parsed.replaced_document_ids}
        return any(
            verified.document.document_id in names
            and canonical_or_none(verified.document.sender.organ_id) == sender
            for _index, _package, verified in pending
        )

    @api.model
    def _receive_packages(self, items, partner, channel):
        """Check verified document packages ``(index, package, verified)`` and register the
        accepted ones for each recipient of ours, together: the answer of each, in order.
        No item names another (``_names_pending``): each is checked as if it came alone."""
        Message = self.env["cchc.exchange.message"].sudo()
        answers = []
        accepted = []  # (package, parsed, checked, log values)
        prefetched = self._prefetch_checks([verified.document for *_i, verified in items], partner)
        for _index, package, verified in items:
            parsed = verified.document
            log_vals = {
                "direction": "in",
                "kind": "document",
                "partner_id": partner.id,
                "sender_organ": parsed.sender.organ_id,
                "recipient_organ": ",".join(r.organ_id for r in parsed.recipients),
                "edxml_document_id": parsed.document_id,
                "business_type": str(parsed.business_type),
                "weak_signature": verified.weak,
            }
            try:
                checked = self._check_package(package, parsed, partner, prefetched)
            except ExchangeRefusal as refusal:
                if refusal.status == "duplicate":
                    Message._log(dict(log_vals, result="duplicate", reason=refusal.reason), package)
                    answers.append(
                        {"result": "duplicate", "reason": refusal.reason, "status": "03"}
                    )
                    continue
                Message._log(dict(log_vals, result="refused", reason=refusal.reason), package)
                if self._sender_proven(verified, partner, channel):
                    self._send_refusal(parsed, partner, refusal.reason)
                answers.append({"result": "refused", "reason": refusal.reason, "status": "02"})
                continue
            answers.append({"result": "accepted", "reason": "", "status": "03"})
            accepted.append((package, parsed, checked, log_vals))
        if not accepted:
            return answers
        with unlocked(self):
            docs_of = self._register_packages(
                [(parsed, *checked) for _package, parsed, checked, _vals in accepted], partner
            )
            # Each receipt and its answers (01 and 03 of each document) appended together.
            entries = []
            for (package, _parsed, _checked, log_vals), docs in zip(accepted, docs_of, strict=True):
                entries.append(
                    (dict(log_vals, result="accepted", document_id=docs[:1].id), package, True)
                )
                entries += [
                    (Message._outgoing(vals, partner), answer, True)
                    for doc in docs
                    for answer, vals in doc._status_items(
                        [
                            ("01", ""),
                            ("03", self.env._("Registered as no. %s", doc.incoming_number)),
                        ]
                    )
                ]
            logged = Message._log_many(entries)
        logged.filtered(lambda m: m.direction == "out")._enqueue_delivery(logged=True)
        received = logged.filtered(lambda m: m.direction == "in")
        docs = self.browse()
        bodies = {}
        how = self.env._("from a file") if channel == "file" else self.env._("through the exchange")
        verdicts = dict(self._fields["verdict"]._description_selection(self.env))
        for message, doc_set in zip(received, docs_of, strict=True):
            for doc in doc_set:
                # A note of the system's, nobody to notify: the light way (no followers, no mail).
                bodies[doc.id] = self.env._(
                    "Received electronically (%(channel)s), log entry %(seq)s; signatures: "
                    "%(verdict)s.",
                    channel=how,
                    seq=message.sequence,
                    verdict=verdicts.get(doc.verdict, doc.verdict),
                )
            docs |= doc_set
        docs._message_log_batch(bodies=bodies)
        docs._assign_default()
        return answers

    def _check_package(self, package, parsed, partner, prefetched=None):
        """(sender agency, our recipient agencies, superseded documents, the verification
        report of each PDF) or ExchangeRefusal. ``prefetched``: what ``_prefetch_checks``
        found for this package (and others)."""
        env = self.env
        found, known = prefetched or (None, None)
        sender, recipients = self._known_agencies(
            parsed.sender.organ_id, [organ.organ_id for organ in parsed.recipients], partner, found
        )
        if not sender:
            raise ExchangeRefusal(
                env._("unknown sender identifier %s", parsed.sender.organ_id), "02"
            )
        if not recipients:
            raise ExchangeRefusal(
                env._(
                    "the package is addressed to %s, not to an agency of this system",
                    ", ".join(r.organ_id for r in parsed.recipients),
                ),
                "02",
            )
        if known is None:
            previous = self.sudo().search(
                [
                    ("direction", "=", "in"),
                    ("edxml_document_id", "=", parsed.document_id),
                    ("edxml_sender_organ", "=", sender.identifier),
                    ("receiving_agency_id", "in", recipients.ids),
                ]
            )
        else:
            previous = known.filtered(
                lambda doc: (
                    doc.edxml_document_id == parsed.document_id
                    and doc.edxml_sender_organ == sender.identifier
                    and doc.receiving_agency_id in recipients
                )
            )
        if previous:
            sha = hashlib.sha256(package).hexdigest()
            same = (
                env["cchc.exchange.message"]
                .sudo()
                .search_count(
                    [
                        ("direction", "=", "in"),
                        ("package_sha256", "=", sha),
                        ("result", "=", "accepted"),
                    ]
                )
            )
            if same:
                raise ExchangeRefusal(env._("already received and registered"), "duplicate")
            raise ExchangeRefusal(
                env._(
                    "a different package with the document id %s was already received",
                    parsed.document_id,
                ),
                "02",
            )
        superseded = self.browse()
        if parsed.business_type != edxml.BUSINESS_NEW:
            superseded = self.sudo().search(
                [
                    ("direction", "=", "in"),
                    ("edxml_document_id", "in", list(parsed.replaced_document_ids)),
                    ("edxml_sender_organ", "=", sender.identifier),
                ]
            )
            if not parsed.replaced_document_ids or not superseded:
                raise ExchangeRefusal(
                    env._(
                        "the package revokes, updates or replaces a document that was never "
                        "received: %s",
                        ", ".join(parsed.replaced_document_ids) or "-",
                    ),
                    "02",
                )
        pdfs = [a for a in parsed.attachments if self._is_pdf(a)]
        if not pdfs:
            raise ExchangeRefusal(env._("the package carries no PDF document"), "02")
        roots, _intermediates, crls = env["cchc.trust.anchor"]._material()
        reports = []
        for attachment in pdfs:
            try:
                report = pades.verify_pdf(attachment.data, roots, crls)
            except pki.SigningError as exc:
                raise ExchangeRefusal(
                    env._(
                        "%(name)s: %(why)s",
                        name=attachment.name,
                        why=translate(env, exc.args[0], "cchc_exchange", "cchc_esign"),
                    ),
                    "02",
                ) from None
            if report.verdict != "valid" or not report.signatures:
                raise ExchangeRefusal(
                    env._(
                        "the signatures of %(name)s are not valid: %(why)s",
                        name=attachment.name,
                        why=translate(env, report.explanation, "cchc_exchange", "cchc_esign"),
                    ),
                    "02",
                )
            reports.append(report)
        return sender, recipients, superseded, reports

    @staticmethod
    def _is_pdf(attachment):
        return attachment.content_type == "application/pdf" or attachment.name.lower().endswith(
            ".pdf"
        )

    def _register_packages(self, items, partner):
        """Register the documents of checked packages ``(parsed, sender, recipients,
        superseded, reports)``, one for each recipient of ours, created together and created
        registered (number, verdict, handling state in the insert). The documents of each
        item, in order."""
        vals_list = []
        annexes_list = []
        for parsed, sender, recipients, superseded, reports in items:
            pdfs = [a for a in parsed.attachments if self._is_pdf(a)]
            main = pdfs[0]
            doc_type = self._type_for(parsed)
            verification = self._verification_vals(reports[0], main.data)
            annexes = [a for a in parsed.attachments if a is not main]
            for agency in recipients:
                annexes_list.append(annexes)
                vals_list.append(
                    {
                        "name": parsed.subject or main.name,
                        "direction": "in",
                        "type_id": doc_type.id,
                        "agency_id": sender.id,
                        "receiving_agency_id": agency.id,
                        "place": parsed.place,
                        "due_date": parsed.due_date,
                        "urgency": {v: k for k, v in PRIORITIES.items()}.get(
                            parsed.priority, "normal"
                        ),
                        "pdf": base64.b64encode(main.data),
                        "pdf_name": main.name,
                        "issue_date": parsed.promulgation_date,
                        "signer_position": parsed.signer_position,
                        "signer_name": parsed.signer_name or self._signer_in(reports[0]),
                        "signer_competence": parsed.signer_competence,
                        "origin_code": f"{parsed.code_number}/{parsed.code_notation}",
                        "edxml_document_id": parsed.document_id,
                        "edxml_sender_organ": sender.identifier,
                        "exchange_partner_id": partner.id,
                        "business_type": str(parsed.business_type),
                        "supersedes_id": superseded[:1].id,
                        "recipients_text": "\n".join(parsed.to_places),
                        **self._incoming_register_vals(agency),
                        **verification,
                        "handling_state": "registered",
                    }
                )
        # Its chatter starts with "Received electronically …" (the caller): no "created" note,
        # no tracking of the fields it was made with, and the user the delivery runs as (the
        # sender's clerk for an agency of this system) does not become a follower.
        with unlocked(self):
            records = (
                self.sudo()
                .with_context(
                    mail_create_nolog=True, mail_notrack=True, mail_create_nosubscribe=True
                )
                .create(vals_list)
            )
            for doc, annexes in zip(records, annexes_list, strict=True):
                if annexes:
                    doc.annex_ids = [
                        Command.create(
                            {
                                "name": a.name,
                                "raw": a.data,
                                "mimetype": a.content_type,
                                "res_model": "cchc.document",
                                "res_id": doc.id,
                            }
                        )
                        for a in annexes
                    ]
        created = iter(records)
        docs_of = []
        for parsed, _sender, recipients, superseded, _reports in items:
            docs = self.browse([next(created).id for _agency in recipients])
            docs_of.append(docs)
            if superseded:
                self._supersede(superseded, parsed, docs)
        return docs_of

    def _supersede(self, superseded, parsed, docs):
        """The documents ``superseded`` are revoked, updated or replaced by ``docs``."""
        state = {edxml.BUSINESS_REVOCATION: "revoked", edxml.BUSINESS_REPLACEMENT: "replaced"}
        for old in superseded:
            if parsed.business_type in state:
                old._exchange_write({"handling_state": state[parsed.business_type]})
                old.activity_unlink([HANDLING_ACTIVITY])
            old.message_post(
                body=self.env._(
                    "%(what)s by %(new)s.",
                    what=dict(self._fields["business_type"]._description_selection(self.env))[
                        str(parsed.business_type)
                    ],
                    new=docs[:1].origin_code,
                )
            )

    @staticmethod
    def _signer_in(report):
        """The person who signed the PDF first (the competent person; the agency's seal
        comes after), when the package does not name the signer."""
        people = [sig.signer for sig in report.signatures if sig.kind == pades.KIND_SIGNATURE]
        return people[0] if people else False

    def _type_for(self, parsed):
        Type = self.env["cchc.document.type"].sudo()
        abbreviation = (parsed.code_notation or "").split("-")[0]
        found = Type.browse(Type._received_type_id(parsed.type_name, abbreviation))
        return found or self.env.ref("cchc_esign.document_type_cong_van")

    # ---------------------------------------------------------------- handling

    def _assign_default(self):
        for doc in self:
            agency = doc.receiving_agency_id
            if agency.incoming_handler_id:
                doc._assign(agency.incoming_handler_id, False, False)
            else:
                # Its leader gives it to a unit or an officer (the clerk only registers it).
                for leader in agency.leader_ids[:1]:
                    # In the leader's language, not in that of whoever delivered it (a job
                    # runs in the sender's, a partner's request in the public user's).
                    doc.activity_schedule(
                        HANDLING_ACTIVITY,
                        user_id=leader.id,
                        summary=self.with_context(lang=leader.lang).env._(
                            "Assign the incoming document"
                        ),
                    )

    def _is_receiving_leader(self):
        """A leader of the agency that received the document (not of another one, not of
        an agency above it)."""
        self.ensure_one()
        user = self.env.user
        return bool(
            self.direction == "in"
            and self.receiving_agency_id
            and user.has_group("cchc_base.group_cchc_leader")
            and user.cchc_agency_id == self.receiving_agency_id
        )

    def _check_receiving_leader(self):
        if self.env.su or self.env.user.has_group("cchc_base.group_cchc_manager"):
            return
        for doc in self:
            if not doc._is_receiving_leader():
                raise AccessError(
                    self.env._(
                        "Only a leader of %(agency)s assigns the documents it receives.",
                        agency=doc.receiving_agency_id.name,
                    )
                )

    def _check_handler_or_leader(self):
        if self.env.su or self.env.user.has_group("cchc_base.group_cchc_manager"):
            return
        for doc in self:
            if doc.handler_id != self.env.user and not doc._is_receiving_leader():
                raise AccessError(
                    self.env._(
                        "Only the officer it was assigned to, or a leader of %(agency)s, "
                        "handles %(doc)s.",
                        agency=doc.receiving_agency_id.name,
                        doc=doc.display_name,
                    )
                )

    def _assign(self, user, unit, days):
        """Give the received document to a person or unit, with a deadline in working days."""
        self.ensure_one()
        if self.direction != "in" or self.handling_state not in ("registered", "assigned"):
            raise UserError(self.env._("%s cannot be assigned now.", self.display_name))
        deadline = self._handling_deadline_for(days)
        self._exchange_write(
            {
                "handling_state": "assigned",
                "handler_id": user.id if user else False,
                "handling_unit": unit or False,
                "handling_deadline": deadline,
            }
        )
        self.activity_unlink([HANDLING_ACTIVITY])
        if user:
            self.activity_schedule(
                HANDLING_ACTIVITY,
                date_deadline=deadline,
                user_id=user.id,
                summary=self.with_context(lang=user.lang).env._("Handle the incoming document"),
            )
        who = " – ".join(name for name in (unit, user.name if user else "") if name)
        self._send_status(
            "04",
            self.env._(
                "Assigned to %(who)s, due %(date)s", who=who, date=deadline.strftime("%d/%m/%Y")
            ),
        )

    def _handling_deadline_for(self, days):
        """``days`` working days after today (the agency's handling time when empty), never
        after the response date the sender asked for."""
        self.ensure_one()
        days = days or self.receiving_agency_id.incoming_handling_days or 10
        today = fields.Date.context_today(self)
        deadline = self.env["cchc.holiday"].add_working_days(today, days)
        if self.due_date and self.due_date < deadline:
            deadline = self.due_date
        return deadline

    def action_start_processing(self):
        self._check_handler_or_leader()
        for doc in self:
            if doc.handling_state != "assigned":
                raise UserError(self.env._("Assign %s first.", doc.display_name))
            # Checked above: the assignee of a unit below reads it, and writes nothing else.
            doc.sudo()._exchange_write({"handling_state": "processing"})
            doc.sudo()._send_status("05")

    def action_complete_handling(self):
        """Ask for the short result note (``cchc.document.complete``)."""
        self.ensure_one()
        self._check_handler_or_leader()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close the handling"),
            "res_model": "cchc.document.complete",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }

    def _complete_handling(self, result):
        """Close the handling with its result (the caller checked who may)."""
        for doc in self:
            if doc.handling_state not in ("assigned", "processing"):
                raise UserError(self.env._("%s is not being handled.", doc.display_name))
            doc._exchange_write(
                {
                    "handling_state": "completed",
                    "completed_date": fields.Date.context_today(doc),
                    "handling_result": result,
                }
            )
            doc.activity_feedback([HANDLING_ACTIVITY], feedback=result)
            doc.message_post(body=self.env._("Handling closed: %s", result))
            doc._send_status("06", result)

    # ---------------------------------------------------------------- indicators

    @api.model
    def _cchc_indicator_outgoing_electronic_rate(self, agencies, date_from, date_to):
        """Share (%) of the issued outgoing documents sent electronically to every recipient
        agency (secret documents excluded: they never travel electronically)."""
        docs = self._issued_in(agencies, date_from, date_to)
        sent = {}
        for doc in docs:
            sent.setdefault(doc.agency_id.id, []).append((doc.id, doc._sent_electronically()))
        return {
            agency: {
                "numerator": sum(ok for _id, ok in v),
                "denominator": len(v),
                "domain": [("id", "in", [doc_id for doc_id, _ok in v])],
            }
            for agency, v in sent.items()
        }

    @api.model
    def _cchc_indicator_outgoing_signed_rate(self, agencies, date_from, date_to):
        """Share (%) of the issued outgoing documents (secret excluded) whose PDF carries
        valid digital signatures of the signer and of the agency."""
        docs = self._issued_in(agencies, date_from, date_to)
        signed = {}
        for doc in docs:
            signed.setdefault(doc.agency_id.id, []).append((doc.id, doc._signed_validly()))
        return {
            agency: {
                "numerator": sum(ok for _id, ok in v),
                "denominator": len(v),
                "domain": [("id", "in", [doc_id for doc_id, _ok in v])],
            }
            for agency, v in signed.items()
        }

    @api.model
    def _cchc_indicator_incoming_on_time_rate(self, agencies, date_from, date_to):
        """Share (%) of the incoming documents due in the period that were handled by their
        deadline (those still open past it count as late)."""
        docs = self.sudo().search(
            [
                ("direction", "=", "in"),
                ("receiving_agency_id", "in", agencies.ids),
                ("handling_deadline", ">=", date_from),
                ("handling_deadline", "<=", date_to),
                ("handling_state", "in", ("assigned", "processing", "completed")),
            ]
        )
        result = {}
        for doc in docs:
            on_time = doc._handled_on_time()
            if on_time is None:
                continue  # still within its time
            result.setdefault(doc.receiving_agency_id.id, []).append((doc.id, on_time))
        return {
            agency: {
                "numerator": sum(ok for _id, ok in v),
                "denominator": len(v),
                "domain": [("id", "in", [doc_id for doc_id, _ok in v])],
            }
            for agency, v in result.items()
        }

    def _sent_electronically(self):
        """Whether the document was delivered electronically to every recipient agency."""
        delivered = self.dispatch_ids.filtered(
            lambda d: d.state not in ("queued", "failed", "02")
        ).recipient_agency_id
        return bool(self.recipient_agency_ids) and not (self.recipient_agency_ids - delivered)

    def _signed_validly(self):
        """Whether the PDF carries valid signatures of the signer and of the agency."""
        roles = set(self.signature_ids.mapped("role"))
        return self.verdict == "valid" and {"leader", "seal"} <= roles

    def _handled_on_time(self):
        """Handled by the deadline (still open past it: late; within it: not yet decided)."""
        if self.handling_state == "completed":
            return self.completed_date <= self.handling_deadline
        if self.handling_deadline < fields.Date.context_today(self):
            return False
        return None

    def _cchc_evidence_facts(self, method_name):
        """What a report on the indicators (the reform index) may keep of each document
        behind a figure: its number, subject (not for classified documents), dates and
        whether it counted as met for that source."""
        met_of = {
            "_cchc_indicator_outgoing_electronic_rate": lambda d: d._sent_electronically(),
            "_cchc_indicator_outgoing_signed_rate": lambda d: d._signed_validly(),
            "_cchc_indicator_incoming_on_time_rate": lambda d: d._handled_on_time(),
        }.get(method_name, lambda d: None)
        incoming = method_name == "_cchc_indicator_incoming_on_time_rate"
        return {
            doc.id: {
                "code": doc.code or doc.origin_code or "",
                "detail": doc.name if doc.confidentiality == "normal" else "",
                "date_due": doc.handling_deadline if incoming else False,
                "date_done": doc.completed_date if incoming else doc.issue_date,
                "met": met_of(doc),
            }
            for doc in self.sudo()
        }

    def _issued_in(self, agencies, date_from, date_to):
        return self.sudo().search(
            [
                ("direction", "=", "out"),
                ("state", "=", "issued"),
                ("confidentiality", "=", "normal"),
                ("agency_id", "in", agencies.ids),
                ("issue_date", ">=", date_from),
                ("issue_date", "<=", date_to),
            ]
        )
