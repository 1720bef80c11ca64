from odoo import http
from odoo.http import content_disposition, request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CchcPlanController(http.Controller):
    """Downloads run as the user: record rules decide what can be exported."""

    @http.route("/cchc_plan/plan/<int:plan_id>/xlsx", type="http", auth="user")
    def plan_xlsx(self, plan_id):
        plan = request.env["cchc.plan"].browse(plan_id).exists()
        if not plan:
            raise request.not_found()
        plan.check_access("read")
        return self._xlsx(plan._xlsx_appendix(), f"{plan.number or 'ke-hoach'}.xlsx")

    @http.route("/cchc_plan/report/<int:report_id>/xlsx", type="http", auth="user")
    def report_xlsx(self, report_id):
        report = request.env["cchc.plan.report"].browse(report_id).exists()
        if not report:
            raise request.not_found()
        report.check_access("read")
        return self._xlsx(report._xlsx_report(), f"{report.display_name}.xlsx")

    def _xlsx(self, data, filename):
        return request.make_response(
            data,
            headers=[
                ("Content-Type", XLSX),
                ("Content-Disposition", content_disposition(filename.replace("/", "-"))),
            ],
        )
