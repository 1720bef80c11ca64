from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools import file_open

from odoo.addons.cchc_base.tools.protect import unlocked


class CchcPlanDemo(models.AbstractModel):
    """Demo plans: Bến Tre's 1365/KH-UBND imported as a user pastes it, and this year's plan
    with tasks in every state and periodic reports."""

    _name = "cchc.plan.demo"
    _description = "Reform plan demo data"

    @api.model
    def _demo_import_text(self, plan_id, path):
        """Import an appendix shipped as text, through the wizard, as a user would."""
        with file_open(path) as handle:
            text = handle.read()
        wizard = self.env["cchc.plan.import"].create(
            {"plan_id": plan_id, "source": "text", "text": text}
        )
        wizard.action_parse()
        wizard.mapping_ids.write({"ignore": True})
        wizard.action_confirm()
        self.env["cchc.plan"].browse(plan_id).action_put_in_force()

    @api.model
    def _demo_populate_current(self, plan_id):
        """This year's plan: sections, tasks in every state, the first period's reports."""
        plan = self.env["cchc.plan"].browse(plan_id)
        year = plan.year_from
        today = fields.Date.context_today(self)
        ref = self.env.ref
        area = {
            code: self.env["cchc.reform.area"].search([("code", "=", code)]).id
            for code in ("CDDH", "TC", "TTHC", "CPS")
        }
        sections = self.env["cchc.plan.section"].create(
            [
                {
                    "plan_id": plan.id,
                    "roman": "I",
                    "name": "Công tác chỉ đạo, điều hành",
                    "area_id": area["CDDH"],
                    "sequence": 1,
                },
                {
                    "plan_id": plan.id,
                    "roman": "II",
                    "name": "Cải cách thể chế",
                    "area_id": area["TC"],
                    "sequence": 2,
                },
                {
                    "plan_id": plan.id,
                    "roman": "III",
                    "name": "Cải cách thủ tục hành chính",
                    "area_id": area["TTHC"],
                    "sequence": 3,
                },
                {
                    "plan_id": plan.id,
                    "roman": "IV",
                    "name": "Xây dựng chính quyền số",
                    "area_id": area["CPS"],
                    "sequence": 4,
                },
            ]
        )
        agency = {
            key: ref(f"cchc_demo.agency_{key}").id
            for key in ("so_noi_vu", "so_tu_phap", "vp_ubnd", "so_khcn", "so_nnmt", "ttpvhcc")
        }
        departments = ref("cchc_base.agency_group_departments").member_ids.ids
        # (section, number, content, lead, phrase, progress, done days before deadline)
        rows = [
            (
                0,
                "1",
                "Ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm",
                "so_noi_vu",
                f"Quý I/{year}",
                100,
                5,
            ),
            (
                0,
                "2",
                "Theo dõi, tổng hợp, báo cáo kết quả thực hiện công tác cải cách hành chính",
                "so_noi_vu",
                "Hàng quý, 6 tháng và năm",
                40,
                None,
            ),
            (
                0,
                "3",
                "Tự chấm điểm Chỉ số cải cách hành chính",
                "so_noi_vu",
                "Khi có văn bản của Bộ Nội vụ",
                0,
                None,
            ),
            (
                1,
                "1",
                "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh",
                "so_tu_phap",
                f"Quý II/{year}",
                100,
                -10,
            ),
            (
                1,
                "2",
                "Kiểm tra văn bản quy phạm pháp luật theo thẩm quyền",
                "so_tu_phap",
                f"Tháng 10/{year}",
                60,
                None,
            ),
            (
                2,
                "1",
                "Công bố, công khai thủ tục hành chính mới ban hành",
                "vp_ubnd",
                "Thường xuyên trong năm",
                70,
                None,
            ),
            (
                2,
                "2",
                "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
                "ttpvhcc",
                f"Cuối năm {year}",
                20,
                None,
            ),
            (
                3,
                "1",
                "Triển khai ký số văn bản trên hệ thống quản lý văn bản",
                "so_khcn",
                f"Tháng 6/{year}",
                50,
                None,
            ),
            (
                3,
                "2",
                "Nâng cấp Cổng dịch vụ công của tỉnh",
                "so_khcn",
                f"Trước 30/12/{year}",
                0,
                None,
            ),
            (3, "3", "Xây dựng cơ sở dữ liệu đất đai", "so_nnmt", "Sớm nhất có thể", 10, None),
        ]
        tasks = self.env["project.task"].create(
            [
                {
                    "project_id": plan.project_id.id,
                    "cchc_section_id": sections[section].id,
                    "cchc_number": number,
                    "sequence": i,
                    "name": content,
                    "lead_agency_id": agency[lead],
                    "coordinating_agency_ids": [
                        Command.set([departments[(3 * i + 2) % len(departments)]])
                    ],
                    "cchc_completion_phrase": phrase,
                }
                for i, (section, number, content, lead, phrase, _progress, _done) in enumerate(rows)
            ]
        )
        for task, row in zip(tasks, rows, strict=True):
            progress, done_offset = row[5], row[6]
            vals = {"cchc_progress": progress}
            if progress == 100 and task.date_deadline:
                vals["cchc_done_date"] = task.date_deadline.date() - timedelta(days=done_offset)
            if progress:
                vals["cchc_result"] = (
                    "Đã triển khai theo kế hoạch; kết quả cập nhật đến ngày %s."
                    % (today.strftime("%d/%m/%Y"))
                )
            with unlocked(task):
                task.write(vals)
        plan.action_put_in_force()
        first = plan.period_ids.sorted("due_date")[:1]
        reports = first.action_generate_reports()
        submitted = reports.filtered(lambda r: r.agency_id.id == agency["so_tu_phap"])
        submitted.write({"results": "Hoàn thành rà soát văn bản quy phạm pháp luật."})
        submitted.action_submit()
        # Two agencies reported before the due date (the demo is installed after it: their
        # submission is dated back, as the dossiers' steps are), so the reform index's
        # "reports on time" item has both outcomes.
        on_time = reports.filtered(
            lambda r: r.agency_id.id in (agency["so_noi_vu"], agency["vp_ubnd"])
        )
        on_time.write({"results": "Đã triển khai các nhiệm vụ của quý theo kế hoạch."})
        on_time.action_submit()
        for report in on_time:
            sent = min(report.due_date - timedelta(days=2), today)
            with unlocked(report):
                report.submitted_on = fields.Datetime.to_datetime(sent).replace(hour=2)
