from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CchcAgency(models.Model):
    _inherit = "cchc.agency"

    seal_image = fields.Image(
        max_width=400, max_height=400, help="The seal shown in the agency's digital signature."
    )

    notation_code = fields.Char(
        help="The abbreviation in document notations (ký hiệu): UBND, SNV, STP. Default: the "
        "short name without spaces."
    )

    clerk_office_id = fields.Many2one(
        "cchc.agency",
        string="Served by the clerks of",
        index=True,
        help="The agency whose clerks (văn thư) number, issue and register this agency's "
        "documents, e.g. Văn phòng UBND tỉnh for the provincial People's Committee. Empty: the "
        "agency's own clerks.",
    )
    collective_title = fields.Char(
        string="Collective signing line",
        help="What follows TM. when a leader signs for the collective, e.g. ỦY BAN NHÂN DÂN. "
        "Empty: the agency's name in capitals.",
    )

    @api.constrains("clerk_office_id")
    def _check_clerk_office(self):
        for agency in self:
            if agency.clerk_office_id.clerk_office_id:
                raise ValidationError(
                    self.env._(
                        "%(office)s is itself served by another agency's clerks: choose the "
                        "agency whose clerks do the work.",
                        office=agency.clerk_office_id.name,
                    )
                )

    def _cchc_clerk_office(self):
        """The agency whose clerks number and issue this agency's documents."""
        self.ensure_one()
        return self.clerk_office_id or self

    def _cchc_collective_line(self):
        self.ensure_one()
        return self.collective_title or (self.name or "").upper()

    def _notation_code(self):
        self.ensure_one()
        return self.notation_code or (self.short_name or self.name or "").replace(" ", "")
