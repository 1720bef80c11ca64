from odoo import api, models
from odoo.exceptions import AccessError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._cchc_check_budget_agencies()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if "analytic_distribution" in vals:
            self._cchc_check_budget_agencies()
        return res

    def _cchc_check_budget_agencies(self):
        """An accountant charges only the budget lines of the agencies he serves.

        The analytic distribution names analytic accounts; those of budget lines belong to an
        agency. Checked for the real user (``sudo()`` does not change it) when a line is
        written and when its entry is posted."""
        accounts = set()
        for line in self:
            for key in line.analytic_distribution or {}:
                accounts.update(int(account) for account in key.split(",") if account)
        if not accounts:
            return
        served = self.env.user._cchc_budget_agencies()
        if served is None:
            return
        budget_lines = (
            self.env["cchc.budget.line"]
            .sudo()
            .search([("analytic_account_id", "in", list(accounts))])
        )
        foreign = budget_lines.filtered(lambda line: line.agency_id not in served)
        if foreign:
            raise AccessError(
                self.env._(
                    "%(user)s may not charge the budget line %(line)s of %(agency)s: an "
                    "accountant records spending only on the budget lines of the agencies he "
                    "serves.",
                    user=self.env.user.name,
                    line=foreign[0].name,
                    agency=foreign[0].agency_id.name,
                )
            )
