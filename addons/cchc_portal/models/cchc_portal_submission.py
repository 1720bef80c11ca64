from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.cchc_base.tools.protect import unlocked
from odoo.addons.cchc_onestop.models.cchc_onestop_applicant import APPLICANT_KINDS

from .cchc_onestop_dossier import ONLINE_ANSWER

# What the portal accepts, recognised by the file's first bytes (never by its name).
MAGIC = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
MAX_FILE_BYTES = 10 * 1024 * 1024
SUBMISSION_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
]


def sniff(data):
    """``(mimetype, extension)`` of a PDF, JPEG or PNG file by its content, else None."""
    for magic, mimetype, extension in MAGIC:
        if data.startswith(magic):
            return mimetype, extension
    return None


class CchcPortalSubmission(models.Model):
    """A citizen's online application for a procedure (hồ sơ trực tuyến).

    A draft the citizen can leave and resume; submitting it creates the dossier (channel
    online) that waits at the receiving desk, which accepts it (receipt, code and appointment
    by cchc_onestop's rules) or refuses it. Everything after that is the dossier's own life,
    shown to the citizen at /my/ho-so. Portal users only read their own; the portal's
    controllers write after checking the owner.
    """

    _name = "cchc.portal.submission"
    _description = "Online application"
    _inherit = ["cchc.protected.mixin"]
    _order = "write_date desc, id desc"

    _cchc_protected_fields = frozenset({"partner_id", "state", "dossier_id", "submitted_datetime"})

    partner_id = fields.Many2one(
        "res.partner", string="Account", required=True, index=True, ondelete="cascade"
    )
    procedure_id = fields.Many2one(
        "cchc.onestop.procedure", required=True, index=True, ondelete="restrict"
    )
    agency_id = fields.Many2one("cchc.agency", string="Receiving agency", ondelete="restrict")
    state = fields.Selection(SUBMISSION_STATES, required=True, default="draft", readonly=True)
    applicant_kind = fields.Selection(APPLICANT_KINDS, required=True, default="person")
    applicant_name = fields.Char()
    applicant_id_number = fields.Char(string="Identity number")
    applicant_phone = fields.Char(string="Phone")
    applicant_email = fields.Char(string="Email")
    applicant_address = fields.Char(string="Address")
    line_ids = fields.One2many("cchc.portal.submission.document", "submission_id")
    dossier_id = fields.Many2one(
        "cchc.onestop.dossier", readonly=True, index="btree_not_null", ondelete="set null"
    )
    submitted_datetime = fields.Datetime(string="Submitted at", readonly=True)

    def _cchc_is_frozen(self):
        return self.state != "draft"

    @api.depends("procedure_id")
    def _compute_display_name(self):
        for submission in self:
            submission.display_name = submission.procedure_id.name or ""

    # ---------------------------------------------------------------- business

    @api.model
    def _portal_draft(self, partner, procedure):
        """The partner's draft for the procedure, created if there is none (lines per required
        document of the catalogue)."""
        draft = self.sudo().search(
            [
                ("partner_id", "=", partner.id),
                ("procedure_id", "=", procedure.id),
                ("state", "=", "draft"),
            ],
            limit=1,
        )
        if draft:
            return draft
        with unlocked(self):
            return self.sudo().create(
                {
                    "partner_id": partner.id,
                    "procedure_id": procedure.id,
                    "agency_id": procedure._portal_agencies()[:1].id,
                    "applicant_name": partner.name,
                    "applicant_email": partner.email,
                    "line_ids": [
                        Command.create({"procedure_document_id": template.id})
                        for template in procedure.document_ids.sorted("sequence")
                    ],
                }
            )

    def _portal_save(self, values, files):
        """Save what the form sent: ``values`` the applicant's data, ``files`` ``{line id:
        (filename, bytes)}``. Each file is checked by its content and its size."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(self.env._("This application has been submitted already."))
        allowed = self.procedure_id._portal_agencies()
        vals = {
            key: (values.get(key) or "").strip()[:256]
            for key in (
                "applicant_name",
                "applicant_id_number",
                "applicant_phone",
                "applicant_email",
                "applicant_address",
            )
            if key in values
        }
        if values.get("applicant_kind") in dict(APPLICANT_KINDS):
            vals["applicant_kind"] = values["applicant_kind"]
        if values.get("agency_id"):
            agency = allowed.filtered(lambda a: str(a.id) == str(values["agency_id"]))
            if not agency:
                raise ValidationError(self.env._("Choose one of the desks that receive it."))
            vals["agency_id"] = agency.id
        checked = {}
        for line_id, (filename, data) in files.items():
            line = self.line_ids.filtered(lambda line, line_id=line_id: line.id == line_id)
            if not line:
                raise ValidationError(self.env._("This file does not belong to the form."))
            if not data:
                continue
            kind = self._portal_file_kind(line.name, data)
            checked[line] = (filename, data, kind)
        submission = self.sudo()
        submission.write(vals)
        Attachment = self.env["ir.attachment"].sudo()
        for line, (filename, data, (mimetype, extension)) in checked.items():
            stem = (filename or "").rsplit(".", 1)[0].strip()[:80] or line.name[:80]
            old = line.sudo().attachment_id
            attachment = Attachment.create(
                {
                    "name": f"{stem}.{extension}",
                    "raw": data,
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
            line.sudo().attachment_id = attachment
            old.unlink()
        return True

    def _portal_file_kind(self, name, data):
        """The kind of an uploaded file (PDF, JPEG, PNG) read from its content; a file too large
        or of another kind is refused, named by ``name``."""
        if len(data) > MAX_FILE_BYTES:
            raise ValidationError(
                self.env._(
                    "%(name)s: the file is larger than %(size)s MB.",
                    name=name,
                    size=MAX_FILE_BYTES // (1024 * 1024),
                )
            )
        kind = sniff(data)
        if not kind:
            raise ValidationError(
                self.env._(
                    "%(name)s: only PDF, JPEG and PNG files are accepted (the content of "
                    "this file is none of them).",
                    name=name,
                )
            )
        return kind

    def _portal_submit(self):
        """Check the application and create the dossier that waits at the desk."""
        self.ensure_one()
        submission = self.sudo()
        if submission.state != "draft":
            raise UserError(self.env._("This application has been submitted already."))
        procedure = submission.procedure_id
        if not procedure.portal_online_filing or not procedure.filtered_domain(
            procedure._portal_domain()
        ):
            raise UserError(self.env._("This procedure cannot be filed online."))
        missing = [
            line.name for line in submission.line_ids if line.required and not line.attachment_id
        ]
        problems = []
        if not (submission.applicant_name or "").strip():
            problems.append(self.env._("the applicant's name"))
        if not (submission.applicant_id_number or "").strip():
            problems.append(self.env._("the identity number"))
        if not submission.agency_id:
            problems.append(self.env._("the receiving desk"))
        problems += missing
        if problems:
            raise UserError(
                self.env._("Before submitting, give: %(missing)s.", missing="; ".join(problems))
            )
        Dossier = self.env["cchc.onestop.dossier"].sudo()
        now = fields.Datetime.now()
        with unlocked(Dossier, self):
            dossier = Dossier.create(
                {
                    "agency_id": submission.agency_id.id,
                    "procedure_id": procedure.id,
                    "channel": "online",
                    "received_datetime": now,
                    "applicant_kind": submission.applicant_kind,
                    "applicant_name": submission.applicant_name.strip(),
                    "applicant_id_number": submission.applicant_id_number,
                    "applicant_phone": submission.applicant_phone,
                    "applicant_email": submission.applicant_email or submission.partner_id.email,
                    "applicant_address": submission.applicant_address,
                    "portal_partner_id": submission.partner_id.id,
                    "document_ids": [
                        Command.create(line._dossier_document_vals())
                        for line in submission.line_ids
                    ],
                }
            )
            for line, document in zip(submission.line_ids, dossier.document_ids, strict=True):
                if line.attachment_id:
                    copy = line.attachment_id.copy(
                        {"res_model": Dossier._name, "res_id": dossier.id}
                    )
                    document.write({"attachment_ids": [Command.set(copy.ids)]})
            submission.write(
                {"state": "submitted", "dossier_id": dossier.id, "submitted_datetime": now}
            )
        dossier.message_post(
            body=self.env._("Filed online on the public service portal; waiting at the desk."),
            subtype_xmlid="mail.mt_note",
        )
        return dossier

    # ---------------------------------------------------------------- supplement

    @api.model
    def _portal_answer_supplement(self, dossier, note, files):
        """The citizen answers a supplement request online: the files become a document of
        the dossier and the clock restarts (cchc_onestop's rules)."""
        dossier = dossier.sudo()
        if dossier.state != "supplement":
            raise UserError(self.env._("No supplement is requested for this dossier."))
        files = [(name, data) for name, data in files if data]
        if not files:
            raise UserError(self.env._("Attach the requested documents."))
        attachments = self.env["ir.attachment"].sudo()
        checked = []
        for filename, data in files:
            kind = self._portal_file_kind(filename, data)
            checked.append((filename, data, kind))
        for filename, data, (mimetype, extension) in checked:
            stem = (filename or "").rsplit(".", 1)[0].strip()[:80] or "bo-sung"
            attachments |= attachments.create(
                {
                    "name": f"{stem}.{extension}",
                    "raw": data,
                    "mimetype": mimetype,
                    "res_model": dossier._name,
                    "res_id": dossier.id,
                }
            )
        request = dossier.supplement_ids.filtered(lambda s: not s.received_datetime)[:1]
        dossier.write(
            {
                "document_ids": [
                    Command.create(
                        {
                            "name": self.env._("Supplement: %(what)s", what=request.reason or "")[
                                :200
                            ],
                            "provided": True,
                            "note": (note or "").strip()[:500] or False,
                            "attachment_ids": [Command.set(attachments.ids)],
                        }
                    )
                ]
            }
        )
        dossier.with_context(cchc_portal_online_answer=ONLINE_ANSWER)._resume_after_supplement()
        return dossier
