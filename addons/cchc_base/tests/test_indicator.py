from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
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

    def test_daily_job_with_nothing_to_measure_does_nothing(self):
        # A database whose indicators are all typed in (or none yet): the job must not fail
        # every day with "None of these indicators has a source".
        Indicator = self.env["cchc.indicator"]
        Indicator.search([("source_id", "!=", False)]).action_archive()
        values = self.env["cchc.indicator.value"].search_count([])
        Indicator._cron_compute_current_quarter()
        self.assertEqual(self.env["cchc.indicator.value"].search_count([]), values)

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


@tagged("post_install", "-at_install")
class TestIndicatorRates(CchcBaseCase):
    """A rate computed by hand on a small quarter: Sở Tư pháp resolved 3 dossiers, 2 on time;
    its unit resolved 1, on time; the commune resolved 4, 1 on time. Each value opens the
    agencies it counts (here: the agency itself, as a stand-in record set)."""

    Q1 = (date(2026, 1, 1), date(2026, 3, 31))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = cls.env.ref("cchc_base.indicator_source_working_days")
        cls.counts = {
            cls.justice.id: (2, 3),
            cls.justice_unit.id: (1, 1),
            cls.commune.id: (1, 4),
        }
        cls.rate = cls.env["cchc.indicator"].create(
            {
                "code": "DH-T",
                "name": "Đúng hạn",
                "target_value": 66.67,
                "comparison": "ge",
                "source_id": cls.source.id,
            }
        )
        cls.days = cls.env["cchc.indicator"].create(
            {
                "code": "NLV-R",
                "name": "Ngày",
                "unit": "ngày",
                "target_value": 1,
                "source_id": cls.source.id,
            }
        )

    def _fake_source(self, agencies, date_from, date_to):
        return {
            agency.id: {
                "numerator": self.counts[agency.id][0],
                "denominator": self.counts[agency.id][1],
                "domain": [("id", "=", agency.id)],
            }
            for agency in agencies
            if agency.id in self.counts
        }

    def _compute(self):
        agencies = self.justice | self.justice_unit | self.commune
        Agency = type(self.env["cchc.agency"])
        with patch.object(Agency, "_cchc_indicator_working_days", self._fake_source):
            self.rate._compute_values(*self.Q1, agencies=agencies)
        self.env["cchc.holiday"].generate_statutory([2026])
        self.days._compute_values(*self.Q1, agencies=agencies)
        values = self.env["cchc.indicator.value"].search([("indicator_id", "=", self.rate.id)])
        return {v.agency_id.id: v for v in values}

    def test_values_store_numerator_denominator_and_rate(self):
        values = self._compute()
        justice = values[self.justice.id]
        self.assertEqual((justice.numerator, justice.denominator), (2.0, 3.0))
        self.assertAlmostEqual(justice.value, 200 / 3)
        self.assertEqual(values[self.commune.id].value, 25.0)
        # 66.666… is shown 66.67: met against 66.67, as the reader sees it.
        self.assertTrue(justice.is_met)
        self.assertFalse(values[self.commune.id].is_met)

    def test_groups_sum_numerators_and_denominators(self):
        self._compute()
        # The province: (2 + 1 + 1) / (3 + 1 + 4) = 50%, not the mean of 66.67, 100 and 25.
        self.assertAlmostEqual(self.rate.latest_value, 50.0)
        self.assertFalse(self.rate.latest_is_met)
        self.assertTrue(self.rate.last_computed_at)
        Value = self.env["cchc.indicator.value"]
        by_indicator = {
            g["indicator_id"][0]: g["value"]
            for g in Value.read_group(
                [("indicator_id", "in", (self.rate | self.days).ids)],
                ["value:sum"],
                ["indicator_id"],
            )
        }
        self.assertAlmostEqual(by_indicator[self.rate.id], 50.0)
        # The justice department and its unit: (2 + 1) / (3 + 1) = 75%.
        [group] = Value.read_group(
            [("indicator_id", "=", self.rate.id), ("agency_id", "child_of", self.justice.id)],
            ["value:sum"],
            ["indicator_id"],
        )
        self.assertAlmostEqual(group["value"], 75.0)
        # A rate and a number of days are never added up.
        for group in Value.read_group(
            [("indicator_id", "in", (self.rate | self.days).ids)], ["value:sum"], ["agency_id"]
        ):
            self.assertFalse(group["value"], "days + percent make no value")

    def test_pivot_cells_and_other_aggregates_roll_up(self):
        self._compute()
        Value = self.env["cchc.indicator.value"]
        domain = [("indicator_id", "in", (self.rate | self.days).ids)]
        # The pivot asks every cell at once (lazy=False): each cell is the rollup of its values.
        cells = {
            (g["indicator_id"][0], g["agency_id"][0]): g["value"]
            for g in Value.read_group(
                domain, ["value:sum"], ["indicator_id", "agency_id"], lazy=False
            )
        }
        self.assertAlmostEqual(cells[(self.rate.id, self.justice.id)], 200 / 3)
        self.assertAlmostEqual(cells[(self.rate.id, self.commune.id)], 25.0)
        # An average of rates is not their rollup either: the province is still 50%.
        [group] = Value.read_group(
            [("indicator_id", "=", self.rate.id)], ["value:avg"], ["indicator_id"]
        )
        self.assertAlmostEqual(group["value"], 50.0)
        # Without groups (the pivot's total), rates and days are not added up.
        [(total,)] = Value._read_group(domain, [], ["value:sum"])
        self.assertFalse(total)

    def test_value_opens_the_records_it_counts(self):
        values = self._compute()
        action = values[self.commune.id].action_open_records()
        self.assertEqual(action["res_model"], "cchc.agency")
        self.assertEqual(self.env["cchc.agency"].search(action["domain"]), self.commune)
        with self.assertRaises(UserError):
            self.days.value_ids[:1].action_open_records()

    def test_counts_are_written_only_by_the_source(self):
        values = self._compute()
        with self.assertRaises(AccessError):
            values[self.justice.id].write({"numerator": 3})
        with self.assertRaises(AccessError):
            values[self.justice.id].sudo().write({"res_domain": "[]"})

    def test_recompute_drops_agencies_without_data(self):
        self._compute()
        self.counts = {k: v for k, v in self.counts.items() if k != self.commune.id}
        self._compute()
        self.assertNotIn(self.commune, self.rate.value_ids.agency_id)
        self.assertAlmostEqual(self.rate.latest_value, 75.0)
