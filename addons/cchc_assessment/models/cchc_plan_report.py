from odoo import models


class CchcPlanReport(models.Model):
    _inherit = "cchc.plan.report"

    def _cchc_evidence_facts(self, method_name):
        """What the reform index keeps of each report behind a figure: its period, due date,
        submission date and whether it was submitted on time."""
        facts = {}
        for report in self:
            submitted = report.submitted_on and report.submitted_on.date()
            facts[report.id] = {
                "code": report.period_id.name,
                "detail": report.display_name,
                "date_due": report.due_date,
                "date_done": submitted,
                "met": bool(submitted) and submitted <= report.due_date,
            }
        return facts
