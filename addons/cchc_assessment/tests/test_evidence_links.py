from odoo.tests import tagged

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase

from .common import AssessmentMixin

CARD = "cchc.assessment.scorecard"
SCORE = "cchc.assessment.score"
LINK = "cchc.assessment.evidence.link"


class EvidenceLinkCases(AssessmentMixin):
    """The cycle of a linked record over JSON-RPC, for any kind that may be linked (the tests
    of cchc_demo run it for documents and dossiers, whose addons cchc_assessment does not
    depend on)."""

    @classmethod
    def setup_links(cls):
        cls.setup_assessment()
        cls.open_campaign()
        cls.self_line = cls.line(cls, cls.card, cls.self_item)
        cls.third = cls._user("cs_third", "cchc_base.group_cchc_user", cls.commune)

    def _links(self):
        return self.env[LINK].search([("score_id", "=", self.self_line.id)])

    def assert_links_are_the_agencys(self, user, own, foreign):
        """``user`` (of the justice department) links its ``own`` record, never ``foreign``
        (another agency's, unreadable to it) nor a kind outside the allow-list; the council
        member of the finance department reads the link, changes nothing; a commune's user
        sees nothing of it."""
        self.rpc_login(user)
        # Another agency's record: refused, nothing written (directly or through the line).
        for call in (
            (LINK, "create", [{"score_id": self.self_line.id, "record_ref": _ref(foreign)}]),
            (
                LINK,
                "create",
                [
                    {
                        "score_id": self.self_line.id,
                        "res_model": foreign._name,
                        "res_id": foreign.id,
                    }
                ],
            ),
            (
                SCORE,
                "write",
                [
                    self.self_line.ids,
                    {
                        "self_score": 2,
                        "evidence_link_ids": [[0, 0, {"record_ref": _ref(foreign)}]],
                    },
                ],
            ),
        ):
            message = self.assertRpcRefused(*call, error="AccessError")
            self.assertIn("records of your agency", message)
        self.assertFalse(self._links())
        self.self_line.invalidate_recordset()
        self.assertEqual(self.self_line.self_score, 0)
        # A kind outside the allow-list (a user, a partner, an attachment) or one that does
        # not exist: refused, whatever the client sends.
        for model, res_id in (
            ("res.users", user.id),
            ("res.partner", user.partner_id.id),
            ("ir.attachment", 1),
            ("no.such.model", 1),
        ):
            message = self.assertRpcRefused(
                LINK,
                "create",
                [{"score_id": self.self_line.id, "res_model": model, "res_id": res_id}],
                error="UserError",
            )
            self.assertIn("Only these records can be linked", message)
        # The facts a link keeps come from the record, never from the client.
        self.assertRpcRefused(
            LINK,
            "create",
            [{"score_id": self.self_line.id, "record_ref": _ref(own), "name": "Giả"}],
            context=OLD_GUARD_KEYS,
            error="AccessError",
        )
        self.assertFalse(self._links())
        # Its own record: linked, the line has evidence and may be submitted.
        self.assertRpcOk(
            SCORE,
            "write",
            [
                self.self_line.ids,
                {"self_score": 2, "evidence_link_ids": [[0, 0, {"record_ref": _ref(own)}]]},
            ],
        )
        link = self._links()
        self.assertEqual(
            (link.res_model, link.res_id, link.agency_id), (own._name, own.id, self.justice)
        )
        self.assertTrue(link.code)
        self.assertTrue(self.self_line.has_evidence)
        self.assertFalse(self.self_line.evidence_note)
        # Re-pointed at another record: refused (remove it and link another).
        self.assertRpcRefused(
            LINK, "write", [link.ids, {"res_id": foreign.id}], error="AccessError"
        )
        self.assertRpcRefused(
            LINK, "write", [link.ids, {"record_ref": _ref(foreign)}], error="AccessError"
        )
        self.assertEqual(link.res_id, own.id)
        [read] = self.assertRpcOk(LINK, "read", [link.ids, ["can_open", "kind"]])
        self.assertTrue(read["can_open"])
        self.assertRpcOk(LINK, "action_open_record", [link.ids])
        self.rpc_login(self.leader)
        self.assertRpcOk(CARD, "action_submit", [self.card.ids])

        # The council (finance department) reads what was linked, changes nothing.
        self.rpc_login(self.council)
        read = self.assertRpcOk(SCORE, "read", [self.self_line.ids, ["evidence_link_ids"]])
        self.assertEqual(read[0]["evidence_link_ids"], link.ids)
        [row] = self.assertRpcOk(
            LINK, "read", [link.ids, ["kind", "code", "name", "date", "res_model", "res_id"]]
        )
        self.assertEqual(
            (row["code"], row["name"], row["date"], row["res_model"], row["res_id"]),
            (link.code, link.name, link.date and str(link.date), own._name, own.id),
        )
        self.assertTrue(row["kind"])
        self.assertRpcRefused(LINK, "write", [link.ids, {"name": "x"}], error="AccessError")
        self.assertRpcRefused(LINK, "unlink", [link.ids], error="AccessError")
        self.assertRpcRefused(
            LINK,
            "create",
            [{"score_id": self.self_line.id, "record_ref": _ref(own)}],
            error="AccessError",
        )
        self.assertRpcRefused(
            SCORE, "write", [self.self_line.ids, {"evidence_link_ids": [[5, 0, 0]]}]
        )
        self.assertEqual(self._links(), link)
        self.assertEqual(link.name, row["name"])

        # A commune's user sees nothing of it.
        self.rpc_login(self.third)
        self.assertEqual(self.assertRpcOk(LINK, "search", [[]]), [])
        self.assertRpcRefused(LINK, "read", [link.ids, ["code"]], error="AccessError")
        self.assertRpcRefused(
            SCORE, "read", [self.self_line.ids, ["evidence_link_ids"]], error="AccessError"
        )
        self.assertRpcRefused(LINK, "action_open_record", [link.ids])

        # Submitted: the agency itself can no longer remove or add a link.
        self.rpc_login(user)
        self.assertRpcRefused(LINK, "unlink", [link.ids], error="AccessError")
        self.assertRpcRefused(
            SCORE, "write", [self.self_line.ids, {"evidence_link_ids": [[2, link.id]]}]
        )
        self.assertEqual(self._links(), link)
        return link


