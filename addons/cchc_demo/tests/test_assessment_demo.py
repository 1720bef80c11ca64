from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.cchc_assessment.tests.common import YEAR
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
