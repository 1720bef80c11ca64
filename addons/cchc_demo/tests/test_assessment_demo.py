from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.cchc_assessment.tests.common import YEAR


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
