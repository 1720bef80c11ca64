from odoo import models

from cchc_core import workbooks


class PlanAppendixXlsx(models.AbstractModel):
    _name = "report.cchc_plan.plan_appendix_xlsx"
    _inherit = "report.cchc_base.xlsx_abstract"
    _description = "Task appendix of a plan (XLSX)"

    def _write_record(self, workbook, plan):
        """The plan's task table in the layout of an appendix, as the current user sees it."""
        status_labels = dict(
            self.env["project.task"]._fields["cchc_status"]._description_selection(self.env)
        )
        tasks = self.env["project.task"].search(
            [("cchc_plan_id", "=", plan.id)], order="cchc_section_id, id"
        )
        tasks.fetch(
            [
                "cchc_section_id",
                "cchc_number",
                "name",
                "lead_agency_id",
                "coordinating_agency_ids",
                "cchc_completion_phrase",
                "cchc_output",
                "cchc_note",
                "cchc_status",
            ]
        )
        sections = {}
        for task in tasks:
            section = task.cchc_section_id
            if section not in sections:
                sections[section] = workbooks.Section(section.roman or "", section.name or "")
            sections[section].rows.append(
                workbooks.TaskRow(
                    number=task.cchc_number or "",
                    content=task.name or "",
                    lead=task.lead_agency_id.short_name or task.lead_agency_id.name or "",
                    coordinating="; ".join(
                        a.short_name or a.name for a in task.coordinating_agency_ids
                    ),
                    completion=task.cchc_completion_phrase or "",
                    output=task.cchc_output or "",
                    note=task.cchc_note or "",
                    status=status_labels.get(task.cchc_status, ""),
                )
            )
        subtitle = self.env._(
            "Appendix of plan %(number)s of %(agency)s, %(date)s",
            number=plan.number,
            agency=plan.issuing_agency_id.name,
            date=plan.date_issued.strftime("%d/%m/%Y"),
        )
        workbooks.plan_appendix(workbook, plan.name.upper(), subtitle, sections.values())
