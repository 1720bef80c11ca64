from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CchcPlanCase


@tagged("post_install", "-at_install")
class TestPlan(CchcPlanCase):
    def test_plan_gets_project_and_default_schedule(self):
        self.assertEqual(self.plan.project_id.cchc_plan_id, self.plan)
        self.assertEqual(self.plan.project_id.privacy_visibility, "followers")
        due = self.plan.period_ids.mapped("due_date")
        self.assertEqual(
            due, [date(2026, 3, 5), date(2026, 6, 5), date(2026, 9, 5), date(2026, 12, 1)]
        )
        self.assertEqual(
            self.plan.period_ids.mapped("kind"), ["quarter", "semiannual", "quarter", "annual"]
        )

    def test_multi_year_plan_schedule_covers_every_year(self):
        plan = self.env["cchc.plan"].create(
            {
                "number": "1/KH-UBND",
                "name": "Giai đoạn",
                "issuing_agency_id": self.province.id,
                "date_issued": date(2021, 3, 19),
                "year_from": 2021,
                "year_to": 2025,
            }
        )
        self.assertEqual(len(plan.period_ids), 20)
        self.assertEqual(plan.period_ids[-1].due_date, date(2025, 12, 1))

    def test_bad_years_refused(self):
        with self.assertRaises(ValidationError):
            self.env["cchc.plan"].create(
                {
                    "number": "2/KH-UBND",
                    "name": "Sai",
                    "issuing_agency_id": self.province.id,
                    "date_issued": date(2026, 1, 1),
                    "year_from": 2027,
                    "year_to": 2026,
                }
            )

    def test_state_machine(self):
        with self.assertRaises(UserError):
            self.plan.action_close()
        self.plan.action_put_in_force()
        self.assertEqual(self.plan.state, "in_force")
        with self.assertRaises(UserError):
            self.plan.action_put_in_force()
        self.plan.action_reset_to_draft()
        self.assertEqual(self.plan.state, "draft")

    def test_close_lists_unfinished_and_locks(self):
        done = self._task("Xong", self.justice, cchc_progress=100)
        open_task = self._task("Chưa xong", self.science, cchc_progress=30)
        self.plan.action_put_in_force()
        wizard = self.env["cchc.plan.close"].create({"plan_id": self.plan.id, "note": "Chuyển"})
        self.assertEqual(wizard.unfinished_task_ids, open_task)
        wizard.action_confirm()
        self.assertEqual(self.plan.state, "closed")
        self.assertIn("Chưa xong", self.plan.closing_note)
        self.assertNotIn(">Xong", self.plan.closing_note)
        with self.assertRaises(UserError):
            self.plan.name = "Sửa"
        with self.assertRaises(UserError):
            open_task.cchc_progress = 50
        with self.assertRaises(UserError):
            self.plan.period_ids[:1].action_generate_reports()
        self.assertEqual(open_task.cchc_progress, 30)
        self.assertEqual(done.cchc_status, "done_on_time")

    def test_only_coordinator_manages_plans(self):
        with self.assertRaises(AccessError):
            self.plan.with_user(self.justice_leader).name = "Sửa"
        plans = self.env["cchc.plan"].with_user(self.justice_user).search([])
        self.assertIn(self.plan, plans, "every agency reads the province plan")

    def test_duplicate_number_refused(self):
        from psycopg2 import IntegrityError

        from odoo.tools import mute_logger

        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["cchc.plan"].create(
                {
                    "number": "99/KH-UBND",
                    "name": "Trùng",
                    "issuing_agency_id": self.province.id,
                    "date_issued": date(2026, 2, 1),
                    "year_from": 2026,
                    "year_to": 2026,
                }
            )

    def test_targets_per_period(self):
        indicator = self.env["cchc.indicator"].create(
            {"code": "KH-1", "name": "Tỷ lệ", "target_value": 98, "plan_id": self.plan.id}
        )
        self.env["cchc.indicator.value"].create(
            [
                {
                    "indicator_id": indicator.id,
                    "agency_id": self.justice.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 3, 31),
                    "value": 97,
                },
                {
                    "indicator_id": indicator.id,
                    "agency_id": self.justice.id,
                    "date_from": date(2026, 4, 1),
                    "date_to": date(2026, 6, 30),
                    "value": 99,
                },
            ]
        )
        self.assertEqual(self.plan.indicator_ids, indicator)
        self.assertEqual(indicator.value_ids.sorted("date_to").mapped("is_met"), [False, True])
        self.assertTrue(indicator.latest_is_met)
