from odoo.tests import tagged

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase
from odoo.addons.cchc_base.tests.xlsx import XlsxReportCase

from .common import YEAR, AssessmentMixin

CARD = "cchc.assessment.scorecard"
SCORE = "cchc.assessment.score"
LOG = "cchc.assessment.log"
EVIDENCE = "cchc.assessment.evidence"


@tagged("post_install", "-at_install")
class TestAccessOverRpc(AssessmentMixin, RpcCase):
    """Every role over JSON-RPC: what it may not do is refused and changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_assessment()
        cls.open_campaign()
        cls.self_line = cls.line(cls, cls.card, cls.self_item)
        cls.computed_line = cls.line(cls, cls.card, cls.computed_item)

    def _snapshot(self, records, names):
        records.invalidate_recordset()
        return [tuple(record[name] for name in names) for record in records]

    def test_agency_sees_its_own_scorecard_only(self):
        self.rpc_login(self.officer)
        ids = self.assertRpcOk(CARD, "search", [[]])
        self.assertEqual(ids, self.card.ids)
        self.assertRpcRefused(CARD, "read", [self.other_card.ids, ["final_total"]])
        self.assertRpcRefused(
            SCORE, "read", [self.other_card.line_ids[:1].ids, ["self_score"]], error="AccessError"
        )
        self.assertRpcRefused(
            SCORE,
            "write",
            [self.other_card.line_ids[:1].ids, {"evidence_note": "x"}],
        )

    def test_agency_cannot_forge_protected_fields(self):
        self.rpc_login(self.leader)
        card_fields = ["state", "final_total", "percentage", "rank", "grade", "agency_id"]
        before = self._snapshot(self.card, card_fields)
        for vals in (
            {"state": "final"},
            {"final_total": 20},
            {"percentage": 100},
            {"rank": 1, "grade": "A"},
            {"agency_id": self.finance.id},
            {"submitted_by_id": self.leader.id},
        ):
            for context in (None, OLD_GUARD_KEYS):
                self.assertRpcRefused(
                    CARD, "write", [self.card.ids, vals], context=context, error="AccessError"
                )
        self.assertEqual(self._snapshot(self.card, card_fields), before)
        line_fields = ["figure", "self_score", "final_score", "council_score", "evidence_domain"]
        before = self._snapshot(self.computed_line | self.self_line, line_fields)
        for line, vals in (
            (self.computed_line, {"figure": 100}),
            (self.computed_line, {"self_score": 5}),
            (self.self_line, {"final_score": 3}),
            (self.self_line, {"council_score": 3, "council_changed": True}),
            (self.computed_line, {"evidence_domain": "[]"}),
        ):
            self.assertRpcRefused(SCORE, "write", [line.ids, vals], context=OLD_GUARD_KEYS)
        self.assertEqual(self._snapshot(self.computed_line | self.self_line, line_fields), before)

    def test_agency_cannot_create_scorecards_lines_or_logs(self):
        self.rpc_login(self.leader)
        count = self.env[CARD].search_count([])
        self.assertRpcRefused(
            CARD,
            "create",
            [
                {
                    "campaign_id": self.campaign.id,
                    "set_id": self.set.id,
                    "agency_id": self.commune.id,
                }
            ],
            context=OLD_GUARD_KEYS,
        )
        self.assertRpcRefused(
            SCORE,
            "create",
            [{"scorecard_id": self.card.id, "criterion_id": self.self_item.id, "max_points": 3}],
        )
        self.assertRpcRefused(
            LOG,
            "create",
            [{"scorecard_id": self.card.id, "user_id": self.leader.id, "kind": "state"}],
        )
        self.assertEqual(self.env[CARD].search_count([]), count)

    def test_agency_cannot_run_the_council_or_coordinator_steps(self):
        self.rpc_login(self.leader)
        self.assertRpcOk(
            SCORE, "write", [self.self_line.ids, {"self_score": 3, "evidence_note": "KH 12"}]
        )
        attachment_id = self.assertRpcOk(
            "ir.attachment",
            "create",
            [{"name": "ke-hoach.pdf", "datas": "JVBERi0xLjQ=", "res_model": SCORE, "res_id": 0}],
        )
        self.assertRpcOk(
            SCORE, "write", [self.self_line.ids, {"evidence_attachment_ids": [[4, attachment_id]]}]
        )
        self.assertRpcOk(CARD, "action_submit", [self.card.ids])
        # The evidence the council sees is kept as it was submitted.
        self.assertRpcRefused("ir.attachment", "unlink", [[attachment_id]])
        self.assertRpcRefused("ir.attachment", "write", [[attachment_id], {"datas": "eA=="}])
        self.assertRpcRefused(
            SCORE, "write", [self.self_line.ids, {"evidence_attachment_ids": [[5, 0, 0]]}]
        )
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertEqual((attachment.res_model, attachment.res_id), (SCORE, self.self_line.id))
        self.assertEqual(attachment.raw, b"%PDF-1.4")
        self.assertEqual(self.self_line.evidence_attachment_ids, attachment)
        for method in ("action_propose", "action_finalise"):
            self.assertRpcRefused(CARD, method, [self.card.ids], context=OLD_GUARD_KEYS)
        for method in ("action_rank", "action_publish", "action_compute"):
            self.assertRpcRefused("cchc.assessment.campaign", method, [self.campaign.ids])
        self.assertRpcRefused(SCORE, "_adjust", [self.self_line.ids, 0, "x"])
        self.assertRpcRefused(
            "cchc.assessment.adjust",
            "create",
            [{"score_id": self.self_line.id, "new_score": 0, "reason": "x"}],
        )
        # Submitted: the agency's own fields are locked too.
        self.assertRpcRefused(SCORE, "write", [self.self_line.ids, {"self_score": 1}])
        self.assertRpcRefused(SCORE, "write", [self.self_line.ids, {"evidence_note": "khác"}])
        self.self_line.invalidate_recordset()
        self.assertEqual(self.self_line.self_score, 3)
        self.assertEqual(self.self_line.evidence_note, "KH 12")
        self.card.invalidate_recordset()
        self.assertEqual(self.card.state, "submitted")

    def test_council_adjusts_only_with_a_reason(self):
        self.self_line.write({"self_score": 3, "evidence_note": "KH"})
        self.card.with_user(self.leader).action_submit()
        self.rpc_login(self.council)
        self.assertEqual(
            sorted(self.assertRpcOk(CARD, "search", [[]])), sorted(self.campaign.scorecard_ids.ids)
        )
        evidence = self.assertRpcOk(SCORE, "read", [self.self_line.ids, ["evidence_note"]])
        self.assertEqual(evidence[0]["evidence_note"], "KH")
        # A direct write is refused; the adjustment needs a reason.
        self.assertRpcRefused(SCORE, "write", [self.self_line.ids, {"council_score": 1}])
        wizard_id = self.assertRpcOk(
            "cchc.assessment.adjust",
            "create",
            [{"score_id": self.self_line.id, "new_score": 1, "reason": " "}],
        )
        self.assertRpcRefused("cchc.assessment.adjust", "action_confirm", [[wizard_id]])
        self.self_line.invalidate_recordset()
        self.assertEqual(self.self_line.final_score, 3)
        wizard_id = self.assertRpcOk(
            "cchc.assessment.adjust",
            "create",
            [{"score_id": self.self_line.id, "new_score": 1, "reason": "Thiếu minh chứng"}],
        )
        self.assertRpcOk("cchc.assessment.adjust", "action_confirm", [[wizard_id]])
        self.self_line.invalidate_recordset()
        self.assertEqual(self.self_line.final_score, 1)
        log = self.card.log_ids.filtered(lambda entry: entry.kind == "council_score")
        self.assertEqual(
            (log.old_value, log.new_value, log.user_id), ("3.00", "1.00", self.council)
        )
        # Nobody rewrites or deletes the log, the coordinator included.
        for user in (self.council, self.coordinator):
            self.rpc_login(user)
            self.assertRpcRefused(
                LOG, "write", [log.ids, {"reason": "khác"}], context=OLD_GUARD_KEYS
            )
            self.assertRpcRefused(LOG, "unlink", [log.ids])
        log.invalidate_recordset()
        self.assertEqual(log.reason, "Thiếu minh chứng")

    def test_others_see_published_results_only(self):
        self.rpc_login(self.other)
        self.assertEqual(self.assertRpcOk(CARD, "search", [[]]), self.other_card.ids)
        for card in self.campaign.scorecard_ids:
            self.force_state(card, "published")
        self.assertEqual(
            sorted(self.assertRpcOk(CARD, "search", [[]])), sorted(self.campaign.scorecard_ids.ids)
        )
        self.assertRpcOk(CARD, "read", [self.card.ids, ["final_total", "rank"]])
        self.assertRpcRefused(SCORE, "read", [self.card.line_ids.ids, ["self_score"]])
        self.assertRpcRefused(CARD, "write", [self.card.ids, {"answer_note": "x"}])

    def test_council_sees_the_evidence_a_third_agency_does_not(self):
        """The records behind a computed figure, kept on the line: the council member of
        another agency reads them without reading the records; a third agency cannot."""
        line = self.computed_line
        self.assertEqual(len(line.evidence_ids), 2)
        self.rpc_login(self.council)
        rows = self.assertRpcOk(
            EVIDENCE,
            "search_read",
            [[("score_id", "=", line.id)], ["code", "detail", "date_due", "met", "res_model"]],
        )
        self.assertEqual(
            sorted((r["detail"], r["met"], r["res_model"]) for r in rows),
            [("Nhiệm vụ 1", "yes", "project.task"), ("Nhiệm vụ 2", "no", "project.task")],
        )
        self.assertTrue(all(r["date_due"] for r in rows))
        read = self.assertRpcOk(SCORE, "read", [line.ids, ["evidence_ids", "evidence_count"]])
        self.assertEqual(read[0]["evidence_count"], 2)
        self.assertRpcOk(SCORE, "action_view_evidence", [line.ids])
        # Nobody changes what was kept, not even the council.
        self.assertRpcRefused(EVIDENCE, "write", [line.evidence_ids.ids, {"met": "yes"}])
        self.assertRpcRefused(EVIDENCE, "unlink", [line.evidence_ids.ids])

        third = self._user("cs_third", "cchc_base.group_cchc_user", self.commune)
        self.rpc_login(third)
        self.assertEqual(self.assertRpcOk(EVIDENCE, "search", [[("score_id", "=", line.id)]]), [])
        self.assertRpcRefused(
            EVIDENCE, "read", [line.evidence_ids.ids, ["code"]], error="AccessError"
        )
        self.assertEqual(len(line.evidence_ids), 2)

    def test_evidence_tasks_are_the_agencys_and_the_council_reads_them(self):
        """The agency links its own plan tasks as evidence, never another agency's; the council
        member of another agency reads the linked tasks (and only those)."""
        finance_task = self.env["project.task"].create(
            {
                "name": "Nhiệm vụ của Sở Tài chính",
                "project_id": self.plan.project_id.id,
                "lead_agency_id": self.finance.id,
            }
        )
        self.rpc_login(self.officer)
        for command in ([6, 0, [finance_task.id]], [4, finance_task.id]):
            self.assertRpcRefused(
                SCORE,
                "write",
                [self.self_line.ids, {"self_score": 2, "evidence_task_ids": [command]}],
                error="AccessError",
            )
        self.self_line.invalidate_recordset()
        self.assertFalse(self.self_line.evidence_task_ids)
        self.assertEqual(self.self_line.self_score, 0)
        own = self.tasks[0]
        self.assertRpcOk(
            SCORE,
            "write",
            [self.self_line.ids, {"self_score": 2, "evidence_task_ids": [[4, own.id]]}],
        )
        self.rpc_login(self.leader)
        self.assertRpcOk(CARD, "action_submit", [self.card.ids])
        self.rpc_login(self.council)
        read = self.assertRpcOk(SCORE, "read", [self.self_line.ids, ["evidence_task_ids"]])
        self.assertEqual(read[0]["evidence_task_ids"], own.ids)
        [task] = self.assertRpcOk("project.task", "read", [own.ids, ["name"]])
        self.assertEqual(task["name"], "Nhiệm vụ 1")
        # Not linked: not readable; linked: read, not written.
        self.assertRpcRefused(
            "project.task", "read", [self.tasks[1].ids, ["name"]], error="AccessError"
        )
        self.assertRpcRefused("project.task", "write", [own.ids, {"name": "x"}])
        own.invalidate_recordset()
        self.assertEqual(own.name, "Nhiệm vụ 1")

    def test_computing_again_leaves_submitted_scorecards_as_submitted(self):
        """The coordinator computes the campaign again: a draft scorecard gets the new figure,
        a submitted one keeps what its agency submitted (figure, points, evidence, no silent
        change outside the log)."""
        line = self.computed_line
        self.self_line.write({"self_score": 3, "evidence_note": "KH"})
        self.card.with_user(self.leader).action_submit()
        logs = self.card.log_ids
        self.tasks[1].cchc_progress = 100
        self.rpc_login(self.coordinator)
        self.assertRpcOk("cchc.assessment.campaign", "action_compute", [self.campaign.ids])
        line.invalidate_recordset()
        self.assertEqual((line.figure, line.self_score, line.final_score), (50.0, 2.5, 2.5))
        self.assertEqual(sorted(line.evidence_ids.mapped("met")), ["no", "yes"])
        self.card.invalidate_recordset()
        self.assertEqual(self.card.log_ids, logs)
        # In self-assessment the same data is measured again.
        self.force_state(self.card, "draft")
        self.assertRpcOk("cchc.assessment.campaign", "action_compute", [self.campaign.ids])
        line.invalidate_recordset()
        self.assertEqual((line.figure, line.final_score), (100.0, 5.0))

    def test_coordinator_cannot_skip_the_steps(self):
        self.rpc_login(self.coordinator)
        self.assertRpcRefused(CARD, "write", [self.card.ids, {"state": "published"}])
        self.assertRpcRefused(
            "cchc.assessment.campaign", "write", [self.campaign.ids, {"state": "published"}]
        )
        self.assertRpcRefused("cchc.assessment.set", "write", [self.set.ids, {"state": "draft"}])
        self.assertRpcRefused(
            "cchc.assessment.criterion", "write", [self.self_item.ids, {"max_points": 10}]
        )
        self.assertRpcRefused("cchc.assessment.campaign", "action_publish", [self.campaign.ids])
        self.assertRpcRefused(
            "cchc.assessment.campaign", "write", [self.campaign.ids, {"set_ids": [[5, 0, 0]]}]
        )
        self.assertRpcRefused(
            "cchc.assessment.campaign", "write", [self.campaign.ids, {"year": 2000}]
        )
        self.campaign.invalidate_recordset()
        self.assertEqual(self.campaign.state, "open")
        self.assertEqual((self.campaign.set_ids, self.campaign.year), (self.set, self.set.year))
        self.assertEqual(self.set.state, "locked")
        self.self_item.invalidate_recordset()
        self.assertEqual(self.self_item.max_points, 3)


@tagged("post_install", "-at_install")
class TestRankingXlsx(AssessmentMixin, XlsxReportCase):
    """The ranking downloaded as the user: record rules decide which scorecards appear."""

    RANKING = "cchc_assessment.ranking_xlsx"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_assessment()
        cls.open_campaign()

    def _agencies(self, sheet):
        return [sheet.cell(row, 2).value for row in range(5, sheet.max_row + 1)]

    def test_agency_gets_its_own_row_only(self):
        self.authenticate("cs_officer", "cs_officer")
        agencies = self._agencies(self.xlsx_sheet(self.RANKING, self.campaign))
        self.assertIn(self.justice.name, agencies)
        self.assertNotIn(self.finance.name, agencies, "another agency's unpublished scorecard")
        self.authenticate("cs_coord", "cs_coord")
        agencies = self._agencies(self.xlsx_sheet(self.RANKING, self.campaign))
        self.assertIn(self.finance.name, agencies)

    def test_button_print_menu_and_file_name_in_vietnamese(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(
            ["cchc_assessment"], ["vi_VN"], overwrite=True
        )
        self.officer.lang = "vi_VN"
        action = self.campaign.with_user(self.officer).action_export_xlsx()
        self.assertEqual((action["report_type"], action["report_name"]), ("xlsx", self.RANKING))
        report = self.env.ref("cchc_assessment.action_report_ranking_xlsx")
        self.assertEqual(report.binding_model_id.model, "cchc.assessment.campaign")
        self.assertEqual(report.with_context(lang="vi_VN").name, "Xếp hạng Chỉ số CCHC (XLSX)")
        self.authenticate("cs_officer", "cs_officer")
        self.assertEqual(
            self.xlsx_filename(self.RANKING, self.campaign), f"Xếp hạng Chỉ số CCHC {YEAR}.xlsx"
        )
