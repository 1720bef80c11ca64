from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import CchcPlanCase


@tagged("post_install", "-at_install")
class TestTask(CchcPlanCase):
    def test_deadline_from_phrase(self):
        task = self._task("Q", self.justice, "Quý I, II/2026")
        self.assertEqual(task.cchc_deadline_kind, "date")
        self.assertEqual(task.date_deadline.date(), date(2026, 6, 30))
        self.assertEqual(task.cchc_deadline_start, date(2026, 1, 1))
        self.assertFalse(task.cchc_needs_review)
        self.env["cchc.task.change"].with_user(self.coordinator).create(
            {"task_id": task.id, "completion_phrase": "Tháng 9/2026", "reason": "QĐ điều chỉnh"}
        ).action_confirm()
        self.assertEqual(task.date_deadline.date(), date(2026, 9, 30))
        self.assertEqual(task.lead_agency_id, self.justice)
        self.assertIn("QĐ điều chỉnh", task.message_ids[:1].body)

    def test_relative_phrase_counts_from_plan_date(self):
        task = self._task(
            "R", self.justice, "chậm nhất sau 15 ngày, kể từ ngày tỉnh ban hành Kế hoạch"
        )
        self.assertEqual(task.date_deadline.date(), date(2026, 1, 30))

    def test_recurring_task_gets_checkpoints(self):
        task = self._task("T", self.justice, "Thường xuyên trong năm")
        self.assertEqual(task.cchc_deadline_kind, "recurring")
        self.assertEqual(
            task.checkpoint_ids.mapped("deadline"),
            [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)],
        )

    def test_open_and_unknown_phrases_get_no_date(self):
        open_task = self._task("O", self.justice, "Khi có văn bản của Bộ Nội vụ")
        self.assertEqual(open_task.cchc_deadline_kind, "open")
        self.assertFalse(open_task.date_deadline)
        unknown = self._task("U", self.justice, "Sớm nhất có thể")
        self.assertEqual(unknown.cchc_deadline_kind, "unknown")
        self.assertTrue(unknown.cchc_needs_review)
        self.assertFalse(unknown.date_deadline)
        self.assertEqual(unknown.cchc_completion_phrase, "Sớm nhất có thể")

    def test_status(self):
        with freeze_time("2026-05-10"):
            not_started = self._task("A", self.justice)
            in_progress = self._task("B", self.justice, cchc_progress=40)
            on_time = self._task("C", self.justice, cchc_progress=100)
            self.assertEqual(not_started.cchc_status, "not_started")
            self.assertEqual(in_progress.cchc_status, "in_progress")
            self.assertEqual(on_time.cchc_status, "done_on_time")
            self.assertEqual(on_time.cchc_done_date, date(2026, 5, 10))
        with freeze_time("2026-07-15"):
            self.env["project.task"]._cron_update_cchc_status()
            self.assertEqual(not_started.cchc_status, "overdue")
            self.assertEqual(in_progress.cchc_status, "overdue")
            in_progress.cchc_progress = 100
            self.assertEqual(in_progress.cchc_status, "done_late")
            self.assertEqual(on_time.cchc_status, "done_on_time")

    def test_recurring_overdue_on_missed_checkpoint(self):
        with freeze_time("2026-04-02"):
            task = self._task("T", self.justice, "Hàng quý", cchc_progress=10)
            self.assertEqual(task.cchc_status, "overdue")
            task.checkpoint_ids[0].done = True
            self.assertEqual(task.cchc_status, "in_progress")

    def test_reported_progress_covers_unticked_checkpoints(self):
        with freeze_time("2026-02-10"):
            task = self._task("T", self.justice, "Hàng quý")
        with freeze_time("2026-04-02"):
            task.invalidate_recordset()
            self.env["project.task"]._cron_update_cchc_status()
            self.assertEqual(task.cchc_status, "overdue", "Q1 neither ticked nor reported on")
            task.with_user(self.justice_user).cchc_progress = 20
            self.assertEqual(task.cchc_reported_on, date(2026, 4, 2))
            self.assertEqual(
                task.cchc_status, "in_progress", "reported after the Q1 checkpoint, though late"
            )
        with freeze_time("2026-10-05"):
            self.env["project.task"]._cron_update_cchc_status()
            self.assertEqual(
                task.cchc_status, "overdue", "nothing reported after the Q2 checkpoint (30 June)"
            )
            task.with_user(self.justice_user).cchc_result = "Đã rà soát quý III"
            self.assertEqual(task.cchc_status, "in_progress")
        with freeze_time("2027-01-05"):
            self.env["project.task"]._cron_update_cchc_status()
            self.assertEqual(task.cchc_status, "overdue", "the task's own deadline passed")

    def test_only_the_agencys_report_dates_progress(self):
        with freeze_time("2026-04-02"):
            task = self._task("T", self.justice, "Hàng quý", cchc_progress=10)
            self.assertFalse(task.cchc_reported_on, "creating a task is not reporting on it")
            task.with_user(self.justice_user).write({"name": "T (sửa tên)"})
            self.assertFalse(task.cchc_reported_on)
            self.assertEqual(task.cchc_status, "overdue")

    def test_progress_is_a_percentage(self):
        with self.assertRaises(ValidationError):
            self._task("P", self.justice, cchc_progress=120)

    def test_agency_user_sees_and_updates_own_tasks(self):
        led = self._task("Led", self.justice)
        coordinated = self._task("Coord", self.science, coordinating=[self.justice])
        other = self._task("Other", self.science)
        unit = self._task("Unit", self.justice_unit)
        Task = self.env["project.task"]
        visible = Task.with_user(self.justice_user).search([("cchc_plan_id", "=", self.plan.id)])
        self.assertEqual(visible, led | coordinated)
        visible = Task.with_user(self.justice_leader).search([("cchc_plan_id", "=", self.plan.id)])
        self.assertEqual(visible, led | coordinated | unit)
        visible = Task.with_user(self.coordinator).search([("cchc_plan_id", "=", self.plan.id)])
        self.assertEqual(visible, led | coordinated | other | unit)

        led.with_user(self.justice_user).write({"cchc_progress": 50, "cchc_result": "Đã làm"})
        coordinated.with_user(self.justice_user).cchc_progress = 20
        self.assertEqual((led.cchc_progress, coordinated.cchc_progress), (50, 20))
        with self.assertRaises(AccessError):
            other.with_user(self.justice_user).cchc_progress = 10
        with self.assertRaises(AccessError):
            led.with_user(self.justice_user).lead_agency_id = self.science
        with self.assertRaises(AccessError):
            led.with_user(self.justice_user).cchc_completion_phrase = "Quý IV/2026"
        self.assertEqual(other.cchc_progress, 0)
        self.assertEqual(led.lead_agency_id, self.justice)

    def test_new_users_do_not_manage_every_project(self):
        # Project's default user template makes users project managers; a project manager sees
        # every plan's tasks, so only the coordinator may be one.
        user = self.env["res.users"].create({"name": "Người mới", "login": "nguoi_moi"})
        self.assertFalse(user.has_group("project.group_project_manager"))
        self.assertTrue(self.coordinator.has_group("project.group_project_manager"))
        self.assertFalse(self.justice_leader.has_group("project.group_project_manager"))

    def test_task_list_queries_do_not_grow_with_rows(self):
        fields_spec = {
            name: {}
            for name in (
                "cchc_number",
                "name",
                "cchc_completion_phrase",
                "date_deadline",
                "cchc_progress",
                "cchc_status",
                "cchc_needs_review",
            )
        }
        fields_spec["lead_agency_id"] = {"fields": {"display_name": {}}}
        fields_spec["coordinating_agency_ids"] = {"fields": {"display_name": {}}}
        fields_spec["cchc_section_id"] = {"fields": {"display_name": {}}}
        agencies = [self.justice, self.science, self.office, self.commune, self.home_affairs]
        self.env["project.task"].create(
            [
                {
                    "name": f"Nhiệm vụ {i}",
                    "project_id": self.plan.project_id.id,
                    "cchc_section_id": self.section.id,
                    "cchc_number": str(i),
                    "lead_agency_id": agencies[i % 5].id,
                    "coordinating_agency_ids": [Command.set([agencies[(i + 1) % 5].id])],
                    "cchc_completion_phrase": "Quý III/2026",
                }
                for i in range(80)
            ]
        )
        Task = self.env["project.task"].with_user(self.coordinator)
        domain = [("cchc_plan_id", "=", self.plan.id)]
        Task.web_search_read(domain, fields_spec, limit=80)  # warm rule and field caches
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        self.assertEqual(len(Task.web_search_read(domain, fields_spec, limit=20)["records"]), 20)
        queries_20 = self.cr.sql_log_count - start
        self.env.invalidate_all()
        # The list of 80 rows opens with exactly as many queries as the list of 20.
        with self.assertQueryCount(__system__=queries_20):
            records = Task.web_search_read(domain, fields_spec, limit=80)["records"]
        self.assertEqual(len(records), 80)
