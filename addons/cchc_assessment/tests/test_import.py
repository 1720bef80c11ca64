import base64
import io

import openpyxl

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .common import YEAR, AssessmentMixin

GOOD = [
    ("STT", "Tiêu chí", "Điểm tối đa", "Phương thức", "Nguồn", "Bảng điểm"),
    ("I", "Công tác chỉ đạo, điều hành", 10, "", "", ""),
    ("1", "Kế hoạch CCHC", 6, "", "", ""),
    ("1.1", "Ban hành kịp thời", 2, "Tự chấm", "", ""),
    (
        "1.2",
        "Mức độ hoàn thành kế hoạch",
        4,
        "Tính từ dữ liệu hệ thống",
        "cchc_assessment.task_completion",
        "100:4; 90:2",
    ),
    ("2", "Tuyên truyền", 4, "Tự chấm", "", ""),
    ("II", "Sự hài lòng", 10, "", "", ""),
    ("3", "Điều tra xã hội học", 10, "Điều tra xã hội học", "", ""),
]


def workbook(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue())


@tagged("post_install", "-at_install")
class TestImport(AssessmentMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_assessment()

    def _wizard(self, rows, total=20):
        return (
            self.env["cchc.assessment.set.import"]
            .with_user(self.coordinator)
            .create(
                {
                    "name": "Bộ nhập",
                    "year": YEAR + 1,
                    "total_points": total,
                    "file": workbook(rows),
                }
            )
        )

    def _sets(self):
        return self.env["cchc.assessment.set"].search([("name", "=", "Bộ nhập")])

    def test_import_a_set(self):
        action = self._wizard(GOOD).action_import()
        set_ = self.env["cchc.assessment.set"].browse(action["res_id"])
        self.assertEqual(set_.area_count, 2)
        self.assertEqual(set_.leaf_count, 4)
        computed = set_.criterion_ids.filtered(lambda c: c.method == "computed")
        self.assertEqual(computed.code, "1.2")
        self.assertEqual(computed.points_for(95), 2)
        self.assertEqual(set_.criterion_ids.filtered(lambda c: c.code == "3").method, "survey")

    def test_unknown_columns(self):
        rows = [(*GOOD[0], "Ghi chú lạ")] + [(*row, "") for row in GOOD[1:]]
        with self.assertRaises(UserError) as caught:
            self._wizard(rows).action_import()
        self.assertIn("Ghi chú lạ", str(caught.exception))
        self.assertFalse(self._sets())

    def test_points_that_do_not_add_up_import_nothing(self):
        rows = list(GOOD)
        rows[3] = ("1.1", "Ban hành kịp thời", 3, "Tự chấm", "", "")
        with self.assertRaises(ValidationError) as caught:
            self._wizard(rows).action_import()
        self.assertIn("1 Kế hoạch CCHC", str(caught.exception))
        self.assertFalse(self._sets())
        self.assertFalse(
            self.env["cchc.assessment.criterion"].search([("name", "=", "Ban hành kịp thời")])
        )

    def test_bad_method_and_number(self):
        rows = list(GOOD)
        rows[3] = ("1.1", "Ban hành kịp thời", "hai", "Tự chấm", "", "")
        with self.assertRaises(ValidationError) as caught:
            self._wizard(rows).action_import()
        self.assertIn("Row 4", str(caught.exception))
        rows[3] = ("1.1", "Ban hành kịp thời", 2, "Bốc thăm", "", "")
        with self.assertRaises(ValidationError):
            self._wizard(rows).action_import()
        self.assertFalse(self._sets())
