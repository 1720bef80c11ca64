from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPlanTour(HttpCase):
    """In Chromium: an agency officer updates a task, the leader submits the report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agency = cls.env["cchc.agency"]
        province = Agency.create(
            {"name": "UBND tỉnh Tour", "identifier": "W01", "kind": "province_committee"}
        )
        cls.justice = Agency.create(
            {"name": "Sở Tư pháp", "identifier": "W01.03", "parent_id": province.id}
        )
        cls.officer = new_test_user(
            cls.env, login="tour_officer", groups="base.group_user,cchc_base.group_cchc_user"
        )
        cls.leader = new_test_user(
            cls.env, login="tour_leader", groups="base.group_user,cchc_base.group_cchc_leader"
        )
        (cls.officer | cls.leader).cchc_agency_id = cls.justice
        cls.justice.leader_ids = cls.leader
        cls.plan = cls.env["cchc.plan"].create(
            {
                "number": "7/KH-UBND",
                "name": "Kế hoạch tour",
                "issuing_agency_id": province.id,
                "date_issued": date(date.today().year, 1, 10),
                "year_from": date.today().year,
                "year_to": date.today().year + 1,
            }
        )
        cls.task = cls.env["project.task"].create(
            {
                "name": "Rà soát văn bản quy phạm pháp luật",
                "project_id": cls.plan.project_id.id,
                "lead_agency_id": cls.justice.id,
                # Always in the future, so that finishing it today is on time.
                "cchc_completion_phrase": f"Cuối năm {date.today().year + 1}",
            }
        )
        cls.plan.action_put_in_force()
        cls.report = cls.plan.period_ids.sorted("due_date")[-1].action_generate_reports()

    def test_officer_updates_task_and_leader_submits(self):
        self.start_tour(
            "/odoo/action-cchc_plan.cchc_task_action", "cchc_plan_task_update", login="tour_officer"
        )
        self.assertEqual(self.task.cchc_progress, 100)
        self.assertEqual(self.task.cchc_result, "Đã rà soát 120 văn bản")
        self.assertEqual(self.task.cchc_status, "done_on_time")
        self.start_tour(
            "/odoo/action-cchc_plan.cchc_plan_report_action",
            "cchc_plan_report_submit",
            login="tour_leader",
        )
        self.assertEqual(self.report.state, "submitted")
        self.assertEqual(self.report.submitted_by_id, self.leader)
        self.assertEqual(self.report.line_ids.status, "done_on_time")
