from markupsafe import Markup

from odoo import api, models
from odoo.exceptions import AccessError, UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        self.line_ids._cchc_check_budget_agencies()
        self._cchc_budget_guard()
        return super()._post(soft=soft)

    def _cchc_budget_guard(self):
        """Warn or refuse when posting would take a budget line beyond its allocation."""
        for company, moves in self.grouped("company_id").items():
            guard = company.cchc_budget_guard
            if guard == "none":
                continue
            Line = self.env["cchc.budget.line"]
            incoming = Line._amounts_of_move_lines(moves.line_ids)
            if not incoming:
                continue
            budget_lines = Line.sudo().browse([line.id for line in incoming])
            spent = budget_lines._spent_by_account()
            over = []
            for line, amount in incoming.items():
                after = spent.get(line.analytic_account_id.id, 0.0) + amount
                if amount > 0 and after > line.allocation:
                    over.append(
                        self.env._(
                            "%(line)s: allocation %(allocation)s, spent after posting %(after)s",
                            line=line.name,
                            allocation=line.currency_id.format(line.allocation),
                            after=line.currency_id.format(after),
                        )
                    )
            if not over:
                continue
            if guard == "block":
                raise UserError(
                    self.env._("Posting would exceed the budget allocation:\n%s", "\n".join(over))
                )
            for move in moves:
                move.message_post(
                    body=Markup("<p>%s</p><ul>%s</ul>")
                    % (
                        self.env._("Posted beyond the budget allocation:"),
                        Markup().join(Markup("<li>%s</li>") % text for text in over),
                    ),
                    subtype_xmlid="mail.mt_note",
                )


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
