from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    cchc_signature_image = fields.Image(
        string="Signature image",
        max_width=600,
        max_height=300,
        help="Shown in the visible digital signature, above the name.",
    )
