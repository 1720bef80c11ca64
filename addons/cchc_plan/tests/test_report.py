from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CchcPlanCase


@tagged("post_install", "-at_install")
class TestPeriodicReport(CchcPlanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.led = cls._task("Rà soát văn bản", cls.justice, cchc_progress=100)
        cls.coordinated = cls._task("Số hóa", cls.science, coordinating=[cls.justice])
        cls.unit_task = cls._task("Công chứng điện tử", cls.justice_unit)
        cls.plan.action_put_in_force()
        cls.period = cls.plan.period_ids.sorted("due_date")[0]
        cls.reports = cls.period.action_generate_reports()
        cls.justice_report = cls.reports.filtered(lambda r: r.agency_id == cls.justice)

    def test_one_report_per_agency_with_its_tasks(self):
        self.assertEqual(self.reports.agency_id, self.justice | self.science | self.justice_unit)
        lines = self.justice_report.line_ids
        self.assertEqual(lines.task_id, self.led | self.coordinated)
        self.assertEqual(
            {(line.task_id, line.role, line.status) for line in lines},
            {(self.led, "lead", "done_on_time"), (self.coordinated, "coord", "not_started")},
        )
        again = self.period.action_generate_reports()
        self.assertFalse(again, "generating twice creates no duplicates")

    def test_agency_sees_own_reports(self):
        Report = self.env["cchc.plan.report"]
        self.assertEqual(Report.with_user(self.justice_user).search([]), self.justice_report)
        self.assertEqual(
            Report.with_user(self.justice_leader).search([]).agency_id,
            self.justice | self.justice_unit,
        )
        self.assertEqual(Report.with_user(self.science_user).search([]).agency_id, self.science)

    def test_leader_submits_then_locked(self):
        report = self.justice_report.with_user(self.justice_user)
        report.write({"results": "Hoàn thành", "difficulties": "Thiếu nhân lực"})
        with self.assertRaises(AccessError):
            report.action_submit()
        self.justice_report.with_user(self.justice_leader).action_submit()
        self.assertEqual(self.justice_report.state, "submitted")
        self.assertEqual(self.justice_report.submitted_by_id, self.justice_leader)
        with self.assertRaises(UserError):
            self.justice_report.with_user(self.justice_leader).action_submit()
        with self.assertRaises(UserError):
            report.results = "Sửa sau khi gửi"
        with self.assertRaises(UserError):
            report.line_ids[:1].result = "Sửa"
        self.assertEqual(self.justice_report.results, "Hoàn thành")

    def test_leader_of_parent_submits_unit_report(self):
        unit_report = self.reports.filtered(lambda r: r.agency_id == self.justice_unit)
        unit_report.with_user(self.justice_leader).action_submit()
        self.assertEqual(unit_report.state, "submitted")
        science_report = self.reports.filtered(lambda r: r.agency_id == self.science)
        with self.assertRaises(AccessError):
            science_report.with_user(self.justice_leader).action_submit()

    def test_coordinator_reopens_with_logged_reason(self):
        self.justice_report.with_user(self.justice_leader).action_submit()
        with self.assertRaises(AccessError):
            self.justice_report.with_user(self.justice_leader).action_reopen("Sai số liệu")
        with self.assertRaises(UserError):
            self.justice_report.with_user(self.coordinator).action_reopen("  ")
        wizard = (
            self.env["cchc.plan.report.reopen"]
            .with_user(self.coordinator)
            .create({"report_id": self.justice_report.id, "reason": "Số liệu quý I chưa khớp"})
        )
        wizard.action_confirm()
        self.assertEqual(self.justice_report.state, "draft")
        self.assertIn("Số liệu quý I chưa khớp", self.justice_report.message_ids[0].body)
        self.justice_report.with_user(self.justice_user).results = "Đã sửa"
        self.assertEqual(self.justice_report.results, "Đã sửa")

    def test_consolidated_province_report(self):
        self.justice_report.write({"results": "Tư pháp: xong 1/2"})
        self.justice_report.with_user(self.justice_leader).action_submit()
        science_report = self.reports.filtered(lambda r: r.agency_id == self.science)
        science_report.write({"results": "KH&CN: đang số hóa"})
        with self.assertRaises(AccessError):
            self.period.with_user(self.justice_leader).action_consolidate()
        self.period.with_user(self.coordinator).action_consolidate()
        province = self.env["cchc.plan.report"].search(
            [("period_id", "=", self.period.id), ("is_consolidated", "=", True)]
        )
        self.assertEqual(len(province), 1)
        self.assertEqual(province.line_ids.task_id, self.led | self.coordinated | self.unit_task)
        self.assertIn("Tư pháp: xong 1/2", province.results)
        self.assertIn("KH&CN: đang số hóa", province.results)
        self.assertIn("Sở Khoa học và Công nghệ *", province.results, "not submitted: marked")
        self.assertEqual(self.period.submitted_count, 1)
        self.assertEqual(self.period.expected_count, 3)
        self.period.with_user(self.coordinator).action_consolidate()
        self.assertEqual(
            self.env["cchc.plan.report"].search_count(
                [("period_id", "=", self.period.id), ("is_consolidated", "=", True)]
            ),
            1,
        )

    def test_reminders_and_overdue(self):
        with freeze_time("2026-02-20"):
            self.env["cchc.plan.report"]._cron_remind()
            self.assertFalse(
                self.justice_report.activity_ids, "more than 5 days before the due date"
            )
            self.assertFalse(self.justice_report.is_overdue)
        with freeze_time("2026-03-02"):
            self.env["cchc.plan.report"]._cron_remind()
            self.assertEqual(self.justice_report.activity_ids.user_id, self.justice_leader)
            self.env["cchc.plan.report"]._cron_remind()
            self.assertEqual(len(self.justice_report.activity_ids), 1, "reminded once")
        with freeze_time("2026-03-06"):
            self.assertTrue(self.justice_report.is_overdue)
            overdue = self.env["cchc.plan.report"].search([("is_overdue", "=", True)])
            self.assertIn(self.justice_report, overdue)
            self.justice_report.with_user(self.justice_leader).action_submit()
            self.assertFalse(self.justice_report.is_overdue)
            self.assertFalse(self.justice_report.activity_ids, "submitting closes the activity")
