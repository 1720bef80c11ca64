from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CchcBaseCase


@tagged("post_install", "-at_install")
class TestIndicator(CchcBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["cchc.holiday"].generate_statutory([2026])
        cls.source = cls.env.ref("cchc_base.indicator_source_working_days")
        cls.computed = cls.env["cchc.indicator"].create(
            {
                "code": "NLV-T",
                "name": "Ngày làm việc",
                "target_value": 60,
                "comparison": "ge",
                "source_id": cls.source.id,
            }
        )

    def test_source_computes_values_with_provenance(self):
        agencies = self.justice | self.commune
        # Q1 2026: 64 weekdays, minus 1/1 and the Tết days 16-20/2 = 58 working days.
        self.computed._compute_values(date(2026, 1, 1), date(2026, 3, 31), agencies)
        values = self.computed.value_ids
        self.assertEqual(values.agency_id, agencies)
        self.assertEqual(set(values.mapped("value")), {58.0})
        self.assertEqual(set(values.mapped("provenance")), {"computed"})
        self.assertEqual(values.source_id, self.source)
        self.assertFalse(values.entered_by_id)
        self.assertFalse(any(values.mapped("is_met")), "58 is below the target of 60")

    def test_recompute_updates_instead_of_duplicating(self):
        for _ in range(2):
            self.computed._compute_values(date(2026, 4, 1), date(2026, 6, 30), self.justice)
        self.assertEqual(len(self.computed.value_ids), 1)
        # Q2 2026: 65 weekdays minus 27/4 (Giỗ Tổ made up), 30/4 and 1/5.
        self.assertEqual(self.computed.value_ids.value, 62.0)
        self.assertTrue(self.computed.value_ids.is_met)
        self.assertEqual(self.computed.latest_value, 62.0)

    def test_typed_value_refused_on_computed_indicator(self):
        with self.assertRaises(ValidationError):
            self.env["cchc.indicator.value"].create(
                {
                    "indicator_id": self.computed.id,
                    "agency_id": self.justice.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 3, 31),
                    "value": 1,
                }
            )

    def test_typed_value_records_who(self):
        typed = self.env["cchc.indicator"].create(
            {"code": "TY", "name": "Gõ", "target_value": 5, "comparison": "le"}
        )
        value = (
            self.env["cchc.indicator.value"]
            .with_user(self.coordinator)
            .create(
                {
                    "indicator_id": typed.id,
                    "agency_id": self.justice.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 3, 31),
                    "value": 4,
                }
            )
        )
        self.assertEqual(value.provenance, "manual")
        self.assertEqual(value.entered_by_id, self.coordinator)
        self.assertTrue(value.is_met)
        value.value = 6
        self.assertFalse(value.is_met)
        with self.assertRaises(UserError):
            typed._compute_values(date(2026, 1, 1), date(2026, 3, 31))

    def test_period_end_before_start_refused(self):
        typed = self.env["cchc.indicator"].create({"code": "P", "name": "P", "target_value": 1})
        with self.assertRaises(ValidationError):
            self.env["cchc.indicator.value"].create(
                {
                    "indicator_id": typed.id,
                    "agency_id": self.justice.id,
                    "date_from": date(2026, 3, 31),
                    "date_to": date(2026, 1, 1),
                    "value": 1,
                }
            )
        with self.assertRaises(UserError):
            self.source._compute_values(self.justice, date(2026, 3, 31), date(2026, 1, 1))

    def test_source_must_name_an_indicator_method(self):
        Source = self.env["cchc.indicator.source"]
        bad = [
            ("cchc.agency", "unlink"),
            ("cchc.agency", "_cchc_indicator_nothing_here"),
            ("no.such.model", "_cchc_indicator_working_days"),
        ]
        for model_name, method_name in bad:
            with self.subTest(method=method_name), self.assertRaises(ValidationError):
                Source.create(
                    {
                        "name": "x",
                        "code": f"x.{method_name}",
                        "model_name": model_name,
                        "method_name": method_name,
                    }
                )
