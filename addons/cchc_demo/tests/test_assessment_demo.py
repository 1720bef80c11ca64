import ast
from datetime import date

from odoo import fields
from odoo.modules.module import get_manifest
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import convert_file

from odoo.addons.cchc_assessment.tests.common import YEAR
from odoo.addons.cchc_base.tests.rpc import RpcCase
from odoo.addons.cchc_demo.models.cchc_assessment_demo import COMPUTED


@tagged("post_install", "-at_install")
class TestAssessmentDemo(TransactionCase):
    def test_demo_set_adds_up(self):
        """The demo's set (area points of QĐ 2948/QĐ-BNV, area I as Cà Mau's) is a valid set."""
        set_ = self.env["cchc.assessment.demo"]._demo_criteria_set(YEAR + 3)
        self.assertEqual(set_._points_errors(), [])
        self.assertEqual(set_.area_count, 8)
        self.assertGreaterEqual(set_.criterion_count, 25)
        self.assertEqual(set_.area_ids.mapped("max_points"), [10, 10, 14.5, 11, 16, 7, 16, 15.5])
        # Criteria and sub-criteria per area as the sources count them (area I: Cà Mau's rows
        # 1.1-1.3, QĐ 2948 counts 6 criteria there; the rest is illustrative).
        self.assertEqual([len(area.child_ids) for area in set_.area_ids], [3, 4, 5, 4, 9, 3, 5, 3])
        self.assertEqual(
            [len(area.child_ids.child_ids) for area in set_.area_ids],
            [6, 6, 16, 10, 16, 6, 18, 3],
        )
        self.assertEqual(set_.criterion_count, 36)
        self.assertEqual(set_.leaf_count, 84)
        self.assertTrue(set_.criterion_ids.filtered(lambda c: c.method == "computed"))
        self.assertTrue(set_.criterion_ids.filtered(lambda c: c.method == "survey"))

    def test_demo_area_one_is_ca_mau(self):
        """Area I carries the points of Cà Mau QĐ 1880/QĐ-UBND 2013, rows 1.1-1.3, and its
        scoring scales as guidance; the points below the other areas are the even split."""
        set_ = self.env["cchc.assessment.demo"]._demo_criteria_set(YEAR + 3)
        area = set_.area_ids[0]
        self.assertEqual(
            [(c.code, c.name, c.max_points) for c in area.child_ids],
            [
                ("1", "Kế hoạch CCHC năm", 5),
                ("2", "Báo cáo CCHC", 2),
                ("3", "Kiểm tra công tác CCHC", 3),
            ],
        )
        self.assertEqual(area.child_ids[0].child_ids.mapped("max_points"), [1, 1, 1, 2])
        self.assertEqual(area.child_ids[1].child_ids.mapped("max_points"), [1, 1])
        first = area.child_ids[0].child_ids[0]
        self.assertEqual(first.name, "Ban hành kế hoạch CCHC năm")
        self.assertIn("Ban hành không kịp thời: 0,5", first.guidance)
        self.assertTrue(all(area.child_ids.child_ids.mapped("guidance")))
        # Area II (10 points, 4 criteria): split evenly, no guidance.
        second = set_.area_ids[1]
        self.assertEqual(second.child_ids.mapped("max_points"), [2.5, 2.5, 2.5, 2.5])
        self.assertFalse(any(second.child_ids.child_ids.mapped("guidance")))

    def test_demo_computed_items_have_their_source(self):
        """Every measured item of the demo set is computed from its indicator source (a wrong
        xml id, as the electronic documents' once was, left the item self-scored)."""
        set_ = self.env["cchc.assessment.demo"]._demo_criteria_set(YEAR + 3)
        computed = set_.criterion_ids.filtered(lambda c: c.method == "computed")
        self.assertEqual(sorted(computed.mapped("name")), sorted(COMPUTED))
        for criterion in computed:
            xmlid, table = COMPUTED[criterion.name]
            self.assertEqual(criterion.source_id, self.env.ref(xmlid), criterion.name)
            self.assertEqual(len(criterion.band_ids), len(table), criterion.name)
        electronic = computed.filtered(lambda c: c.name == "Văn bản điện tử gửi nhận")
        self.assertEqual(
            electronic.source_id,
            self.env.ref("cchc_exchange.indicator_source_outgoing_electronic"),
        )
        # Cà Mau QĐ 1880/QĐ-UBND 2013, row 1.1.4: above 90% 2 points, 70-90% 1, below 0.
        plan = computed.filtered(lambda c: c.name == "Mức độ thực hiện kế hoạch CCHC")
        self.assertEqual(
            plan.source_id, self.env.ref("cchc_assessment.indicator_source_task_completion")
        )
        self.assertEqual(plan.max_points, 2)
        self.assertEqual(plan.points_for(95), 2)
        self.assertEqual(plan.points_for(75), 1)
        self.assertEqual(plan.points_for(65), 0)
        # Row 1.2.1: every report on time 1 point, else nothing.
        reports = computed.filtered(lambda c: c.name.startswith("Tất cả báo cáo được gửi"))
        self.assertEqual(
            reports.source_id, self.env.ref("cchc_assessment.indicator_source_report_on_time")
        )
        self.assertEqual(reports.max_points, 1)
        self.assertEqual(reports.points_for(100), 1)
        self.assertEqual(reports.points_for(99), 0)


