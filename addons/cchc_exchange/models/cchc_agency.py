from odoo import fields, models


class CchcAgency(models.Model):
    _inherit = "cchc.agency"

    exchange_partner_id = fields.Many2one(
        "cchc.exchange.partner",
        string="Reached through",
        index=True,
        help="Set for an agency of another system: its documents travel through this partner. "
        "Empty: the agency works in this system.",
    )
    incoming_handler_id = fields.Many2one(
        "res.users",
        string="Default handler of incoming documents",
        help="Documents received electronically are assigned to this person at once.",
    )
    incoming_handling_days = fields.Integer(
        string="Handling time (working days)",
        default=10,
        help="The deadline of an incoming document without a response date of its own.",
    )
