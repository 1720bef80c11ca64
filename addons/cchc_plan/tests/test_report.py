from datetime import date

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

    def test_lines_follow_the_tasks_until_submitted(self):
        line = self.justice_report.line_ids.filtered(lambda line: line.task_id == self.coordinated)
        self.assertEqual((line.status, line.progress, line.result), ("not_started", 0, False))
        self.coordinated.with_user(self.science_user).write(
            {"cchc_progress": 40, "cchc_result": "Đã số hóa 40% hồ sơ"}
        )
        self.assertEqual(
            (line.status, line.progress, line.result),
            ("in_progress", 40, "Đã số hóa 40% hồ sơ"),
            "the open report shows the task's latest report",
        )
        self.coordinated.with_user(self.science_user).cchc_result = "Đã số hóa 60% hồ sơ"
        self.assertEqual(line.result, "Đã số hóa 60% hồ sơ", "the old text does not stay")
        self.justice_report.with_user(self.justice_leader).action_submit()
        self.coordinated.with_user(self.science_user).write(
            {"cchc_progress": 100, "cchc_result": "Xong"}
        )
        self.assertEqual(
            (line.status, line.progress, line.result),
            ("in_progress", 40, "Đã số hóa 60% hồ sơ"),
            "a submitted report keeps its snapshot",
        )
        self.justice_report.with_user(self.coordinator).action_reopen("Cập nhật tiến độ")
        self.assertEqual(
            (line.status, line.progress), ("done_on_time", 100), "reopened, it follows again"
        )
        science_line = self.reports.filtered(lambda r: r.agency_id == self.science).line_ids
        self.assertEqual(
            (science_line.status, science_line.result),
            ("done_on_time", "Xong"),
            "the other agency's open report follows",
        )

    def test_status_changes_reach_open_lines(self):
        with freeze_time("2026-07-15"):
            self.env["project.task"]._cron_update_cchc_status()
            line = self.justice_report.line_ids.filtered(
                lambda line: line.task_id == self.coordinated
            )
            self.assertEqual(line.status, "overdue", "the daily status update reaches the line")

    def test_lateness_of_a_submission_in_working_days(self):
        self.assertEqual(self.period.due_date, date(2026, 3, 5))  # a Thursday
        report = self.justice_report.with_user(self.justice_leader)
        with freeze_time("2026-03-05 16:59:00"):  # 23:59 in Vietnam
            report.action_submit()
        self.assertFalse(self.justice_report.is_late)
        self.assertEqual(self.justice_report.days_late, 0)
        self.justice_report.with_user(self.coordinator).action_reopen("Bổ sung số liệu")
        self.assertFalse(self.justice_report.is_late, "a reopened report is not submitted")
        with freeze_time("2026-03-09 03:00:00"):  # Monday: Friday 6 and Monday 9 are late
            report.action_submit()
        self.assertTrue(self.justice_report.is_late)
        self.assertEqual(self.justice_report.days_late, 2)
        late = self.env["cchc.plan.report"].search([("is_late", "=", True)])
        self.assertEqual(late, self.justice_report)
        self.period.invalidate_recordset()
        self.assertEqual((self.period.submitted_count, self.period.late_count), (1, 1))
        self.assertEqual(self.period.expected_count, 3)

    def test_a_report_nine_months_late_shows_it(self):
        unit_report = self.reports.filtered(lambda r: r.agency_id == self.justice_unit)
        with freeze_time("2026-12-07 02:00:00"):
            unit_report.with_user(self.justice_leader).action_submit()
        self.assertTrue(unit_report.is_late)
        # 6 March – 7 December 2026 holds 197 weekdays; the statutory holidays falling on
        # weekdays in it (30 April, 1 May, 2 September and their bridge days) are not counted.
        expected = self.env["cchc.holiday"].count_working_days(date(2026, 3, 5), date(2026, 12, 7))
        self.assertEqual(unit_report.days_late, expected)
        self.assertGreater(unit_report.days_late, 180)
        self.assertLess(unit_report.days_late, 197)
