from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.cchc_base.tests.home import HomeCardsCase
from odoo.addons.cchc_base.tests.screenshots import load_vietnamese, tour_screenshot

from .common import PlanData


class PlanHomeData(PlanData, HomeCardsCase):
    """Three agencies, a leader, an officer and the coordinator, overdue tasks in two agencies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province, cls.justice, cls.science = cls._agency_tree(
            ("UBND tỉnh Trang Chủ", "X07"), ("Sở Tư pháp TC", "X07.03"), ("Sở KH&CN TC", "X07.05")
        )
        cls.officer = cls._user("tc_officer", "cchc_base.group_cchc_user", cls.justice)
        cls.leader = cls._user("tc_leader", "cchc_base.group_cchc_leader", cls.justice)
        cls.coordinator = cls._user("tc_coord", "cchc_base.group_cchc_coordinator", cls.science)
        cls.plan = cls._plan_2026("9/KH-UBND", "Kế hoạch trang chủ")
        Task = cls.env["project.task"]

        def task(name, agency, phrase, users=()):
            return Task.create(
                {
                    "project_id": cls.plan.project_id.id,
                    "name": name,
                    "lead_agency_id": agency.id,
                    "cchc_completion_phrase": phrase,
                    "user_ids": [Command.set([u.id for u in users])],
                }
            )

        # Due in the first quarter, unfinished: overdue now.
        cls.justice_late = task("Rà soát TTHC", cls.justice, "Quý I/2026", [cls.officer])
        cls.justice_late_2 = task("Niêm yết TTHC", cls.justice, "Quý I/2026")
        cls.science_late = task("Cổng dịch vụ", cls.science, "Quý I/2026")


@tagged("post_install", "-at_install")
class TestPlanHomeCards(PlanHomeData):
    """The plan's home cards over JSON-RPC: each figure equals the records its action opens,
    and another agency's tasks are never counted for a leader or an officer."""

    def test_leader_counts_his_agency_only(self):
        self.assertEqual(self.science_late.cchc_status, "overdue")
        cards = self._cards(self.leader)
        card = cards["plan_agency_overdue"]
        self.assertEqual(card["tone"], "danger")
        self.assertEqual(self._ids(card), {self.justice_late.id, self.justice_late_2.id})
        self.assertNotIn("plan_province_overdue", cards)
        # The plan's own list and form: the deadline shown as a date, not '31/03/2026 17:00:00'.
        list_view, form_view = card["action"]["views"]
        self.assertEqual(list_view[0], self.env.ref("cchc_plan.cchc_task_view_list").id)
        self.assertEqual(form_view[0], self.env.ref("cchc_plan.cchc_task_view_form").id)

    def test_coordinator_sees_the_province(self):
        cards = self._cards(self.coordinator)
        overdue = self._ids(cards["plan_province_overdue"])
        self.assertTrue(
            {self.justice_late.id, self.justice_late_2.id, self.science_late.id} <= overdue
        )
        self.assertIn("plan_ranking", cards)
        self.assertIn("plan_reports_late", cards)

    def test_officer_sees_his_tasks(self):
        cards = self._cards(self.officer)
        self.assertEqual(self._ids(cards["plan_my_overdue"]), {self.justice_late.id})
        self.assertNotIn(self.justice_late.id, self._ids(cards["plan_my_week"]))
        self.assertNotIn("plan_agency_overdue", cards)


@tagged("post_install", "-at_install")
class TestHomeScreenshots(PlanHomeData):
    """The leader's and the coordinator's home screens in Vietnamese, saved for the README."""

    browser_size = "1440x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_vietnamese(cls.env)
        (cls.leader | cls.coordinator).write({"lang": "vi_VN"})
        indicator = cls.env["cchc.indicator"].create(
            {"code": "TC1", "name": "Hồ sơ đúng hạn", "target_value": 98, "comparison": "ge"}
        )
        for agency, before, now in ((cls.justice, 99.0, 96.4), (cls.science, 97.0, 99.1)):
            for date_from, date_to, number in (
                (date(2026, 4, 1), date(2026, 6, 30), before),
                (date(2026, 7, 1), date(2026, 9, 30), now),
            ):
                cls.env["cchc.indicator.value"].create(
                    {
                        "indicator_id": indicator.id,
                        "agency_id": agency.id,
                        "date_from": date_from,
                        "date_to": date_to,
                        "value": number,
                    }
                )

    def _screenshot(self, user, name):
        """Run the tour as ``user`` and save what the browser shows when it ends."""
        tour_screenshot(self, "/odoo", "cchc_home_shown", user.login, f"home-{name}")
        self.rpc_login(user)
        return {
            c["key"]: c
            for c in self.assertRpcOk("cchc.home", "get_cards", context={"lang": "vi_VN"})
        }

    def test_leader_home_screen(self):
        cards = self._screenshot(self.leader, "leader")
        self.assertEqual(cards["plan_agency_overdue"]["count"], 2)
        self.assertEqual(cards["targets_missed"]["count"], 1)
        self.assertEqual(cards["targets_missed"]["title"], "Chỉ tiêu chưa đạt")

    def test_coordinator_home_screen(self):
        cards = self._screenshot(self.coordinator, "coordinator")
        self.assertEqual(cards["targets_met"]["count"], 1)
        self.assertEqual(cards["plan_province_overdue"]["title"], "Nhiệm vụ quá hạn toàn tỉnh")
