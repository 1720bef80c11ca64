from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.cchc_assessment.tests.common import YEAR
from odoo.addons.cchc_demo.models.cchc_assessment_demo import COMPUTED


@tagged("post_install", "-at_install")
class TestAssessmentDemo(TransactionCase):
    def test_demo_set_adds_up(self):
        """The demo's set (structure and area points of QĐ 2948/QĐ-BNV) is a valid set."""
        set_ = self.env["cchc.assessment.demo"]._demo_criteria_set(YEAR + 3)
        self.assertEqual(set_._points_errors(), [])
        self.assertEqual(set_.area_count, 8)
        self.assertGreaterEqual(set_.criterion_count, 25)
        self.assertEqual(set_.area_ids.mapped("max_points"), [10, 10, 14.5, 11, 16, 7, 16, 15.5])
        # Criteria and sub-criteria per area as the source counts them (the rest is illustrative).
        self.assertEqual([len(area.child_ids) for area in set_.area_ids], [6, 4, 5, 4, 9, 3, 5, 3])
        self.assertEqual(
            [len(area.child_ids.child_ids) for area in set_.area_ids],
            [6, 6, 16, 10, 16, 6, 18, 3],
        )
        self.assertEqual(set_.criterion_count, 39)
        self.assertEqual(set_.leaf_count, 86)
        self.assertTrue(set_.criterion_ids.filtered(lambda c: c.method == "computed"))
        self.assertTrue(set_.criterion_ids.filtered(lambda c: c.method == "survey"))

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
        # Cà Mau QĐ 1880/QĐ-UBND 2013, row 1.1.4: above 90% full points, 70-90% half, below 0.
        plan = computed.filtered(lambda c: c.name == "Mức độ hoàn thành kế hoạch CCHC")
        self.assertEqual(plan.points_for(95), plan.max_points)
        self.assertEqual(plan.points_for(75), round(plan.max_points / 2, 2))
        self.assertEqual(plan.points_for(65), 0)
