from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError


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
