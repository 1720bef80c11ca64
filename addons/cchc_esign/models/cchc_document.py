import base64
import hashlib
import re
from datetime import UTC, datetime

from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.cchc_base.tools.protect import is_unlocked, unlocked
from odoo.addons.cchc_base.tools.translate import sentence, translate

from cchc_core import pades, pki
from cchc_core.pades import document

# Where the signatures go on the last page (points) of an uploaded PDF: the leader's at the
# bottom right, the seal over the left third of it. A PDF laid out from the document's content
# (cchc_core.pades.document) carries its own fields in the signature block instead.
LEADER_BOX = (320.0, 90.0, 540.0, 170.0)
# The signing capacity (thẩm quyền ký, Nghị định 30/2020 Phụ lục I): what it prints above the
# signature is ``_signature_lines``.
AUTHORITIES = [
    ("", "Direct"),
    ("TM.", "TM. (thay mặt tập thể)"),
    ("TM.KT.", "TM. tập thể, KT. người đứng đầu"),
    ("KT.", "KT. (ký thay)"),
    ("Q.", "Q. (quyền)"),
    ("TL.", "TL. (thừa lệnh)"),
    ("TUQ.", "TUQ. (thừa ủy quyền)"),
]
# Capacities that name the head signed for (CHỦ TỊCH, GIÁM ĐỐC…) in ``signer_title``.
AUTHORITIES_WITH_TITLE = ("TM.KT.", "KT.", "Q.", "TL.", "TUQ.")
# A drafting unit's short code in a notation: TH, NC, KGVX, TCCB… never a full name.
UNIT_CODE = re.compile(r"^[A-ZĐ0-9&]{1,12}$")
# Once signed, these never change (the stored hash of the PDF is checked on every download).
# The whole document is frozen then (FROZEN_STATES); the list names the signed content for
# the exchange.
SIGNED_FIELDS = {
    "pdf",
    "pdf_name",
    "number",
    "register_id",
    "type_id",
    "agency_id",
    "issue_date",
    "notation",
    "pdf_sha256",
    "signature_ids",
    "confidentiality",
}
# States in which a document may no longer change, for anyone: what was signed, issued or
# received stays as it was (a revocation keeps the original, see ``action_revoke``).
FROZEN_STATES = ("signed", "issued", "registered", "revoked")
# What the drafter chooses: writable by a client only while the document is a draft, so what
# the leader approved is what gets signed, by the signer named here.
DRAFT_FIELDS = frozenset(
    {
        "pdf",
        "pdf_name",
        "type_id",
        "agency_id",
        "direction",
        "receiving_agency_id",
        "confidentiality",
        "signer_id",
        "signer_authority",
        "signer_title",
        "signer_position",
        "drafting_unit",
        "body",
    }
)


