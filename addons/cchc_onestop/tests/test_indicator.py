from datetime import date

from odoo.tests import tagged

from .common import CchcOnestopCase, at

Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@tagged("post_install", "-at_install")
class TestIndicators(CchcOnestopCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Received Monday 2/3/2026 (due Monday 9/3): early, on time, late, open, refused.
        with at(2026, 3, 2, 9, 0):
            cls.early = cls._received(channel="online")
            cls.on_time = cls._received()
            cls.late = cls._received(channel="online")
            cls.open = cls._received()
            cls.refused = cls._new()
            cls.refused._refuse_at_receipt("Không thuộc thẩm quyền.")
        cls.early.document_ids.filtered("provided").write(
            {"attachment_ids": [(0, 0, {"name": "scan.pdf", "raw": b"%PDF-1.4"})]}
        )
        cls.early.result_attachment_ids = [(0, 0, {"name": "ketqua.pdf", "raw": b"%PDF-1.4"})]
        for dossier, when in (
            (cls.early, (2026, 3, 4, 9, 0)),
            (cls.on_time, (2026, 3, 9, 15, 0)),
            (cls.late, (2026, 3, 12, 9, 0)),
        ):
            with at(*when):
                cls._finish_all(dossier)
                dossier._resolve("approved", "Phiếu lý lịch tư pháp")
        with at(2026, 3, 12, 10, 0):
            cls.late._apologise("Chờ xác minh.", date(2026, 3, 16))
            cls.early._return()
            cls.on_time._return()
            cls.late._return()
            cls.early._rate(5)
            cls.on_time._rate(4)
            cls.late._rate(2, "Trễ hẹn.")
        with at(2026, 3, 2, 9, 0):
            cls.commune_dossier = cls._received(cls.certify, cls.commune_desk)
        cls.agencies = cls.justice | cls.commune

    @classmethod
    def _finish_all(cls, dossier):
        for _ in range(3):
            step = dossier.current_step_id
            step.with_user(step.handler_id).action_done()

    def _value(self, name):
        source = self.env["cchc.indicator.source"].search(
            [("method_name", "=", f"_cchc_indicator_{name}")]
        )
        return source._compute_values(self.agencies, *Q1)

    def test_counts(self):
        justice = self.justice.id
        self.assertEqual(self._value("received")[justice], 4, "a refusal is not received")
        self.assertEqual(self._value("received")[self.commune.id], 1)
        self.assertEqual(self._value("resolved"), {justice: 3})
        self.assertEqual(self._value("late"), {justice: 1})
        self.assertEqual(self._value("apology_letters"), {justice: 1})

    def test_rates(self):
        justice = self.justice.id
        self.assertAlmostEqual(self._value("on_time_rate")[justice], 200 / 3)
        self.assertNotIn(self.commune.id, self._value("on_time_rate"), "nothing resolved: no data")
        # Fully-online procedure: 2 of the 4 dossiers received came online.
        self.assertEqual(self._value("online_rate"), {justice: 50.0})
        self.assertAlmostEqual(self._value("digitisation_rate")[justice], 100 / 3)
        # Working days: 2 (2/3 → 4/3), 5 (→ 9/3) and 8 (→ 12/3).
        self.assertAlmostEqual(self._value("average_days")[justice], 5.0)
        self.assertAlmostEqual(self._value("satisfaction")[justice], 11 / 3)

    def test_outside_the_period_nothing_counts(self):
        Dossier = self.env["cchc.onestop.dossier"]
        self.assertFalse(
            Dossier._cchc_indicator_received(self.agencies, date(2026, 4, 1), date(2026, 6, 30))
        )

    def test_indicator_with_a_target_of_98_percent(self):
        source = self.env.ref("cchc_onestop.indicator_source_on_time_rate")
        indicator = self.env["cchc.indicator"].create(
            {
                "name": "Hồ sơ giải quyết đúng hạn",
                "code": "TEST-DH",
                "target_value": 98,
                "comparison": "ge",
                "source_id": source.id,
            }
        )
        indicator._compute_values(*Q1, agencies=self.justice)
        value = indicator.value_ids
        self.assertEqual(value.agency_id, self.justice)
        self.assertAlmostEqual(value.value, 200 / 3, places=4)
        self.assertEqual(value.provenance, "computed")
        self.assertFalse(value.is_met, "66.7% is below the 98% target")
        # By hand: early + on time = 2 of the 3 resolved; the value opens those 3 dossiers.
        self.assertEqual((value.numerator, value.denominator), (2.0, 3.0))
        action = value.action_open_records()
        self.assertEqual(action["res_model"], "cchc.onestop.dossier")
        self.assertEqual(
            self.env["cchc.onestop.dossier"].search(action["domain"]),
            self.early | self.on_time | self.late,
        )
        self.assertAlmostEqual(indicator.latest_value, 200 / 3, places=4)

    def test_averages_are_summed_days_over_dossiers(self):
        source = self.env.ref("cchc_onestop.indicator_source_average_days")
        measure = source._measure(self.agencies, *Q1)[self.justice.id]
        # Working days 2 + 5 + 8 over 3 dossiers (factor 1: days, not a percentage).
        self.assertEqual((measure["numerator"], measure["denominator"]), (15.0, 3.0))
        self.assertEqual(measure["value"], 5.0)

    def test_every_source_is_registered(self):
        sources = self.env["cchc.indicator.source"].search([("code", "like", "cchc_onestop.")])
        self.assertEqual(
            set(sources.mapped("method_name")),
            {
                f"_cchc_indicator_{name}"
                for name in (
                    "on_time_rate",
                    "online_rate",
                    "digitisation_rate",
                    "received",
                    "resolved",
                    "late",
                    "apology_letters",
                    "average_days",
                    "satisfaction",
                )
            },
        )
        for source in sources:
            source._compute_values(self.agencies, *Q1)

    def test_dashboard_rates_are_ratios_of_the_group_totals(self):
        Stat = self.env["cchc.onestop.stat"]
        groups = Stat.read_group(
            [("date", ">=", Q1[0]), ("date", "<=", Q1[1])],
            ["received_count", "resolved_count", "late_count", "on_time_rate", "average_days"],
            ["agency_id"],
        )
        by_agency = {group["agency_id"][0]: group for group in groups}
        justice = by_agency[self.justice.id]
        self.assertEqual(justice["received_count"], 4)
        self.assertEqual(justice["resolved_count"], 3)
        self.assertEqual(justice["late_count"], 1)
        self.assertAlmostEqual(justice["on_time_rate"], 200 / 3)
        self.assertAlmostEqual(justice["average_days"], 5.0)
        self.assertFalse(by_agency[self.commune.id]["on_time_rate"], "no resolved dossier")
        rows = Stat.search([("agency_id", "=", self.justice.id), ("apology_count", ">", 0)])
        self.assertEqual(rows.date, date(2026, 3, 12))
        self.assertEqual(len(Stat.search([]).ids), len(set(Stat.search([]).ids)), "unique ids")
