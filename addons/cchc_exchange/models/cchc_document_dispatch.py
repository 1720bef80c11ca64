from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.cchc_base.tools.protect import unlocked

from ..tools.exchange_common import STATUS_SELECTION, canonical_or_none

# How far a dispatch has gone: a late status never moves it back.
PROGRESS = {"queued": 0, "failed": 0, "sent": 1, "01": 2, "03": 3, "04": 4, "05": 5, "06": 6}


class CchcDocumentDispatch(models.Model):
    """One outgoing document on its way to one recipient, with the statuses that came back."""

    _name = "cchc.document.dispatch"
    _inherit = ["cchc.protected.mixin"]
    _description = "Electronic dispatch of a document"
    _order = "document_id, id"

    document_id = fields.Many2one("cchc.document", required=True, index=True, ondelete="cascade")
    recipient_agency_id = fields.Many2one("cchc.agency", required=True, index=True)
    partner_id = fields.Many2one(
        related="recipient_agency_id.exchange_partner_id", store=True, string="Through"
    )
    state = fields.Selection(STATUS_SELECTION, default="queued", required=True, index=True)
    state_date = fields.Datetime(default=fields.Datetime.now)
    reason = fields.Text(help="Why the recipient refused it, when it did.")
    message_ids = fields.One2many("cchc.exchange.message", "dispatch_id", string="Packages")
    last_error = fields.Text(
        string="Partner's answer", compute="_compute_delivery", help="Of the last delivery."
    )
    can_send_again = fields.Boolean(compute="_compute_delivery")

    _sql_constraints = [
        (
            "dispatch_unique",
            "UNIQUE(document_id, recipient_agency_id)",
            "The document was already sent to this agency.",
        ),
    ]

    # Where the package is: written by the exchange only (deliveries and statuses).
    _cchc_protected_fields = frozenset({"state", "state_date", "reason"})

    def _cchc_protection_hint(self):
        return self.env._("They change only with the deliveries and the statuses that come back.")

    def _compute_delivery(self):
        for dispatch in self:
            sent = dispatch.sudo().message_ids.filtered(
                lambda m: m.direction == "out" and m.kind == "document"
            )[:1]
            dispatch.last_error = sent.last_error
            dispatch.can_send_again = sent.transport_state == "failed"

    def action_download_package(self):
        """The signed package sent to this recipient, as a .edxml file (to hand over on a
        medium when a recipient cannot be reached through the exchange)."""
        self.ensure_one()
        message = self.message_ids.filtered(
            lambda m: m.direction == "out" and m.kind == "document"
        )[:1]
        if not message:
            raise UserError(self.env._("No package was made for this recipient."))
        return message.action_download()

    def action_send_again(self):
        """Send a package that could not be delivered once more."""
        for dispatch in self:
            dispatch.check_access("read")
            failed = dispatch.message_ids.filtered(
                lambda m: m.direction == "out" and m.kind == "document"
            ).filtered(lambda m: m.transport_state == "failed")
            if not failed:
                raise UserError(
                    self.env._(
                        "The package to this recipient has not failed: it is still on its way "
                        "or delivered."
                    )
                )
            failed.action_send_again()
        return True

    @api.model
    def _find(self, edxml_document_id, recipient_organ, partner):
        organ = canonical_or_none(recipient_organ)
        return self.search(
            [
                ("document_id.edxml_document_id", "=", edxml_document_id),
                ("recipient_agency_id.identifier", "=", organ),
                ("partner_id", "=", partner.id),
            ],
            limit=1,
        )

    def _apply_status(self, status):
        self.ensure_one()
        code = status.status_code
        if code in PROGRESS and PROGRESS[code] < PROGRESS.get(self.state, 99):
            return  # a late-arriving earlier status
        with unlocked(self):
            self.write(
                {
                    "state": code,
                    "state_date": fields.Datetime.now(),
                    "reason": status.description if code in ("02", "16") else self.reason,
                }
            )
        labels = dict(self._fields["state"]._description_selection(self.env))
        body = self.env._(
            "%(agency)s: %(status)s", agency=self.recipient_agency_id.name, status=labels[code]
        )
        if status.description:
            body += f" — {status.description}"
        self.document_id.message_post(body=body)