class CchcDocument(models.Model):
    """An official document (Nghị định 30/2020/NĐ-CP): drafted, signed, numbered, issued."""

    _name = "cchc.document"
    _description = "Official document"
    _inherit = ["mail.thread", "mail.activity.mixin", "cchc.protected.mixin"]
    _order = "issue_date desc, id desc"
    # Written only by the document's own actions (inside ``unlocked``).
    _cchc_protected_fields = frozenset(
        {
            "state",
            "number",
            "code",
            "notation",
            "register_id",
            "issue_date",
            "pdf_sha256",
            "signature_ids",
            "incoming_register_id",
            "incoming_number",
            "received_date",
            "external_state",
            "verdict",
            "verification",
            "verified_on",
            "revoke_reason",
            "revoked_by_id",
            "revoked_on",
            "drafting_agency_id",
        }
    )
    # A recipient added to an issued outgoing document gets the same document
    # (``action_send_electronically``); nothing else of a frozen document changes.
    _cchc_frozen_writable = frozenset({"recipient_agency_ids"})

    name = fields.Char(string="Subject", required=True, tracking=True)
    direction = fields.Selection(
        [("out", "Outgoing"), ("in", "Incoming"), ("internal", "Internal")],
        required=True,
        default="out",
    )
    type_id = fields.Many2one("cchc.document.type", string="Kind", required=True)
    agency_id = fields.Many2one(
        "cchc.agency",
        string="Issuing agency",
        required=True,
        index=True,
        default=lambda self: self.env.user.cchc_agency_id,
    )
    drafting_agency_id = fields.Many2one(
        "cchc.agency",
        string="Drafted by",
        index=True,
        readonly=True,
        default=lambda self: self.env.user.cchc_agency_id,
        help="The agency of the officer who drafted it (a department drafting for the People's "
        "Committee): it keeps reading the document.",
    )
    drafting_unit = fields.Char(
        help="The short code of the unit in charge, e.g. TH: 125/UBND-TH. Never a full name."
    )
    register_id = fields.Many2one("cchc.document.register", readonly=True, copy=False)
    number = fields.Integer(readonly=True, copy=False, tracking=True)
    notation = fields.Char(compute="_compute_notation", store=True)
    code = fields.Char(string="Number and notation", compute="_compute_code", store=True)
    issue_date = fields.Date(readonly=True, copy=False, tracking=True)
    place = fields.Char(help="Địa danh, e.g. Vĩnh Long.")
    signer_id = fields.Many2one(
        "res.users",
        tracking=True,
        domain="[('id', 'in', allowed_signer_ids)]",
        help="A leader of the issuing agency.",
    )
    allowed_signer_ids = fields.Many2many(
        "res.users", compute="_compute_allowed_signer_ids", string="Leaders who may sign"
    )
    signature_block = fields.Text(
        compute="_compute_signature_block",
        help="The capacity and position lines above the signature (Nghị định 30/2020).",
    )
    signer_authority = fields.Selection(AUTHORITIES, string="Signing on behalf", default="")
    signer_title = fields.Char(
        string="Title signed for", help="CHỦ TỊCH, GIÁM ĐỐC… shown after KT./Q./TL./TUQ."
    )
    signer_position = fields.Char(help="PHÓ CHỦ TỊCH, PHÓ GIÁM ĐỐC…")
    recipient_agency_ids = fields.Many2many("cchc.agency", string="Recipients")
    recipients_text = fields.Text(string="Nơi nhận")
    urgency = fields.Selection(
        [
            ("normal", "Normal"),
            ("urgent", "Urgent (khẩn)"),
            ("very_urgent", "Very urgent"),
            ("express", "Express (hỏa tốc)"),
        ],
        default="normal",
        required=True,
    )
    confidentiality = fields.Selection(
        [
            ("normal", "Normal"),
            ("secret", "Secret (mật)"),
            ("top_secret", "Top secret"),
            ("highest", "Highest secret"),
        ],
        default="normal",
        required=True,
    )
    due_date = fields.Date(string="Response due")
    body = fields.Text(
        string="Content",
        help="The text of the document. When filled, the PDF is laid out from it at submission "
        "as Nghị định 30/2020 Phụ lục I prints a document: the number and date are written in "
        "its header at issue, the signatures and the seal go into its signature block.",
    )
    pdf = fields.Binary(string="Document (PDF)", attachment=True, copy=False)
    pdf_name = fields.Char()
    pdf_sha256 = fields.Char(readonly=True, copy=False)
    annex_ids = fields.Many2many("ir.attachment", string="Annexes")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("review", "In review"),
            ("to_sign", "To sign"),
            ("signed", "Signed"),
            ("issued", "Issued"),
            ("registered", "Registered"),
            ("revoked", "Revoked"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    signature_ids = fields.One2many("cchc.document.signature", "document_id", readonly=True)
    receiving_agency_id = fields.Many2one(
        "cchc.agency",
        index=True,
        default=lambda self: self.env.user.cchc_agency_id,
        help="For an incoming document: the agency that received it.",
    )
    incoming_register_id = fields.Many2one("cchc.document.register", readonly=True, copy=False)
    incoming_number = fields.Integer(readonly=True, copy=False)
    received_date = fields.Date(readonly=True, copy=False)
    external_state = fields.Json(readonly=True, copy=False, groups="base.group_system")
    verdict = fields.Selection(
        [("valid", "Valid"), ("invalid", "Invalid"), ("indeterminate", "Indeterminate")],
        readonly=True,
        copy=False,
    )
    verification = fields.Text(readonly=True, copy=False)
    verified_on = fields.Datetime(readonly=True, copy=False)
    revoke_reason = fields.Text(string="Reason for revocation", readonly=True, copy=False)
    revoked_by_id = fields.Many2one("res.users", string="Revoked by", readonly=True, copy=False)
    revoked_on = fields.Datetime(readonly=True, copy=False)

    @api.depends(
        "type_id.abbreviation", "agency_id.notation_code", "agency_id.short_name", "drafting_unit"
    )
    def _compute_notation(self):
        for doc in self:
            agency = doc.agency_id._notation_code() if doc.agency_id else ""
            if doc.type_id.abbreviation:
                doc.notation = f"{doc.type_id.abbreviation}-{agency}"
            else:  # a công văn: agency and drafting unit
                doc.notation = f"{agency}-{doc.drafting_unit}" if doc.drafting_unit else agency

    @api.depends("agency_id")
    def _compute_allowed_signer_ids(self):
        for doc in self:
            doc.allowed_signer_ids = doc.agency_id.sudo().leader_ids

    @api.depends(
        "signer_authority", "signer_title", "signer_position", "agency_id.collective_title"
    )
    def _compute_signature_block(self):
        for doc in self:
            doc.signature_block = "\n".join(doc._signature_lines())

    def _signature_lines(self):
        """The lines above the signature, as Nghị định 30/2020 Phụ lục I prints them:
        ``TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH``, ``Q. GIÁM ĐỐC``…"""
        self.ensure_one()
        authority = self.signer_authority or ""
        title = (self.signer_title or "").strip()
        position = (self.signer_position or "").strip()
        collective = self.agency_id.sudo()._cchc_collective_line() if self.agency_id else ""
        if authority == "TM.":
            lines = [f"TM. {collective}", position]
        elif authority == "TM.KT.":
            lines = [f"TM. {collective}", f"KT. {title}", position]
        elif authority == "Q.":
            lines = [f"Q. {title}"]
        elif authority:
            lines = [f"{authority} {title}", position]
        else:
            lines = [position]
        return [line for line in lines if line.strip()]

    @api.constrains("signer_id", "agency_id")
    def _check_signer_leads_the_agency(self):
        for doc in self.filtered("signer_id"):
            if doc.direction == "in":
                continue
            if doc.signer_id not in doc.agency_id.sudo().leader_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a leader of %(agency)s: the signer is chosen among the "
                        "leaders of the issuing agency.",
                        user=doc.signer_id.name,
                        agency=doc.agency_id.name,
                    )
                )

    @api.constrains("drafting_unit")
    def _check_drafting_unit(self):
        for doc in self.filtered("drafting_unit"):
            if not UNIT_CODE.match(doc.drafting_unit):
                raise ValidationError(
                    self.env._(
                        "“%(unit)s” is not a unit's short code: type the abbreviation used in "
                        "notations (TH, NC, KGVX…), in capitals and without spaces.",
                        unit=doc.drafting_unit,
                    )
                )

    def _check_signing_capacity(self):
        for doc in self:
            if (
                doc.signer_authority in AUTHORITIES_WITH_TITLE
                and not (doc.signer_title or "").strip()
            ):
                raise UserError(
                    self.env._("Type the title signed for (CHỦ TỊCH, GIÁM ĐỐC…) of %s.", doc.name)
                )
            if doc.signer_authority != "Q." and not (doc.signer_position or "").strip():
                raise UserError(self.env._("Type the position of the signer of %s.", doc.name))

    @api.depends("number", "notation")
    def _compute_code(self):
        for doc in self:
            doc.code = f"{doc.number:02d}/{doc.notation}" if doc.number else False

    @api.constrains("pdf")
    def _check_pdf(self):
        for doc in self.filtered("pdf"):
            data = base64.b64decode(doc.pdf)
            try:
                pades.check_readable(data)  # refuses non-PDF, damaged and encrypted files
            except pki.SigningError as exc:
                raise ValidationError(
                    sentence(translate(self.env, exc.args[0], "cchc_esign"))
                ) from None

    def write(self, vals):
        if is_unlocked(self):
            return super().write(vals)
        draft_only = DRAFT_FIELDS & set(vals)
        if draft_only and any(doc.state != "draft" for doc in self):
            raise AccessError(
                self.env._(
                    "%(fields)s can change only while the document is a draft: send it back "
                    "to draft first.",
                    fields=self._cchc_field_labels(draft_only),
                )
            )
        if "recipient_agency_ids" in vals:
            for doc in self:
                if doc._cchc_is_frozen() and (doc.state != "issued" or doc.direction == "in"):
                    self._cchc_refuse_frozen(doc)
        result = super().write(vals)
        if "pdf" in vals:
            # A new draft PDF: the hash and verdict of the old one no longer apply.
            with unlocked(self):
                super().write(
                    {
                        "pdf_sha256": False,
                        "verdict": False,
                        "verification": False,
                        "verified_on": False,
                    }
                )
        return result

    def _cchc_is_frozen(self):
        return self.state in FROZEN_STATES

    def _cchc_protection_hint(self):
        return self.env._(
            "They change only through the document's actions: submit, approve, sign, issue, "
            "register, revoke."
        )

    def _cchc_frozen_hint(self):
        return self.env._(
            "A signed, issued or received document is kept as it is, for everyone; the leader of "
            "the issuing agency may revoke it with a reason, and a correction is a new document."
        )

    # ---------------------------------------------------------------- workflow

    def action_register_incoming(self):
        """The clerk registers a document received on paper or by email in the agency's
        register of incoming documents: the next number of the year, today's date."""
        for doc in self:
            if doc.direction != "in" or doc.state != "draft":
                raise UserError(
                    self.env._("Only a new incoming document can be registered: %s.", doc.name)
                )
            if not doc.receiving_agency_id:
                raise UserError(self.env._("Choose the agency that received %s.", doc.name))
            doc._check_clerk_of(doc.receiving_agency_id)
            doc._internal_write(
                self._incoming_register_vals(doc.receiving_agency_id, doc.confidentiality)
            )
        return True

    @api.model
    def _incoming_register_vals(self, agency, confidentiality="normal"):
        """The next number of ``agency``'s register of incoming documents (of the year,
        secret or not), today's date and the registered state: what registering writes, for
        a document in the database or one about to be created registered."""
        today = fields.Date.context_today(self)
        register, number = self.env["cchc.document.register"]._take_number_for(
            agency, today.year, "in", confidentiality != "normal"
        )
        return {
            "incoming_register_id": register.id,
            "incoming_number": number,
            "received_date": today,
            "state": "registered",
        }

    def action_submit(self):
        self._check_state("draft")
        self.check_access("write")
        if any(doc.direction == "in" for doc in self):
            raise UserError(self.env._("An incoming document is registered, not submitted."))
        if any(not doc.pdf and not doc.body for doc in self):
            raise UserError(self.env._("Attach the PDF of the document first."))
        for doc in self.filtered(lambda d: not d.signer_id):
            raise UserError(self.env._("Choose the signer of %s first.", doc.name))
        self._check_signing_capacity()
        for doc in self.filtered("body"):
            # What the reviewers and the leader read is the page laid out from the content.
            doc.write({"pdf": base64.b64encode(doc._layout_pdf()), "pdf_name": f"{doc.name}.pdf"})
        self._internal_write({"state": "review"})
        return True

    def action_approve(self):
        self._check_state("review")
        self._check_leader_of_agency()
        self._internal_write({"state": "to_sign"})
        return True

    def action_back_to_draft(self):
        self._check_state("review", "to_sign")
        self.check_access("write")
        for doc in self:
            if doc.create_uid != self.env.user:
                doc._check_leader_of_agency()
        self._internal_write({"state": "draft"})
        return True

    def action_revoke(self, reason=None):
        """Revoke (thu hồi) an issued document, Nghị định 30/2020: the original PDF, number and
        signatures stay as they were; the state, the reason, who and when are recorded and
        logged. Only a leader of the issuing agency may, and only with a reason."""
        self.ensure_one()
        reason = (reason or "").strip()
        if self.state != "issued" or self.direction == "in":
            raise UserError(
                self.env._("Only an issued document of this system can be revoked: %s.", self.name)
            )
        if not (
            self.env.su
            or (
                self.env.user.has_group("cchc_base.group_cchc_leader")
                and self.env.user.cchc_agency_id == self.agency_id
            )
        ):
            raise AccessError(
                self.env._(
                    "Only a leader of %(agency)s may revoke its documents.",
                    agency=self.agency_id.name,
                )
            )
        if not reason:
            raise UserError(self.env._("Give the reason for revoking %s.", self.code or self.name))
        self._internal_write(
            {
                "state": "revoked",
                "revoke_reason": reason,
                "revoked_by_id": self.env.uid,
                "revoked_on": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Revoked by %(user)s. Reason: %(reason)s", user=self.env.user.name, reason=reason
            )
        )
        return True

    def _layout_pdf(self):
        """The draft laid out from its fields (cchc_core.pades.document)."""
        self.ensure_one()
        agency = self.agency_id.sudo()
        if agency.parent_id:
            issuer = (agency.parent_id.name, agency.name)
        elif agency.name.lower().startswith("ủy ban nhân dân "):
            issuer = ("Ủy ban nhân dân", agency.name[len("ủy ban nhân dân ") :])
        else:
            issuer = (agency.name,)
        layout = document.OfficialDocument(
            issuer_lines=issuer,
            notation=self.notation or "",
            place=self.place or "",
            year=pades.vietnam_time(datetime.now(UTC)).year,
            # "Quyết định (cá biệt)" is printed "QUYẾT ĐỊNH"; a công văn has no title line.
            kind_title=self.type_id.name.split("(")[0].strip() if self.type_id.abbreviation else "",
            subject=self.name,
            body=self.body or "",
            signature_lines=tuple(self._signature_lines()),
            signer_name=self.signer_id.name or "",
            recipients=self.recipients_text or "",
        )
        return document.render(layout)[0]

    def _check_state(self, *states):
        for doc in self:
            if doc.state not in states:
                raise UserError(
                    self.env._("%(doc)s is not at the right step for this action.", doc=doc.name)
                )

    def _check_leader_of_agency(self):
        """A leader of the issuing agency or of an agency above it (never the leader of the
        department that drafted it for the People's Committee)."""
        if self.env.su:
            return
        user = self.env.user
        for doc in self:
            above = [int(i) for i in (doc.agency_id.sudo().parent_path or "").split("/") if i]
            if not (
                user.has_group("cchc_base.group_cchc_leader") and user.cchc_agency_id.id in above
            ):
                raise AccessError(
                    self.env._(
                        "Only a leader of %(agency)s may do this.", agency=doc.agency_id.name
                    )
                )
        self.check_access("write")

    def _check_clerk_of(self, agency):
        """The clerks who serve ``agency`` (its own, or those of its clerk office: Văn phòng
        UBND tỉnh for the People's Committee) number its documents; so may the administrator."""
        user = self.env.user
        if self.env.su or user.has_group("cchc_base.group_cchc_manager"):
            return
        office = agency.sudo()._cchc_clerk_office()
        if not (user.has_group("cchc_base.group_cchc_clerk") and user.cchc_agency_id == office):
            raise AccessError(
                self.env._(
                    "Only a clerk of %(agency)s may number its documents.", agency=agency.name
                )
            )

    def _internal_write(self, vals):
        """Write what only the document's own actions write (they checked role and state)."""
        with unlocked(self):
            return self.write(vals)

    # ---------------------------------------------------------------- signing

    def _sign_as_leader(self, certificate, passphrase):
        """The competent person signs the PDF (PAdES), with a visible appearance."""
        self.ensure_one()
        self._check_leader(certificate)
        signed = self._sign(
            certificate,
            passphrase,
            "ChuKyLanhDao",
            LEADER_BOX,  # unless the PDF has the signature block's field
            self._leader_appearance(),
            reason=None,  # /Reason gets the capacity from the appearance
        )
        self._internal_write(
            {"pdf": base64.b64encode(signed), "state": "signed", "signer_id": self.env.user.id}
        )
        self._record_signature(certificate, "leader")
        self.message_post(body=self.env._("Signed by %s.", self.env.user.name))

    def _issue_with_seal(self, certificate, passphrase):
        """The clerk numbers and dates the document and applies the agency's signature."""
        self.ensure_one()
        self._check_state("signed")
        self._check_clerk_of(self.agency_id)
        if not (self.recipient_agency_ids or (self.recipients_text or "").strip()):
            raise UserError(
                self.env._(
                    "%s has no recipient: fill in the recipients (Nơi nhận) before issuing.",
                    self.name,
                )
            )
        seal = certificate.sudo()
        if not seal.active or seal.owner != "agency" or seal.agency_id != self.agency_id:
            raise AccessError(self.env._("Use the certificate of %s.", self.agency_id.name))
        secret = self.confidentiality != "normal"
        # The province's day, whatever the server's or the clerk's time zone.
        today = pades.vietnam_time(datetime.now(UTC)).date()
        register, number = self.env["cchc.document.register"]._take_number_for(
            self.agency_id, today.year, "out", secret
        )
        code = f"{number:02d}/{self.notation}"
        seal = self.agency_id.sudo().seal_image
        # The agency's red seal: its own image, else one drawn from its name.
        seal = base64.b64decode(seal) if seal else document.seal_png(self.agency_id.name)
        issued_as = self.env._("No. %(code)s, %(date)s", code=code, date=today.strftime("%d/%m/%Y"))
        fill = None
        if document.laid_out(self._pdf_checked(), document.SEAL_FIELD):
            # Laid out here: the number and date go into the header's fields in the seal's
            # revision (form filling, which keeps the leader's signature valid); the seal's
            # field waits over the left third of the leader's signature.
            fill = {
                document.NUMBER_FIELD: document.number_text(number, self.notation),
                document.DATE_FIELD: document.date_text(self.place or "", today),
            }
            appearance = pades.Appearance(self.agency_id.name, image=seal, in_block=True)
        else:
            appearance = pades.Appearance(
                self.agency_id.name, image=seal, position=issued_as, time=datetime.now(UTC)
            )
        signed = self._sign(
            certificate,
            passphrase,
            "ChuKyCoQuan",
            pades.seal_box(LEADER_BOX),
            appearance,
            reason=issued_as if fill else None,  # else the appearance's position is /Reason
            fill=fill,
        )
        self._internal_write(
            {
                "pdf": base64.b64encode(signed),
                "state": "issued",
                "number": number,
                "register_id": register.id,
                "issue_date": today,
            }
        )
        self._record_signature(certificate, "seal")
        self.message_post(body=self.env._("Issued as %s.", code))

    def _sign(self, certificate, passphrase, field_name, box, appearance, reason, fill=None):
        signer = certificate._signer(passphrase)
        roots, _intermediates, crls = self.env["cchc.trust.anchor"]._material()
        data = self._pdf_checked()
        try:
            pki.check_signing_certificate(signer.certificate, crls=crls)
            last_page = int(pades._reader(data).root["/Pages"]["/Count"]) - 1
            signed = pades.sign_pdf(
                data,
                signer,
                field_name=field_name,
                box=box,
                page=last_page,
                appearance=appearance,
                reason=reason,
                location=self.place or None,
                embed_revocation=bool(crls),
                crls=crls,
                timestamper=self._cchc_timestamper(),
                fill=fill,
            )
        except pki.SigningError as exc:
            raise UserError(sentence(translate(self.env, exc.args[0], "cchc_esign"))) from None
        except TimestampRequestError as exc:
            raise UserError(
                self.env._("The time-stamp authority did not answer: %s", exc)
            ) from None
        self._accept_signed(signed, roots, crls)
        return signed

    def _cchc_timestamper(self):
        """The time-stamp authority (PAdES B-T) set in the system parameter
        ``cchc_esign.tsa_url``, or None (B-B, or B-LT with CRLs)."""
        url = self.env["ir.config_parameter"].sudo().get_param("cchc_esign.tsa_url")
        if not url:
            return None
        from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

        return RequestsHTTPTimeStamper(url, timeout=20)

    def _accept_signed(self, signed, roots, crls):
        """Verify the newly signed PDF; refuse it (nothing saved) unless it is valid."""
        try:
            report = pades.verify_pdf(signed, roots, crls)
        except pki.SigningError as exc:
            raise UserError(sentence(translate(self.env, exc.args[0], "cchc_esign"))) from None
        if report.verdict != "valid":
            # An untrusted chain or a revoked certificate.
            raise UserError(
                self.env._(
                    "The signature would not be valid: %s",
                    translate(self.env, report.explanation, "cchc_esign"),
                )
            )
        self._store_verification(report, signed)

    # ---------------------------------------------------------------- external (USB token)

    def _prepare_external_signature(self, certificate):
        """The leader signs with a USB token: the PDF is prepared here and only its digest
        leaves the server; ``_finish_external_signature`` embeds the CMS the token made."""
        self.ensure_one()
        self._check_leader(certificate)
        data = self._pdf_checked()
        try:
            last_page = int(pades._reader(data).root["/Pages"]["/Count"]) - 1
            _prepared, digest, state = pades.prepare_external(
                data,
                certificate._x509(),
                field_name="ChuKyLanhDao",
                box=LEADER_BOX,
                page=last_page,
                appearance=self._leader_appearance(),
                reason=None,  # /Reason gets the capacity from the appearance
                location=self.place or None,
            )
        except pki.SigningError as exc:
            raise UserError(sentence(translate(self.env, exc.args[0], "cchc_esign"))) from None
        self.sudo()._internal_write(
            {
                "external_state": {
                    "certificate_id": certificate.id,
                    "user_id": self.env.uid,
                    "prepared_pdf": base64.b64encode(state.prepared_pdf).decode(),
                    "document_digest": state.document_digest.hex(),
                    "reserved_start": state.reserved_start,
                    "reserved_end": state.reserved_end,
                    "certificate_der": base64.b64encode(state.certificate_der).decode(),
                }
            }
        )
        return {"digest": digest.hex(), "digest_algorithm": "sha256"}

    def _finish_external_signature(self, cms_bytes):
        self.ensure_one()
        self._check_state("to_sign")
        saved = self.sudo().external_state
        if not saved or saved.get("user_id") != self.env.uid:
            raise UserError(self.env._("Prepare the signature with your token first."))
        self._check_leader(self.env["cchc.certificate"].browse(saved["certificate_id"]))
        state = pades.ExternalState(
            prepared_pdf=base64.b64decode(saved["prepared_pdf"]),
            document_digest=bytes.fromhex(saved["document_digest"]),
            reserved_start=saved["reserved_start"],
            reserved_end=saved["reserved_end"],
            certificate_der=base64.b64decode(saved["certificate_der"]),
        )
        roots, _intermediates, crls = self.env["cchc.trust.anchor"]._material()
        try:
            signed = pades.embed_external(state, cms_bytes)
        except pki.SigningError as exc:
            raise UserError(sentence(translate(self.env, exc.args[0], "cchc_esign"))) from None
        self._accept_signed(signed, roots, crls)
        certificate = self.env["cchc.certificate"].browse(saved["certificate_id"])
        self._internal_write(
            {"pdf": base64.b64encode(signed), "state": "signed", "signer_id": self.env.uid}
        )
        self.sudo()._internal_write({"external_state": False})
        self._record_signature(certificate, "leader")
        self.message_post(body=self.env._("Signed by %s with a USB token.", self.env.user.name))

    def _check_leader(self, certificate):
        """The document's signer signs, with a certificate of his own."""
        self._check_state("to_sign")
        if not self.signer_id:
            raise UserError(self.env._("Choose the signer of %s first.", self.name))
        if self.signer_id != self.env.user:
            raise AccessError(
                self.env._("%(user)s is the signer of this document.", user=self.signer_id.name)
            )
        certificate = certificate.sudo()
        if (
            not certificate.active
            or certificate.owner != "user"
            or certificate.user_id != self.env.user
        ):
            raise AccessError(self.env._("Sign with your own certificate."))

    def _leader_appearance(self):
        """The signature image (or, without one, the name typed as a mark) and the time; the
        authority and position lines too, unless the laid-out page prints them around it."""
        image = self.env.user.sudo().cchc_signature_image
        lines = self._signature_lines()
        return pades.Appearance(
            self.env.user.name,
            image=base64.b64decode(image) if image else None,
            position=lines[-1] if lines else "",
            on_behalf="\n".join(lines[:-1]),
            time=datetime.now(UTC),
            in_block=document.laid_out(self._pdf_checked()),
        )

    def _on_behalf(self):
        """The capacity as one line (edXML signer competence): ``KT. CHỦ TỊCH``."""
        lines = self._signature_lines()
        if self.signer_authority == "Q.":
            return lines[0] if lines else ""
        return " ".join(lines[:-1])

    def _check_electronic_dispatch(self):
        """What must hold before a document travels electronically (edXML dispatch)."""
        for doc in self:
            if not doc.recipient_agency_ids:
                raise UserError(
                    self.env._(
                        "%(doc)s names no recipient agency: it is sent to the recipients named "
                        "on it, never to everyone.",
                        doc=doc.code or doc.name,
                    )
                )
            if doc.confidentiality != "normal":
                raise UserError(
                    self.env._(
                        "%(doc)s is a secret document: secret documents are never sent "
                        "electronically.",
                        doc=doc.code or doc.name,
                    )
                )
            if doc.state != "issued" or doc.verdict != "valid":
                raise UserError(
                    self.env._(
                        "%(doc)s must be issued with valid signatures before it is sent.",
                        doc=doc.code or doc.name,
                    )
                )

    def _record_signature(self, certificate, role):
        Signature = self.env["cchc.document.signature"]
        with unlocked(Signature):
            Signature.sudo().create(
                {
                    "document_id": self.id,
                    "role": role,
                    "certificate_id": certificate.id,
                    "user_id": self.env.uid,
                    "signed_on": fields.Datetime.now(),
                }
            )

    # ---------------------------------------------------------------- verification

    def action_verify(self):
        self.check_access("read")
        for doc in self.filtered("pdf"):
            roots, _intermediates, crls = self.env["cchc.trust.anchor"]._material()
            data = doc._pdf_checked()
            try:
                report = pades.verify_pdf(data, roots, crls)
            except pki.SigningError as exc:
                raise UserError(sentence(translate(self.env, exc.args[0], "cchc_esign"))) from None
            doc._store_verification(report, data)

    def _store_verification(self, report, data):
        self._internal_write(self._verification_vals(report, data))

    @api.model
    def _verification_vals(self, report, data):
        """The verdict, the report and the hash of the verified PDF ``data``, as stored."""
        lines = []
        for sig in report.signatures:
            lines.append(
                f"{sig.field_name}: {sig.verdict} — {sig.signer}; "
                + self.env._(
                    "intact %(intact)s, valid %(valid)s, trusted %(trusted)s, "
                    "revoked %(revoked)s, changed after: %(changes)s",
                    intact=sig.intact,
                    valid=sig.valid,
                    trusted=sig.trusted,
                    revoked=sig.revoked,
                    changes=sig.modifications or "-",
                )
                + (
                    f"\n  {translate(self.env, sig.explanation, 'cchc_esign')}"
                    if sig.explanation
                    else ""
                )
            )
        return {
            "verdict": report.verdict,
            "verification": "\n".join(lines)
            + f"\n{translate(self.env, report.explanation, 'cchc_esign')}",
            "verified_on": fields.Datetime.now(),
            "pdf_sha256": hashlib.sha256(data).hexdigest(),
        }

    def _pdf_checked(self):
        """The PDF bytes, refused if they no longer match the hash stored at signing."""
        self.ensure_one()
        data = base64.b64decode(self.pdf)
        if self.pdf_sha256 and hashlib.sha256(data).hexdigest() != self.pdf_sha256:
            raise UserError(
                self.env._("The stored PDF of %s was altered after signing.", self.name)
            )
        return data