@tagged("post_install", "-at_install")
class TestAssessmentDemoFigures(RpcCase):
    """The demo as ``make demo`` installs it (the tests' database has no demo data): every
    computed line of this year's campaign shows the figure of the records it counts. (An
    ``HttpCase``: the linked evidence is read over JSON-RPC.)"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The demo's users write Vietnamese (``make demo`` loads it).
        cls.env["res.lang"]._activate_lang("vi_VN")
        for path in get_manifest("cchc_demo")["demo"]:
            convert_file(cls.env, "cchc_demo", path, {}, mode="init", kind="demo")
        cls.year = fields.Date.context_today(cls.env.user).year
        cls.date_from, cls.date_to = date(cls.year, 1, 1), date(cls.year, 12, 31)
        Campaign = cls.env["cchc.assessment.campaign"]
        cls.current = Campaign.search([("year", "=", cls.year)])
        cls.previous = Campaign.search([("year", "=", cls.year - 1)])
        cls.departments = cls.env["cchc.agency"].search([("kind", "=", "department")])

    def lines(self, campaign, xmlid):
        """``{agency: line}`` of the campaign's computed item measured by source ``xmlid``."""
        lines = self.env["cchc.assessment.score"].search(
            [
                ("campaign_id", "=", campaign.id),
                ("criterion_id.source_id", "=", self.env.ref(xmlid).id),
            ]
        )
        self.assertEqual(lines.agency_id, self.departments, xmlid)
        return {line.agency_id: line for line in lines}

    def assert_figures(self, xmlid, counts, some=True):
        """``counts``: ``{agency: (numerator, denominator)}`` counted here from the records.
        Each agency with records has the figure 100 × numerator ÷ denominator, the points of
        its table and a link to exactly the records counted; the others have no figure.
        ``some``: the demo gives records of the year to at least one department."""
        lines = self.lines(self.current, xmlid)
        with_records = {agency for agency, (_n, total) in counts.items() if total}
        if some:
            self.assertTrue(with_records, f"{xmlid}: no department has records this year")
        for agency, line in lines.items():
            numerator, total = counts.get(agency, (0, 0))
            if not total:
                self.assertFalse(line.has_figure, f"{xmlid} {agency.name}")
                self.assertEqual(line.final_score, 0, f"{xmlid} {agency.name}")
                # No link to records of other years or states, which are behind no figure.
                self.assertFalse(line.evidence_ids, f"{xmlid} {agency.name}")
                if line.evidence_model:
                    self.assertFalse(
                        self.env[line.evidence_model].search_count(
                            ast.literal_eval(line.evidence_domain)
                        ),
                        f"{xmlid} {agency.name}",
                    )
                continue
            self.assertTrue(line.has_figure, f"{xmlid} {agency.name}")
            self.assertAlmostEqual(line.figure, 100 * numerator / total, 2, f"{agency.name}")
            self.assertEqual(line.self_score, line.criterion_id.points_for(line.figure))
            behind = self.env[line.evidence_model].search_count(
                ast.literal_eval(line.evidence_domain)
            )
            self.assertEqual(behind, total, f"{xmlid} {agency.name}: records behind the figure")
            # The evidence kept on the line: the same records, those met the numerator.
            kept = line.evidence_ids
            self.assertEqual(len(kept), total, f"{xmlid} {agency.name}: evidence kept")
            self.assertEqual(
                len(kept.filtered(lambda e: e.met == "yes")), numerator, f"{xmlid} {agency.name}"
            )
        return with_records

    def test_campaigns_are_this_year_and_last(self):
        """This year's campaign is in self-assessment and appraisal; last year's is published,
        its computed items without a figure entered by the council with the reason."""
        self.assertEqual(len(self.current), 1)
        self.assertEqual(self.current.state, "ranked")
        self.assertEqual(
            set(self.current.scorecard_ids.mapped("state")),
            {"draft", "submitted", "proposed", "answered", "final"},
        )
        self.assertEqual(self.previous.state, "published")
        self.assertEqual(len(self.previous.scorecard_ids), len(self.departments))
        computed = self.env["cchc.assessment.score"].search(
            [("campaign_id", "=", self.previous.id), ("method", "=", "computed")]
        )
        self.assertEqual(len(computed), len(self.departments) * len(COMPUTED))
        for line in computed.filtered(lambda line: not line.has_figure):
            self.assertTrue(line.council_changed, line.criterion_id.name)
            self.assertIn("chưa có số liệu", line.council_reason)
            self.assertTrue(
                self.env["cchc.assessment.log"].search_count(
                    [("score_id", "=", line.id), ("kind", "=", "council_score")]
                ),
                "the council's points are in the change log",
            )
        # The lines with a figure (plan tasks due last year) keep the figure's points.
        for line in computed.filtered("has_figure"):
            self.assertFalse(line.council_changed)
            self.assertEqual(line.final_score, line.criterion_id.points_for(line.figure))
        # This year's ranking compares with last year's published one.
        self.assertTrue(all(self.current.scorecard_ids.mapped("previous_percentage")))

    def test_leaders_submit(self):
        """A submitted scorecard was sent by a leader of its own agency where the demo has one
        (the directors: giamdoc.*), not by the Home Affairs coordinator."""
        checked = 0
        for card in (self.current | self.previous).scorecard_ids.filtered("submitted_by_id"):
            leaders = card.agency_id.member_ids.filtered(
                lambda user: user.has_group("cchc_base.group_cchc_leader")
            )
            if leaders:
                self.assertIn(card.submitted_by_id, leaders, card.agency_id.name)
                checked += 1
        self.assertGreater(checked, 0, "no department with a leader submitted")

    def test_plan_tasks(self):
        Task = self.env["project.task"]
        counts = {}
        for agency in self.departments:
            due = [
                ("cchc_plan_id", "!=", False),
                ("lead_agency_id", "=", agency.id),
                ("date_deadline", ">=", self.date_from),
                ("date_deadline", "<=", f"{self.date_to} 23:59:59"),
            ]
            done = [*due, ("cchc_status", "in", ("done_on_time", "done_late"))]
            counts[agency] = (Task.search_count(done), Task.search_count(due))
        self.assert_figures("cchc_assessment.indicator_source_task_completion", counts)
        # The task rule of the scorecard is the same share.
        for card in self.current.scorecard_ids:
            done, total = counts[card.agency_id]
            self.assertAlmostEqual(card.task_rate, 100 * done / total if total else 0, 2)

    def test_reports(self):
        Report = self.env["cchc.plan.report"]
        counts = {}
        for agency in self.departments:
            reports = Report.search(
                [
                    ("agency_id", "=", agency.id),
                    ("is_consolidated", "=", False),
                    ("due_date", ">=", self.date_from),
                    ("due_date", "<=", self.date_to),
                ]
            )
            on_time = reports.filtered(
                lambda r: r.submitted_on and r.submitted_on.date() <= r.due_date
            )
            counts[agency] = (len(on_time), len(reports))
        self.assert_figures("cchc_assessment.indicator_source_report_on_time", counts)

    def test_dossiers_on_time_as_the_dashboard(self):
        """The on-time rate of each agency is the one-stop dashboard's for that agency and
        year."""
        Dossier = self.env["cchc.onestop.dossier"]
        Stat = self.env["cchc.onestop.stat"]
        counts = {}
        for agency in self.departments:
            resolved = [
                ("agency_id", "=", agency.id),
                ("state", "in", ("resolved", "returned")),
                ("resolved_date", ">=", self.date_from),
                ("resolved_date", "<=", self.date_to),
            ]
            in_time = [*resolved, ("timeliness", "in", ("early", "on_time"))]
            counts[agency] = (Dossier.search_count(in_time), Dossier.search_count(resolved))
        with_records = self.assert_figures("cchc_onestop.indicator_source_on_time_rate", counts)
        lines = self.lines(self.current, "cchc_onestop.indicator_source_on_time_rate")
        for agency in with_records:
            [(dashboard,)] = Stat._read_group(
                [
                    ("agency_id", "=", agency.id),
                    ("date", ">=", self.date_from),
                    ("date", "<=", self.date_to),
                ],
                aggregates=["on_time_rate:avg"],
            )
            self.assertAlmostEqual(lines[agency].figure, dashboard, 2, agency.name)

    def test_council_sees_dossier_evidence_of_another_agency(self):
        """giamdoc.noivu (council, Sở Nội vụ) on Sở NN&MT's on-time line: the dossiers'
        record rules hide them, the evidence kept on the line shows them, without applicants."""
        council = self.env.ref("cchc_demo.user_giamdoc_noivu")
        nnmt = self.env.ref("cchc_demo.agency_so_nnmt")
        line = self.lines(self.current, "cchc_onestop.indicator_source_on_time_rate")[nnmt]
        self.assertTrue(line.evidence_ids, "Sở NN&MT resolves dossiers in the demo")
        as_council = line.with_user(council)
        self.assertFalse(as_council.can_open_records)
        kept = as_council.evidence_ids
        self.assertEqual(len(kept), line.evidence_count)
        dossiers = self.env["cchc.onestop.dossier"].browse(kept.mapped("res_id"))
        self.assertEqual(sorted(kept.mapped("code")), sorted(dossiers.mapped("name")))
        self.assertEqual(kept.mapped("detail"), [d.procedure_id.name for d in dossiers])
        applicants = set(dossiers.mapped("applicant_name"))
        for evidence in kept.read(list(kept._fields)):
            self.assertFalse(applicants & {v for v in evidence.values() if isinstance(v, str)})

    def test_dossiers_online(self):
        Dossier = self.env["cchc.onestop.dossier"]
        counts = {}
        for agency in self.departments:
            eligible = [
                ("agency_id", "=", agency.id),
                ("state", "not in", ("draft", "refused")),
                ("received_date", ">=", self.date_from),
                ("received_date", "<=", self.date_to),
                ("online_mode", "=", "full"),
            ]
            online = [*eligible, ("channel", "=", "online")]
            counts[agency] = (Dossier.search_count(online), Dossier.search_count(eligible))
        self.assert_figures("cchc_onestop.indicator_source_online_rate", counts)

    def test_electronic_documents(self):
        Document = self.env["cchc.document"]
        counts = {}
        for agency in self.departments:
            issued = Document.search(
                [
                    ("agency_id", "=", agency.id),
                    ("direction", "=", "out"),
                    ("state", "=", "issued"),
                    ("confidentiality", "=", "normal"),
                    ("issue_date", ">=", self.date_from),
                    ("issue_date", "<=", self.date_to),
                ]
            )
            sent = issued.filtered(
                lambda d: (
                    d.recipient_agency_ids
                    and not d.recipient_agency_ids
                    - d.dispatch_ids.filtered(
                        lambda p: p.state not in ("queued", "failed", "02")
                    ).recipient_agency_id
                )
            )
            counts[agency] = (len(sent), len(issued))
        # Sở Nội vụ and Sở Tư pháp issue documents this year (cchc.exchange.demo): all of Sở
        # Nội vụ's delivered electronically, one of Sở Tư pháp's two on paper.
        with_records = self.assert_figures(
            "cchc_exchange.indicator_source_outgoing_electronic", counts
        )
        noivu = self.env.ref("cchc_demo.agency_so_noi_vu")
        tuphap = self.env.ref("cchc_demo.agency_so_tu_phap")
        self.assertLessEqual({noivu, tuphap}, with_records)
        self.assertEqual(counts[noivu], (2, 2))
        self.assertEqual(counts[tuphap], (1, 2))
        lines = self.lines(self.current, "cchc_exchange.indicator_source_outgoing_electronic")
        self.assertEqual(lines[noivu].self_score, lines[noivu].max_points)
        self.assertEqual(lines[tuphap].figure, 50)
        self.assertEqual(lines[tuphap].self_score, 0)
        # 🔍 opens exactly the documents counted, for the department's director too.
        director = self.env.ref("cchc_demo.user_giamdoc_tuphap")
        action = lines[tuphap].with_user(director).action_view_evidence_records()
        self.assertEqual(action["res_model"], "cchc.document")
        opened = (
            self.env["cchc.document"].with_user(director).search(ast.literal_eval(action["domain"]))
        )
        self.assertEqual(
            opened,
            self.env["cchc.document"].search(
                [
                    ("agency_id", "=", tuphap.id),
                    ("direction", "=", "out"),
                    ("state", "=", "issued"),
                    ("issue_date", ">=", self.date_from),
                ]
            ),
        )

    def test_linked_evidence(self):
        """Agencies linked their own reports, documents and a dossier of the year to self-scored
        items (one scorecard still in self-assessment, the others past it); the server kept
        each record's number, subject and date; the council reads the links over JSON-RPC, a
        third agency's user sees none."""
        Link = self.env["cchc.assessment.evidence.link"]
        links = Link.search([("score_id.campaign_id", "=", self.current.id)])
        ref = self.env.ref
        noivu, tuphap = ref("cchc_demo.agency_so_noi_vu"), ref("cchc_demo.agency_so_tu_phap")
        vp = ref("cchc_demo.agency_vp_ubnd")
        self.assertEqual(links.score_id.scorecard_id.agency_id, vp | noivu | tuphap)
        self.assertEqual(
            set(links.mapped("res_model")),
            {"cchc.plan.report", "cchc.document", "cchc.onestop.dossier"},
        )
        states = set(links.score_id.scorecard_id.mapped("state"))
        self.assertIn("draft", states)
        self.assertTrue(states - {"draft"}, "links on scorecards past self-assessment")
        self.assertFalse(Link.search_count([("score_id.campaign_id", "=", self.previous.id)]))
        for link in links:
            record = self.env[link.res_model].browse(link.res_id)
            self.assertTrue(record.exists(), link.display_name)
            self.assertEqual(record.agency_id, link.score_id.agency_id, link.display_name)
            self.assertEqual(link.agency_id, link.score_id.agency_id)
            self.assertEqual(link.score_id.method, "self")
            self.assertTrue(link.code and link.name, link.res_model)
            self.assertNotEqual(link.code, f"#{record.id}", "the record's own number is kept")
        documents = links.filtered(lambda link: link.res_model == "cchc.document")
        self.assertEqual(documents.agency_id, noivu | tuphap)
        for link in documents:
            document = self.env["cchc.document"].browse(link.res_id)
            self.assertEqual((link.name, link.date), (document.name, document.issue_date))
            self.assertEqual(document.state, "issued")
        dossier = links.filtered(lambda link: link.res_model == "cchc.onestop.dossier")
        self.assertEqual(dossier.agency_id, tuphap)
        self.assertEqual(
            dossier.name, self.env["cchc.onestop.dossier"].browse(dossier.res_id).procedure_id.name
        )

        # The council (Sở Nội vụ's director) reads every link, of Sở Tư pháp's card too.
        self.rpc_login(ref("cchc_demo.user_giamdoc_noivu"))
        found = self.assertRpcOk(
            "cchc.assessment.evidence.link",
            "search_read",
            [[("score_id.campaign_id", "=", self.current.id)], ["code", "name", "res_model"]],
        )
        self.assertEqual(sorted(row["id"] for row in found), sorted(links.ids))
        self.assertEqual(
            {row["id"]: row["code"] for row in found},
            dict(zip(links.ids, links.mapped("code"), strict=True)),
        )
        # A third agency's user (Sở NN&MT's director) sees none of them.
        self.rpc_login(ref("cchc_demo.user_giamdoc_nnmt"))
        self.assertEqual(self.assertRpcOk("cchc.assessment.evidence.link", "search", [[]]), [])
        self.assertRpcRefused(
            "cchc.assessment.evidence.link", "read", [links.ids, ["code"]], error="AccessError"
        )
