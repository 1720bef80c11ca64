import ast
import io
from datetime import timedelta

import openpyxl

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .common import YEAR, AssessmentMixin


@tagged("post_install", "-at_install")
class TestSetPoints(AssessmentMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_assessment()

    def test_points_add_up(self):
        self.assertEqual(self.set._points_errors(), [])
        self.assertEqual(self.set.area_count, 2)
        self.assertEqual(self.set.leaf_count, 4)
        self.assertEqual(self.computed_item.area_id.code, "I")

    def test_points_that_do_not_add_up_are_refused_at_opening(self):
        self.self_item.max_points = 4  # 1.1 + 1.2 = 9 under a criterion of 8
        campaign = self.env["cchc.assessment.campaign"].create(
            {"name": "Sai", "year": YEAR, "set_ids": [Command.set(self.set.ids)]}
        )
        with self.assertRaises(ValidationError) as caught:
            campaign.with_user(self.coordinator).action_open()
        self.assertIn("1 Kế hoạch", str(caught.exception))
        self.assertIn("20", str(caught.exception))  # the areas add up to 21, not 20
        self.assertEqual(campaign.state, "draft")
        self.assertEqual(self.set.state, "draft")
        self.assertFalse(campaign.scorecard_ids)

    def test_copy_for_next_year(self):
        action = self.set.with_user(self.coordinator).action_copy_next_year()
        copy = self.env["cchc.assessment.set"].browse(action["res_id"])
        self.assertEqual(copy.year, YEAR + 1)
        self.assertEqual(len(copy.criterion_ids), len(self.set.criterion_ids))
        self.assertEqual(copy._points_errors(), [])
        computed = copy.criterion_ids.filtered(lambda c: c.method == "computed")
        self.assertEqual(computed.parent_id.code, "1")
        self.assertEqual(sorted(computed.band_ids.mapped("points")), [2.5, 5])

    def test_points_table(self):
        self.assertEqual(self.computed_item.points_for(100), 5)
        self.assertEqual(self.computed_item.points_for(75), 2.5)
        self.assertEqual(self.computed_item.points_for(10), 0)
        with self.assertRaises(ValidationError):
            self.computed_item.band_ids[0].points = 6


@tagged("post_install", "-at_install")
class TestCycle(AssessmentMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_assessment()
        cls.open_campaign()

    def test_open_creates_scorecards_and_computes(self):
        self.assertEqual(self.set.state, "locked")
        # Department-level agencies only: the commune and the province have none.
        self.assertEqual(
            self.campaign.scorecard_ids.agency_id, self.home_affairs | self.justice | self.finance
        )
        self.assertEqual(len(self.card.line_ids), 4)
        computed = self.line(self.card, self.computed_item)
        self.assertEqual(computed.figure, 50.0)
        self.assertEqual(computed.self_score, 2.5)
        self.assertEqual(computed.final_score, 2.5)
        self.assertEqual(computed.evidence_model, "project.task")
        tasks = self.env["project.task"].search(ast.literal_eval(computed.evidence_domain))
        self.assertEqual(tasks, self.tasks)
        # Working days: the deadline is after the opening day.
        self.assertGreater(self.campaign.deadline_date, self.campaign.date_open)
        self.assertEqual(
            self.env["cchc.holiday"].count_working_days(
                self.campaign.date_open + timedelta(days=1), self.campaign.deadline_date
            ),
            self.campaign.deadline_days,
        )
        # No data for the finance department: no points, no figure.
        self.assertFalse(self.line(self.other_card, self.computed_item).has_figure)

    def test_evidence_kept_then_replaced_by_recomputation(self):
        computed = self.line(self.card, self.computed_item)
        kept = computed.evidence_ids
        self.assertEqual(kept.mapped("res_id"), sorted(self.tasks.ids))
        self.assertEqual(sorted(kept.mapped("met")), ["no", "yes"])
        self.assertEqual(kept.agency_id, self.justice)
        # The finance department has no tasks: nothing is behind its (missing) figure.
        self.assertFalse(self.line(self.other_card, self.computed_item).evidence_ids)
        self.tasks[1].cchc_progress = 100
        # Kept as it was computed until the figure is computed again.
        kept.invalidate_recordset()
        self.assertEqual(sorted(kept.mapped("met")), ["no", "yes"])
        self.campaign.with_user(self.coordinator).action_compute()
        computed.invalidate_recordset()
        self.assertFalse(kept.exists())
        self.assertEqual(computed.evidence_ids.mapped("met"), ["yes", "yes"])
        self.assertEqual(computed.figure, 100.0)

    def test_locked_set_cannot_change(self):
        with self.assertRaises(AccessError):
            self.self_item.with_user(self.coordinator).max_points = 2
        with self.assertRaises(AccessError):
            self.env["cchc.assessment.criterion"].create(
                {"set_id": self.set.id, "name": "Thêm", "max_points": 1}
            )

    def test_full_cycle(self):
        line = self.line(self.card, self.self_item).with_user(self.officer)
        line.write({"self_score": 3, "evidence_note": "Kế hoạch số 12/KH-STP"})
        self.line(self.card, self.self_item2).with_user(self.officer).write(
            {"self_score": 4, "evidence_task_ids": [Command.set(self.tasks[:1].ids)]}
        )
        with self.assertRaises(AccessError):
            self.card.with_user(self.officer).action_submit()  # not a leader
        self.card.with_user(self.leader).action_submit()
        self.assertEqual(self.card.state, "submitted")
        self.assertEqual(self.card.self_total, 9.5)
        with self.assertRaises(AccessError):
            line.self_score = 2  # submitted: locked for the agency
        # The council adjusts with a reason, then proposes.
        wizard = (
            self.env["cchc.assessment.adjust"]
            .with_user(self.council)
            .create({"score_id": line.id, "new_score": 2, "reason": "Kế hoạch ban hành chậm"})
        )
        wizard.action_confirm()
        survey = self.line(self.card, self.survey_item)
        survey.with_user(self.council)._adjust(7.2, "Kết quả điều tra xã hội học")
        self.assertEqual(self.card.final_total, 2 + 2.5 + 4 + 7.2)
        self.card.with_user(self.council).action_propose()
        self.assertEqual(self.card.state, "proposed")
        self.assertTrue(self.card.answer_deadline > fields.Date.today())
        with self.assertRaises(UserError):
            self.card.with_user(self.council).action_finalise()  # the agency may still answer
        self.card.with_user(self.officer).answer_note = "Kế hoạch ban hành đúng hạn"
        self.card.with_user(self.officer).action_answer()
        self.assertEqual(self.card.state, "answered")
        self.card.with_user(self.council).action_finalise()
        self.assertEqual(self.card.state, "final")
        logs = self.card.log_ids
        council_log = logs.filtered(
            lambda log: log.kind == "council_score" and log.score_id == line
        )
        self.assertEqual(council_log.old_value, "3.00")
        self.assertEqual(council_log.new_value, "2.00")
        self.assertEqual(council_log.reason, "Kế hoạch ban hành chậm")
        self.assertEqual(council_log.user_id, self.council)
        self.assertIn("answer", logs.mapped("kind"))
        self.assertEqual(len(logs.filtered(lambda log: log.kind == "state")), 4)
        with self.assertRaises(AccessError):
            logs[0].sudo().reason = "sửa"
        with self.assertRaises(AccessError):
            logs.sudo().unlink()

    def test_ranking_grades_and_publication(self):
        cards = self.campaign.scorecard_ids
        points_of = {self.justice: 3, self.finance: 1}
        for card in cards:
            points = points_of.get(card.agency_id, 0)
            self.line(card, self.self_item).write({"self_score": points, "evidence_note": "Có"})
            card.with_user(self.coordinator).action_submit()
            self.line(card, self.survey_item).with_user(self.council)._adjust(8, "Khảo sát")
            card.with_user(self.council).action_propose()
            self.force_state(card, "proposed", answer_deadline=fields.Date.today() - timedelta(1))
            card.with_user(self.council).action_finalise()
        self.campaign.with_user(self.coordinator).action_rank()
        self.assertEqual(self.card.final_total, 3 + 2.5 + 8)
        self.assertEqual(self.card.percentage, 67.5)
        self.assertEqual(self.card.rank, 1)
        self.assertEqual(self.card.rank_count, 3)
        self.assertEqual(self.card.grade, "D")
        self.assertEqual(self.card.task_rate, 50.0)
        self.assertTrue(self.card.task_rule_breached)
        self.assertEqual(self.other_card.rank, 2)
        self.campaign.with_user(self.coordinator).action_publish()
        self.assertEqual(set(cards.mapped("state")), {"published"})
        # Last year is compared in the next campaign.
        next_set = self.set._copy_set(YEAR + 1)
        campaign = self.env["cchc.assessment.campaign"].create(
            {"name": "Năm sau", "year": YEAR + 1, "set_ids": [Command.set(next_set.ids)]}
        )
        campaign.with_user(self.coordinator).action_open()
        campaign.with_user(self.coordinator).action_rank()
        card = campaign.scorecard_ids.filtered(lambda c: c.agency_id == self.justice)
        self.assertEqual(card.previous_percentage, 67.5)
        # Printable announcement and XLSX.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("cchc_assessment.report_ranking", self.campaign.ids)[0]
            .decode()
        )
        self.assertIn(self.justice.name, html)
        data, kind = self.env["ir.actions.report"]._render_xlsx(
            "cchc_assessment.ranking_xlsx", self.campaign.ids, data=None
        )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        agencies = [sheet.cell(row, 2).value for row in range(5, sheet.max_row + 1)]
        self.assertIn(self.justice.name, agencies)
        self.assertIn(self.finance.name, agencies)

    def test_improvement_tasks(self):
        self.card.with_user(self.coordinator).action_submit()
        self.campaign.with_user(self.coordinator).action_rank()
        wizard = (
            self.env["cchc.assessment.improve"]
            .with_user(self.coordinator)
            .create(
                {
                    "campaign_id": self.campaign.id,
                    "scorecard_id": self.card.id,
                    "plan_id": self.plan.id,
                    "threshold": 60,
                }
            )
        )
        # Nothing self-scored, survey empty, tasks at 50%: all four are weak.
        self.assertEqual(len(wizard.criterion_ids), 4)
        action = wizard.action_create_tasks()
        tasks = self.env["project.task"].search(action["domain"])
        self.assertEqual(len(tasks), 4)
        self.assertEqual(tasks.lead_agency_id, self.justice)
        self.assertEqual(tasks.cchc_plan_id, self.plan)
        self.assertIn(self.computed_item, tasks.assessment_criterion_id)
        self.assertEqual(
            tasks.filtered(
                lambda t: t.assessment_criterion_id == self.computed_item
            ).assessment_score_id,
            self.line(self.card, self.computed_item),
        )


@tagged("post_install", "-at_install")
class TestBadInput(AssessmentMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_assessment()
        cls.open_campaign()

    def test_score_above_maximum(self):
        line = self.line(self.card, self.self_item).with_user(self.officer)
        with self.assertRaises(ValidationError) as caught:
            line.self_score = 3.5
        self.assertIn("0–3", str(caught.exception))
        self.assertEqual(line.self_score, 0)
        self.assertFalse(self.card.log_ids.filtered(lambda log: log.kind == "self_score"))

    def test_self_score_without_evidence(self):
        self.line(self.card, self.self_item).write({"self_score": 2})
        with self.assertRaises(ValidationError) as caught:
            self.card.with_user(self.leader).action_submit()
        self.assertIn("1.1. Ban hành kế hoạch CCHC", str(caught.exception))
        self.assertEqual(self.card.state, "draft")
        self.assertFalse(self.card.submitted_by_id)

    def test_computed_and_survey_lines_are_not_self_scored(self):
        for item in (self.computed_item, self.survey_item):
            with self.assertRaises(AccessError):
                self.line(self.card, item).with_user(self.officer).self_score = 1
        self.assertEqual(self.line(self.card, self.computed_item).self_score, 2.5)

    def test_change_without_reason(self):
        line = self.line(self.card, self.self_item)
        self.card.with_user(self.leader).action_submit()
        for reason in ("", "   "):
            with self.assertRaises(ValidationError):
                line.with_user(self.council)._adjust(1, reason)
        with self.assertRaises(ValidationError):
            line.with_user(self.council)._adjust(9, "quá điểm")
        self.assertFalse(line.council_changed)
        self.assertFalse(self.card.log_ids.filtered(lambda log: log.kind == "council_score"))

    def test_answer_after_deadline(self):
        self.card.with_user(self.leader).action_submit()
        self.card.with_user(self.council).action_propose()
        self.force_state(
            self.card, "proposed", answer_deadline=fields.Date.today() - timedelta(days=1)
        )
        with self.assertRaises(UserError):
            self.card.with_user(self.officer).answer_note = "muộn"
        self.assertFalse(self.card.answer_note)
