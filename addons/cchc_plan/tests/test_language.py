from freezegun import freeze_time

from odoo.tests import tagged

from .common import CchcPlanCase


@tagged("post_install", "-at_install")
class TestPlanInVietnamese(CchcPlanCase):
    """What the plan writes for people, in their language even when a job writes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(
            ["cchc_base", "cchc_plan"], ["vi_VN"], overwrite=True
        )
        cls.justice_leader.lang = "vi_VN"
        cls._task("Rà soát văn bản", cls.justice)
        cls.plan.action_put_in_force()
        cls.period = cls.plan.period_ids.sorted("due_date")[0]
        cls.report = cls.period.action_generate_reports().filtered(
            lambda r: r.agency_id == cls.justice
        )

    def test_reminder_in_the_leaders_language(self):
        # The job runs in English (the system user's language); the leader reads Vietnamese.
        with freeze_time("2026-03-02"):
            self.env["cchc.plan.report"].with_context(lang="en_US")._cron_remind()
        self.assertEqual(self.report.activity_ids.user_id, self.justice_leader)
        self.assertEqual(self.report.activity_ids.summary, "Gửi báo cáo định kỳ")

    def test_creation_messages_name_the_model_in_vietnamese(self):
        env = self.env(context=dict(self.env.context, lang="vi_VN", tracking_disable=False))
        plan = env["cchc.plan"].create(
            {
                "number": "98/KH-UBND",
                "name": "Kế hoạch thử",
                "issuing_agency_id": self.province.id,
                "date_issued": "2026-01-20",
                "year_from": 2026,
                "year_to": 2026,
            }
        )
        body = plan.message_ids[-1:].body
        self.assertIn("được tạo", body)
        self.assertNotIn("Reform plan", body)
