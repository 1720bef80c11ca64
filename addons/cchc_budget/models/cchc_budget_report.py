from odoo import fields, models, tools
from odoo.tools import SQL


class CchcBudgetReport(models.Model):
    """Budget against spending per line, for pivot and graph by agency, area and task."""

    _name = "cchc.budget.report"
    _description = "Budget and spending"
    _auto = False
    _order = "fiscal_year desc, plan_id"

    line_id = fields.Many2one("cchc.budget.line", readonly=True)
    plan_id = fields.Many2one("cchc.plan", readonly=True)
    task_id = fields.Many2one("project.task", readonly=True)
    agency_id = fields.Many2one("cchc.agency", readonly=True)
    area_id = fields.Many2one("cchc.reform.area", string="Reform area", readonly=True)
    fiscal_year = fields.Integer(readonly=True, aggregator=None)
    funding_source = fields.Selection(
        [
            ("provincial", "Provincial budget"),
            ("central", "Central budget"),
            ("other", "Other lawful sources"),
        ],
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    estimate = fields.Monetary(readonly=True)
    allocation = fields.Monetary(readonly=True)
    spent = fields.Monetary(readonly=True)
    remaining = fields.Monetary(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        plan = self.env.ref("cchc_budget.analytic_plan_cchc", raise_if_not_found=False)
        if not plan:
            # At install the root plan (and its column) comes with the data file, which calls
            # init() again; until then the view knows no spending.
            self.env.cr.execute(
                SQL(
                    """
                    CREATE VIEW %(view)s AS (
                        SELECT l.id, l.id AS line_id, l.plan_id, l.task_id, l.agency_id,
                               l.area_id, l.fiscal_year, l.funding_source, l.company_id,
                               l.estimate, l.allocation, 0::numeric AS spent,
                               l.allocation AS remaining
                          FROM cchc_budget_line l
                    )
                    """,
                    view=SQL.identifier(self._table),
                )
            )
            return
        column = plan._column_name()
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT l.id, l.id AS line_id, l.plan_id, l.task_id, l.agency_id, l.area_id,
                           l.fiscal_year, l.funding_source, l.company_id,
                           l.estimate, l.allocation,
                           COALESCE(s.spent, 0) AS spent,
                           l.allocation - COALESCE(s.spent, 0) AS remaining
                      FROM cchc_budget_line l
                      LEFT JOIN (SELECT %(column)s AS account_id, -SUM(amount) AS spent
                                   FROM account_analytic_line
                                  WHERE %(column)s IS NOT NULL
                                  GROUP BY %(column)s) s
                             ON s.account_id = l.analytic_account_id
                )
                """,
                view=SQL.identifier(self._table),
                column=SQL.identifier(column),
            )
        )
