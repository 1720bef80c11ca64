import base64
import binascii

from odoo import fields, models
from odoo.exceptions import UserError

MAX_FILE_MB = 50


class CchcEdxmlImport(models.TransientModel):
    """An edXML package received as a file (e-mail, USB): verified and registered like one
    that came through the exchange."""

    _name = "cchc.edxml.import"
    _description = "Import an edXML package"

    package = fields.Binary(string="Package (.edxml)", required=True)
    package_name = fields.Char()
    partner_id = fields.Many2one(
        "cchc.exchange.partner",
        string="From the partner",
        help="The system the sending agency belongs to; empty for an agency of this system.",
    )

    def action_import(self):
        self.ensure_one()
        try:
            data = base64.b64decode(self.package, validate=True)
        except (binascii.Error, TypeError):
            raise UserError(self.env._("The file could not be read.")) from None
        if len(data) > MAX_FILE_MB * 1024 * 1024:
            raise UserError(self.env._("The file is larger than %s MB.", MAX_FILE_MB))
        answer = (
            self.env["cchc.exchange.message"]
            .sudo()
            ._receive(data, partner=self.partner_id, channel="file")
        )
        if answer["result"] == "refused":
            message = self.env._("The package was refused: %s", answer["reason"])
            kind = "danger"
        elif answer["result"] == "duplicate":
            message = self.env._("This package was already received and registered.")
            kind = "warning"
        else:
            message = self.env._("The package was verified and registered.")
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": kind,
                "sticky": kind != "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
