import base64
import io

import openpyxl

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CchcOnestopCase

LIST_CSV = """\
DANH MỤC THỦ TỤC HÀNH CHÍNH
STT;Mã TTHC;Tên thủ tục hành chính;Lĩnh vực;Thời hạn giải quyết;Cơ quan thực hiện;Phí, lệ phí;Mức độ
1;1.001193;Đăng ký khai sinh;Hộ tịch;Trong ngày;X01.31;Không;Toàn trình
2;2.000815;Chứng thực bản sao;Chứng thực;08 giờ làm việc;UBND xã Thử Nghiệm;2.000 đồng;Một phần
3;1.012756;Giao đất, cho thuê đất;Đất đai;15 ngày làm việc;Sở NN&MT;Theo quy định;Mức độ 2
"""


@tagged("post_install", "-at_install")
class TestCatalogue(CchcOnestopCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["cchc.agency.alias"].create({"name": "Sở NN&MT", "agency_id": cls.land.id})

    def _import(self, content, filename="danh-muc.csv", **vals):
        data = content.encode() if isinstance(content, str) else content
        wizard = (
            self.env["cchc.onestop.procedure.import"]
            .with_user(self.coordinator)
            .create({"file": base64.b64encode(data), "filename": filename, **vals})
        )
        wizard.action_import()
        return wizard

    def _count(self):
        return self.env["cchc.onestop.procedure"].search_count([])

    def test_import_a_published_list(self):
        before = self._count()
        wizard = self._import(LIST_CSV, receiving_agency_ids=[(6, 0, [self.justice.id])])
        self.assertEqual((wizard.created_count, wizard.updated_count), (3, 0))
        self.assertEqual(self._count(), before + 3)
        Procedure = self.env["cchc.onestop.procedure"]
        birth = Procedure.search([("code", "=", "1.001193")])
        self.assertEqual(birth.name, "Đăng ký khai sinh")
        self.assertEqual(birth.field_id.name, "Hộ tịch")
        self.assertEqual((birth.time_unit, birth.time_limit), ("day", 0))
        self.assertEqual(birth.time_text, "Trong ngày")
        self.assertEqual(birth.competent_agency_id, self.commune, "found by identifier")
        self.assertEqual(birth.agency_ids, self.commune | self.justice)
        self.assertEqual(birth.online_mode, "full")
        copy = Procedure.search([("code", "=", "2.000815")])
        self.assertEqual((copy.time_unit, copy.time_limit), ("hour", 8))
        self.assertEqual((copy.fee_text, copy.fee_amount), ("2.000 đồng", 2000))
        self.assertEqual(copy.online_mode, "partial")
        land = Procedure.search([("code", "=", "1.012756")])
        self.assertEqual(land.competent_agency_id, self.land, "found by alias")
        self.assertEqual(land.online_mode, "none")
        self.assertEqual(land.field_id, self.field_land, "an existing field is reused")
        # Importing again updates the same procedures.
        again = self._import(LIST_CSV.replace("15 ngày làm việc", "12 ngày làm việc"))
        self.assertEqual((again.created_count, again.updated_count), (0, 3))
        self.assertEqual(self._count(), before + 3)
        self.assertEqual(land.time_limit, 12)

    def test_import_the_short_shape_from_xlsx(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["TT", "Tên thủ tục", "Lĩnh vực", "Mức độ"])
        sheet.append([1, "Đăng ký kết hôn", "Hộ tịch", "Toàn trình"])
        sheet.append([2, "Đăng ký khai tử", "Hộ tịch", "Một phần"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        wizard = self._import(buffer.getvalue(), "danh-muc.xlsx", default_agency_id=self.commune.id)
        self.assertEqual(wizard.created_count, 2)
        self.assertEqual(wizard.field_count, 1)
        procedures = wizard.procedure_ids.sorted("sequence")
        self.assertEqual(procedures.mapped("name"), ["Đăng ký kết hôn", "Đăng ký khai tử"])
        self.assertEqual(procedures.competent_agency_id, self.commune)
        self.assertEqual(set(procedures.mapped("time_unit")), {False}, "no time in the list")
        # Without codes, a second import matches by name.
        again = self._import(buffer.getvalue(), "danh-muc.xlsx")
        self.assertEqual((again.created_count, again.updated_count), (0, 2))

    def test_unknown_columns_refuse_the_file(self):
        before = self._count()
        with self.assertRaises(UserError) as err:
            self._import("TT;Tên thủ tục;Lĩnh vực;Người ký\n1;Khai sinh;Hộ tịch;A\n")
        self.assertIn("'Người ký'", str(err.exception))
        self.assertIn("nothing was saved", str(err.exception))
        self.assertEqual(self._count(), before)

    def test_a_bad_processing_time_refuses_every_row(self):
        before = self._count()
        fields_before = self.env["cchc.onestop.field"].search_count([])
        content = LIST_CSV.replace("08 giờ làm việc", "tám giờ")
        with self.assertRaises(UserError) as err:
            self._import(content)
        self.assertIn("row 4", str(err.exception))
        self.assertIn("tám giờ", str(err.exception))
        self.assertEqual(self._count(), before, "the good rows are not saved either")
        self.assertEqual(self.env["cchc.onestop.field"].search_count([]), fields_before)

    def test_an_unknown_agency_refuses_the_file(self):
        before = self._count()
        with self.assertRaises(UserError) as err:
            self._import(LIST_CSV.replace("Sở NN&MT", "Sở Không Tồn Tại"))
        self.assertIn("Sở Không Tồn Tại", str(err.exception))
        self.assertEqual(self._count(), before)

    def test_an_update_breaking_the_steps_saves_nothing(self):
        content = (
            "TT;Mã TTHC;Tên thủ tục;Thời hạn giải quyết\n"
            "1;X.000009;Thủ tục mới;03 ngày làm việc\n"
            "2;X.000001;Cấp Phiếu lý lịch tư pháp cho công dân;07 ngày làm việc\n"
        )
        before = self._count()
        with self.assertRaises(UserError) as err:
            self._import(content)
        self.assertIn("add up to 5", str(err.exception))
        self.assertEqual(self._count(), before)
        self.assertEqual(self.procedure.time_limit, 5)

    def test_steps_must_add_up_to_the_processing_time(self):
        with self.assertRaises(ValidationError):
            self.procedure.time_limit = 6
        self.procedure.write(
            {"time_limit": 6, "step_ids": [(1, self.procedure.step_ids[0].id, {"time_limit": 1.5})]}
        )
        self.assertEqual(self.procedure.steps_total, 6)

    def test_the_competent_agency_always_receives(self):
        self.assertIn(self.justice, self.procedure.agency_ids)
        self.procedure.competent_agency_id = self.finance
        self.assertIn(self.finance, self.procedure.agency_ids)
