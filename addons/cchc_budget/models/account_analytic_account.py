from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.cchc_base.tools.protect import is_unlocked


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    cchc_budget_line_ids = fields.One2many(
        "cchc.budget.line", "analytic_account_id", string="Budget lines"
    )
    # The agency of the budget line this account belongs to: record rules show an account to
    # the users of that agency (and those above it), the budget controller and the coordinator.
    cchc_agency_id = fields.Many2one(
        "cchc.agency",
        string="Agency",
        compute="_compute_cchc_agency_id",
        store=True,
        index=True,
    )

    @api.depends("cchc_budget_line_ids.agency_id")
    def _compute_cchc_agency_id(self):
        for account in self:
            account.cchc_agency_id = account.cchc_budget_line_ids[:1].agency_id

    @api.model_create_multi
    def create(self, vals_list):
        if not is_unlocked(self) and any(vals.get("cchc_agency_id") for vals in vals_list):
            self._cchc_refuse_agency()
        return super().create(vals_list)

    def write(self, vals):
        if "cchc_agency_id" in vals and not is_unlocked(self):
            self._cchc_refuse_agency()
        return super().write(vals)

    def _cchc_refuse_agency(self):
        raise AccessError(
            self.env._(
                "The agency of an analytic account is that of its budget line; it changes "
                "only with the budget line."
            )
        )
