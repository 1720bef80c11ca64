from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CchcOnestopApology(models.Model):
    """An apology letter with a new date (phiếu xin lỗi và hẹn lại ngày trả kết quả).

    A dossier resolved after its appointment cannot be returned without one. The dossier stays
    late in the statistics: the new date is a promise to the applicant, not a new deadline.
    """

    _name = "cchc.onestop.apology"
    _description = "Apology letter"
    _order = "issued_datetime desc, id desc"

    dossier_id = fields.Many2one(
        "cchc.onestop.dossier", required=True, ondelete="cascade", index=True
    )
    agency_id = fields.Many2one(
        related="dossier_id.agency_id", store=True, index=True, string="Receiving agency"
    )
    responsible_agency_id = fields.Many2one(
        "cchc.agency",
        string="Apologising agency",
        required=True,
        ondelete="restrict",
        help="The agency whose delay the letter apologises for.",
    )
    issued_datetime = fields.Datetime(
        string="Issued at", required=True, readonly=True, default=fields.Datetime.now
    )
    issued_date = fields.Date(compute="_compute_issued_date", store=True, index=True)
    issued_by_id = fields.Many2one(
        "res.users", string="Issued by", readonly=True, default=lambda self: self.env.user
    )
    reason = fields.Text(string="Reason of the delay", required=True)
    new_date = fields.Date(string="New appointment date", required=True)

    @api.depends("issued_datetime")
    def _compute_issued_date(self):
        for rec in self:
            rec.issued_date = rec.dossier_id._clock().local_date(rec.issued_datetime)

    @api.constrains("new_date", "issued_datetime")
    def _check_new_date(self):
        for rec in self:
            if rec.new_date < rec.issued_date:
                raise ValidationError(
                    self.env._("The new appointment date of an apology letter cannot be past.")
                )
            appointment = rec.dossier_id.appointment_date
            if appointment and rec.new_date <= appointment:
                raise ValidationError(
                    self.env._(
                        "The new appointment date must come after the appointment (%(date)s).",
                        date=rec.dossier_id._format_day(appointment),
                    )
                )