def _ref(record):
    return f"{record._name},{record.id}"


@tagged("post_install", "-at_install")
class TestEvidenceLinksOverRpc(EvidenceLinkCases, RpcCase):
    """Periodic reports (cchc_plan, always installed) linked as evidence."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_links()
        # The finance department leads a task too: both agencies get a report of the period.
        cls.env["project.task"].create(
            {
                "name": "Nhiệm vụ của Sở Tài chính",
                "project_id": cls.plan.project_id.id,
                "lead_agency_id": cls.finance.id,
            }
        )
        period = cls.plan.period_ids.sorted("due_date")[:1]
        reports = period.with_user(cls.coordinator).action_generate_reports()
        cls.own_report = reports.filtered(lambda r: r.agency_id == cls.justice)
        cls.finance_report = reports.filtered(lambda r: r.agency_id == cls.finance)

    def test_reports_are_the_agencys_and_the_council_reads_the_link(self):
        link = self.assert_links_are_the_agencys(self.officer, self.own_report, self.finance_report)
        self.assertEqual(link.code, self.own_report.period_id.name)
        self.assertEqual(link.name, self.own_report.display_name)
        self.assertEqual(link.date, self.own_report.due_date)
        # The council member does not read the justice department's report itself.
        self.rpc_login(self.council)
        [read] = self.assertRpcOk(LINK, "read", [link.ids, ["can_open"]])
        self.assertFalse(read["can_open"])
        self.assertRpcRefused(LINK, "action_open_record", [link.ids], error="AccessError")

    def test_a_line_with_a_link_only_is_submitted(self):
        """A self-score with a linked record and no explanation is accepted; the same line
        without evidence is refused at submission."""
        self.self_line.write({"self_score": 2})
        self.rpc_login(self.leader)
        message = self.assertRpcRefused(CARD, "action_submit", [self.card.ids])
        self.assertIn("linked records", message)
        self.rpc_login(self.officer)
        self.assertRpcOk(
            LINK, "create", [{"score_id": self.self_line.id, "record_ref": _ref(self.own_report)}]
        )
        # The same record twice: refused.
        self.assertRpcRefused(
            LINK,
            "create",
            [
                {
                    "score_id": self.self_line.id,
                    "res_model": "cchc.plan.report",
                    "res_id": self.own_report.id,
                }
            ],
        )
        self.rpc_login(self.leader)
        self.assertRpcOk(CARD, "action_submit", [self.card.ids])
        self.card.invalidate_recordset()
        self.assertEqual(self.card.state, "submitted")

    def test_only_installed_kinds_are_offered(self):
        kinds = dict(self.env[LINK]._selection_linkable())
        self.assertIn("cchc.plan.report", kinds)
        for model in ("cchc.document", "cchc.onestop.dossier"):
            self.assertEqual(
                model in kinds,
                model in self.env and hasattr(self.env[model], "_cchc_evidence_facts"),
            )
