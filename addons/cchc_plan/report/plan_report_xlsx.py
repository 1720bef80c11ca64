from odoo import models

from cchc_core import workbooks


class PlanReportXlsx(models.AbstractModel):
    _name = "report.cchc_plan.plan_report_xlsx"
    _inherit = "report.cchc_base.xlsx_abstract"
    _description = "Periodic report of an agency (XLSX)"

    def _write_record(self, workbook, report):
        line_model = self.env["cchc.plan.report.line"]
        statuses = dict(line_model._fields["status"]._description_selection(self.env))
        roles = dict(line_model._fields["role"]._description_selection(self.env))
        rows = [
            workbooks.ReportRow(
                number=line.number or "",
                task=line.task_id.name or "",
                lead=line.lead_agency_id.short_name or line.lead_agency_id.name or "",
                role=roles.get(line.role, ""),
                status=statuses.get(line.status, ""),
                progress=line.progress,
                result=line.result or "",
            )
            for line in report.line_ids
        ]
        texts = [
            (self.env._("Results"), report.results or ""),
            (self.env._("Difficulties"), report.difficulties or ""),
            (self.env._("Proposals"), report.proposals or ""),
        ]
        title = self.env._("Periodic report on administrative reform – %s", report.period_id.name)
        who = self.env._("Province") if report.is_consolidated else report.agency_id.name
        subtitle = f"{who} – {report.plan_id.display_name}"
        workbooks.periodic_report(workbook, title.upper(), subtitle, rows, texts)
