from odoo import fields, models


class CchcAgency(models.Model):
    _inherit = "cchc.agency"

    seal_image = fields.Image(
        max_width=400, max_height=400, help="The seal shown in the agency's digital signature."
    )

    notation_code = fields.Char(
        help="The abbreviation in document notations (ký hiệu): UBND, SNV, STP. Default: the "
        "short name without spaces."
    )

    def _notation_code(self):
        self.ensure_one()
        return self.notation_code or (self.short_name or self.name or "").replace(" ", "")
