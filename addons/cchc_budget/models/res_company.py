from odoo import fields, models

GUARDS = [
    ("none", "No check"),
    ("warn", "Warn (post, and note it on the entry)"),
    ("block", "Block the posting"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    cchc_budget_guard = fields.Selection(
        GUARDS,
        string="Budget allocation guard",
        default="warn",
        required=True,
        help="What happens when posting a bill or expense would take a reform task's budget "
        "line beyond its allocation.",
    )
