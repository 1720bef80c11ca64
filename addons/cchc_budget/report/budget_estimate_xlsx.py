from odoo import models

from cchc_core import workbooks


class BudgetEstimateXlsx(models.AbstractModel):
    _name = "report.cchc_budget.budget_estimate_xlsx"
    _inherit = "report.cchc_base.xlsx_abstract"
    _description = "Budget estimate of a plan (XLSX)"

    def _write_record(self, workbook, plan):
        """The plan's estimate sheet, from the budget lines the user may read."""
        lines = self.env["cchc.budget.line"].search(
            [("plan_id", "=", plan.id)], order="area_id, sequence, id"
        )
        groups = {}
        for line in lines:
            area = line.area_id.name or self.env._("Shared costs of the plan")
            groups.setdefault(area, []).append(
                workbooks.EstimateRow(
                    content=line.name,
                    unit=line.unit or "",
                    quantity=line.quantity,
                    unit_price=line.unit_price or line.estimate,
                    amount=line.estimate,
                )
            )
        title = self.env._("Budget estimate for plan %s", plan.number).upper()
        workbooks.estimate_sheet(workbook, title, plan.name, list(groups.items()))
