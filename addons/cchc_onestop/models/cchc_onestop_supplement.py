from odoo import fields, models

from .cchc_onestop_dossier import STATES


class CchcOnestopSupplement(models.Model):
    """A request to supplement a dossier (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ).

    The request stops the dossier's clock; when the supplement arrives the clock restarts and
    the dossier gets a new appointment, kept here next to the old one.
    """

    _name = "cchc.onestop.supplement"
    _description = "Request to supplement a dossier"
    _order = "requested_datetime desc, id desc"

    dossier_id = fields.Many2one(
        "cchc.onestop.dossier", required=True, ondelete="cascade", index=True
    )
    agency_id = fields.Many2one(related="dossier_id.agency_id", store=True, index=True)
    requested_datetime = fields.Datetime(string="Requested at", required=True, readonly=True)
    requested_by_id = fields.Many2one("res.users", string="Requested by", readonly=True)
    step_id = fields.Many2one(
        "cchc.onestop.dossier.step", string="At step", readonly=True, ondelete="set null"
    )
    reason = fields.Text(required=True)
    documents = fields.Text(string="Documents to supplement")
    previous_state = fields.Selection(STATES, readonly=True)
    old_appointment_datetime = fields.Datetime(string="Appointment before", readonly=True)
    received_datetime = fields.Datetime(string="Supplement received at", readonly=True)
    new_appointment_datetime = fields.Datetime(string="New appointment", readonly=True)
