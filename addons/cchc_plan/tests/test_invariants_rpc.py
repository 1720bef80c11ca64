from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase

from .common import PlanData


@tagged("post_install", "-at_install")
class TestPlanInvariantsRpc(PlanData, RpcCase):
    """What the plan's screens prevent, refused to the same users' raw JSON-RPC calls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province, cls.home_affairs, cls.justice, cls.science = cls._agency_tree(
            ("UBND tỉnh Bất Biến", "X05"),
            ("Sở Nội vụ BB", "X05.02"),
            ("Sở Tư pháp BB", "X05.03"),
            ("Sở KH&CN BB", "X05.05"),
        )
        cls.officer = cls._user("bb_tp_officer", "cchc_base.group_cchc_user", cls.justice)
        cls.leader = cls._user("bb_tp_leader", "cchc_base.group_cchc_leader", cls.justice)
        cls.science_officer = cls._user("bb_kh_officer", "cchc_base.group_cchc_user", cls.science)
        cls.coordinator = cls._user(
            "bb_coordinator", "cchc_base.group_cchc_coordinator", cls.home_affairs
        )
        cls.plan = cls._plan_2026("7/KH-UBND", "Kế hoạch bất biến")
        Task = cls.env["project.task"]
        common = {"project_id": cls.plan.project_id.id}
        cls.led = Task.create(
            dict(
                common,
                name="Rà soát",
                lead_agency_id=cls.justice.id,
                cchc_completion_phrase="Hàng quý",
            )
        )
        cls.coordinated = Task.create(
            dict(
                common,
                name="Số hóa",
                lead_agency_id=cls.science.id,
                coordinating_agency_ids=[Command.set(cls.justice.ids)],
                cchc_completion_phrase="Hàng quý",
            )
        )
        cls.foreign = Task.create(
            dict(
                common,
                name="Cổng dịch vụ",
                lead_agency_id=cls.science.id,
                cchc_completion_phrase="Hàng quý",
            )
        )

    def _refused_everywhere(self, model, record, vals):
        """``vals`` is refused with and without the old guard keys, and nothing changed."""
        before = record.read(list(vals))[0]
        for context in (None, OLD_GUARD_KEYS):
            self.assertRpcRefused(model, "write", [[record.id], vals], context=context)
        record.invalidate_recordset()
        self.assertEqual(record.read(list(vals))[0], before)

    # ---------------------------------------------------------------- tasks

    def test_officer_cannot_touch_assignment_deadline_or_completion(self):
        self.rpc_login(self.officer)
        for vals in (
            {"lead_agency_id": self.science.id},
            {"coordinating_agency_ids": [Command.set([])]},
            {"cchc_completion_phrase": "Cuối năm 2027"},
            {"date_deadline": "2027-12-31 10:00:00"},
            {"cchc_done_date": "2026-01-02"},
            {"cchc_status": "done_on_time"},
            {"cchc_needs_review": True},
            {"project_id": self.env["project.project"].create({"name": "Khác"}).id},
        ):
            with self.subTest(vals=vals):
                self._refused_everywhere("project.task", self.led, vals)

    def test_officer_updates_progress_and_the_system_dates_completion(self):
        self.rpc_login(self.officer)
        with freeze_time("2026-03-10"):
            self.assertRpcOk(
                "project.task",
                "write",
                [[self.led.id], {"cchc_progress": 100, "cchc_result": "Xong"}],
                context=OLD_GUARD_KEYS,
            )
        self.assertRpcOk("project.task", "write", [[self.coordinated.id], {"cchc_progress": 30}])
        self.led.invalidate_recordset()
        self.assertEqual(self.led.cchc_done_date, date(2026, 3, 10))
        self.assertEqual(self.coordinated.cchc_progress, 30)
        # Back-dating the completion (late → on time) is refused.
        self._refused_everywhere("project.task", self.led, {"cchc_done_date": "2026-01-05"})
        self.assertRpcRefused("project.task", "write", [[self.foreign.id], {"cchc_progress": 5}])

    def test_officer_neither_creates_nor_deletes_plan_tasks(self):
        self.rpc_login(self.officer)
        self.assertRpcRefused(
            "project.task",
            "create",
            [
                {
                    "name": "Tự giao",
                    "project_id": self.plan.project_id.id,
                    "lead_agency_id": self.justice.id,
                }
            ],
            context=OLD_GUARD_KEYS,
        )
        self.assertRpcRefused(
            "project.task",
            "create",
            [{"name": "Việc con", "parent_id": self.led.id, "lead_agency_id": self.science.id}],
        )
        self.assertRpcRefused("project.task", "unlink", [[self.led.id]])
        self.assertTrue(self.led.exists())

    def test_coordinator_changes_assignment_only_with_a_logged_reason(self):
        self.rpc_login(self.coordinator)
        # Not even the coordinator writes the fields directly …
        self._refused_everywhere("project.task", self.led, {"date_deadline": "2027-01-01"})
        # … but through the action, and the reason is in the chatter.
        wizard_id = self.assertRpcOk(
            "cchc.task.change",
            "create",
            [{"task_id": self.led.id, "deadline": "2026-11-30", "reason": "Công văn 12/UBND"}],
        )
        self.assertRpcOk("cchc.task.change", "action_confirm", [[wizard_id]])
        self.led.invalidate_recordset()
        self.assertEqual(self.led.date_deadline.date(), date(2026, 11, 30))
        self.assertEqual(self.led.lead_agency_id, self.justice)
        self.assertTrue(self.led.message_ids.filtered(lambda m: "Công văn 12/UBND" in m.body))
        # An officer cannot reach the action.
        self.rpc_login(self.officer)
        self.assertRpcRefused(
            "cchc.task.change",
            "create",
            [{"task_id": self.led.id, "deadline": "2026-01-01", "reason": "x"}],
        )
        self.assertRpcRefused("project.task", "_cchc_change", [[self.led.id], {}, "x"])
        self.assertRpcRefused("project.task", "action_cchc_change_assignment", [[self.led.id]])

    def test_coordinator_duplicates_a_finished_task(self):
        with freeze_time("2026-03-10"):
            self.led.cchc_progress = 100
        self.rpc_login(self.coordinator)
        copy_id = self.assertRpcOk("project.task", "copy", [[self.led.id]])[0]
        copy = self.env["project.task"].browse(copy_id)
        self.assertEqual(copy.lead_agency_id, self.justice)
        self.assertEqual(len(copy.checkpoint_ids), len(self.led.checkpoint_ids))
        self.assertNotEqual(copy.cchc_done_date, date(2026, 3, 10), "completed anew, today")

    # ---------------------------------------------------------------- checkpoints

    def test_only_the_lead_agency_ticks_checkpoints(self):
        self.rpc_login(self.officer)
        own = self.led.checkpoint_ids[:1]
        coordinated = self.coordinated.checkpoint_ids[:1]
        foreign = self.foreign.checkpoint_ids[:1]
        self.assertTrue(own and coordinated and foreign)
        self.assertRpcOk("cchc.task.checkpoint", "write", [own.ids, {"done": True}])
        self.assertTrue(own.done)
        # A coordinating agency reads the checkpoints, the lead ticks them.
        visible = self.assertRpcOk(
            "cchc.task.checkpoint",
            "search",
            [[("id", "in", (own | coordinated | foreign).ids)]],
        )
        self.assertEqual(set(visible), set((own | coordinated).ids))
        for record in (coordinated, foreign):
            self.assertRpcRefused(
                "cchc.task.checkpoint",
                "write",
                [record.ids, {"done": True}],
                context=OLD_GUARD_KEYS,
            )
            record.invalidate_recordset()
            self.assertFalse(record.done)
        self._refused_everywhere("cchc.task.checkpoint", own, {"deadline": "2027-01-01"})
        self.assertRpcRefused(
            "cchc.task.checkpoint", "create", [{"task_id": self.led.id, "deadline": "2026-02-01"}]
        )

    # ---------------------------------------------------------------- plan

    def test_plan_state_only_through_the_coordinators_actions(self):
        self.rpc_login(self.leader)
        self._refused_everywhere("cchc.plan", self.plan, {"state": "in_force"})
        self.assertRpcRefused("cchc.plan", "action_put_in_force", [self.plan.ids])
        self.rpc_login(self.coordinator)
        self._refused_everywhere("cchc.plan", self.plan, {"state": "closed"})
        self.assertRpcOk("cchc.plan", "action_put_in_force", [self.plan.ids])
        self.plan.invalidate_recordset()
        self.assertEqual(self.plan.state, "in_force")
        wizard_id = self.assertRpcOk("cchc.plan.close", "create", [{"plan_id": self.plan.id}])
        self.assertRpcOk("cchc.plan.close", "action_confirm", [[wizard_id]])
        self.plan.invalidate_recordset()
        self.assertEqual(self.plan.state, "closed")
        # A closed plan is kept as closed, for the coordinator too.
        self._refused_everywhere("cchc.plan", self.plan, {"state": "in_force"})
        self._refused_everywhere("cchc.plan", self.plan, {"name": "Sửa sau khi đóng"})
        self.assertRpcRefused("cchc.plan", "action_reset_to_draft", [self.plan.ids])

    # ---------------------------------------------------------------- reports

    def test_submitted_report_locked_until_reopened_with_a_reason(self):
        self.plan.action_put_in_force()
        period = self.plan.period_ids.sorted("due_date")[:1]
        report = period.action_generate_reports().filtered(lambda r: r.agency_id == self.justice)
        self.rpc_login(self.officer)
        self._refused_everywhere("cchc.plan.report", report, {"state": "submitted"})
        self._refused_everywhere("cchc.plan.report", report, {"agency_id": self.science.id})
        self.assertRpcOk("cchc.plan.report", "write", [report.ids, {"results": "Đạt"}])
        self.rpc_login(self.leader)
        self.assertRpcOk("cchc.plan.report", "action_submit", [report.ids])
        for vals in ({"results": "Sửa"}, {"state": "draft"}):
            self._refused_everywhere("cchc.plan.report", report, vals)
        line = report.line_ids[:1]
        self._refused_everywhere("cchc.plan.report.line", line, {"result": "Sửa"})
        self.assertRpcRefused("cchc.plan.report", "action_reopen", [report.ids, "Sai số liệu"])
        self.rpc_login(self.coordinator)
        self._refused_everywhere("cchc.plan.report", report, {"state": "draft"})
        self.assertRpcRefused("cchc.plan.report", "action_reopen", [report.ids, " "])
        self.assertRpcOk("cchc.plan.report", "action_reopen", [report.ids, "Sai số liệu"])
        report.invalidate_recordset()
        self.assertEqual(report.state, "draft")
        self.assertTrue(report.message_ids.filtered(lambda m: "Sai số liệu" in m.body))

    def test_open_report_follows_the_officers_result_and_lateness_is_the_servers(self):
        self.plan.action_put_in_force()
        period = self.plan.period_ids.sorted("due_date")[:1]
        report = period.action_generate_reports().filtered(lambda r: r.agency_id == self.justice)
        line = report.line_ids.filtered(lambda line: line.task_id == self.led)
        self.rpc_login(self.officer)
        self.assertRpcOk(
            "project.task",
            "write",
            [self.led.ids, {"cchc_progress": 30, "cchc_result": "Rà soát 12 văn bản"}],
        )
        lines, error = self.call_kw(
            "cchc.plan.report.line", "read", [line.ids, ["progress", "result", "status"]]
        )
        self.assertFalse(error)
        self.assertEqual((lines[0]["progress"], lines[0]["result"]), (30, "Rà soát 12 văn bản"))
        for vals in ({"is_late": False}, {"days_late": 0}, {"is_late": True}):
            self._refused_everywhere("cchc.plan.report", report, vals)
        self._refused_everywhere("project.task", self.led, {"cchc_reported_on": "2026-12-31"})
        self.rpc_login(self.leader)
        with freeze_time("2026-12-07 02:00:00"):
            self.assertRpcOk("cchc.plan.report", "action_submit", [report.ids])
        shown, error = self.call_kw(
            "cchc.plan.report", "read", [report.ids, ["is_late", "days_late"]]
        )
        self.assertFalse(error)
        self.assertTrue(shown[0]["is_late"])
        self.assertGreater(shown[0]["days_late"], 180)
        self._refused_everywhere("cchc.plan.report", report, {"days_late": 0})
        self.rpc_login(self.officer)
        self.assertRpcOk("project.task", "write", [self.led.ids, {"cchc_result": "Sửa sau"}])
        line.invalidate_recordset()
        self.assertEqual(line.result, "Rà soát 12 văn bản", "the submitted snapshot is frozen")

    def test_reporting_progress_lifts_the_missed_checkpoint(self):
        with freeze_time("2026-04-02"):
            self.env["project.task"]._cron_update_cchc_status()
            self.assertEqual(self.led.cchc_status, "overdue")
            self.rpc_login(self.officer)
            self.assertRpcOk("project.task", "write", [self.led.ids, {"cchc_progress": 25}])
        self.led.invalidate_recordset()
        self.assertEqual(self.led.cchc_status, "in_progress")
        self.assertEqual(self.led.cchc_reported_on, date(2026, 4, 2))
        self.assertFalse(self.led.checkpoint_ids.filtered("done"), "nothing was ticked")

    # ---------------------------------------------------------------- statistics

    def test_statistics_show_the_agencies_the_user_may_see(self):
        self.rpc_login(self.officer)
        rows = self.assertRpcOk(
            "cchc.plan.agency.stat",
            "search_read",
            [[("plan_id", "=", self.plan.id)], ["agency_id", "task_count"]],
        )
        self.assertEqual(
            [(r["agency_id"][0], r["task_count"]) for r in rows], [(self.justice.id, 1)]
        )
        groups = self.assertRpcOk(
            "cchc.plan.agency.stat",
            "read_group",
            [[("plan_id", "=", self.plan.id)], ["task_count:sum"], []],
        )
        self.assertEqual(groups[0]["task_count"], 1)
        self.rpc_login(self.coordinator)
        rows = self.assertRpcOk(
            "cchc.plan.agency.stat",
            "search_read",
            [[("plan_id", "=", self.plan.id)], ["agency_id"]],
        )
        self.assertEqual({r["agency_id"][0] for r in rows}, {self.justice.id, self.science.id})
