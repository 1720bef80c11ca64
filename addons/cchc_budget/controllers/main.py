from odoo import http
from odoo.http import content_disposition, request

from cchc_core import workbooks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CchcBudgetController(http.Controller):
    @http.route("/cchc_budget/plan/<int:plan_id>/estimate", type="http", auth="user")
    def plan_estimate(self, plan_id):
        """The plan's estimate sheet, from the budget lines the user may read."""
        plan = request.env["cchc.plan"].browse(plan_id).exists()
        if not plan:
            raise request.not_found()
        plan.check_access("read")
        lines = request.env["cchc.budget.line"].search(
            [("plan_id", "=", plan.id)], order="area_id, sequence, id"
        )
        groups = {}
        for line in lines:
            area = line.area_id.name or request.env._("Shared costs of the plan")
            groups.setdefault(area, []).append(
                workbooks.EstimateRow(
                    content=line.name,
                    unit=line.unit or "",
                    quantity=line.quantity,
                    unit_price=line.unit_price or line.estimate,
                    amount=line.estimate,
                )
            )
        title = request.env._("Budget estimate for plan %s", plan.number).upper()
        data = workbooks.estimate_sheet(title, plan.name, list(groups.items()))
        filename = f"du-toan-{plan.number}.xlsx".replace("/", "-")
        return request.make_response(
            data,
            headers=[
                ("Content-Type", XLSX),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
