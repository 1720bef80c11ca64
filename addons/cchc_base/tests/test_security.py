from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CchcBaseCase


@tagged("post_install", "-at_install")
class TestRecordRules(CchcBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.indicator = cls.env["cchc.indicator"].create(
            {"code": "T-1", "name": "Tỷ lệ thử", "target_value": 90}
        )
        cls.justice_only = cls.env["cchc.indicator"].create(
            {
                "code": "T-2",
                "name": "Riêng Sở Tư pháp",
                "target_value": 1,
                "agency_id": cls.justice.id,
            }
        )
        Value = cls.env["cchc.indicator.value"]
        period = {"date_from": date(2026, 1, 1), "date_to": date(2026, 3, 31)}
        cls.values = {
            agency: Value.create(
                dict(period, indicator_id=cls.indicator.id, agency_id=agency.id, value=95)
            )
            for agency in (cls.justice, cls.justice_unit, cls.home_affairs, cls.commune)
        }

    def _visible_agencies(self, user):
        values = (
            self.env["cchc.indicator.value"]
            .with_user(user)
            .search([("indicator_id", "=", self.indicator.id)])
        )
        return values.mapped("agency_id")

    def test_user_sees_own_agency_only(self):
        self.assertEqual(self._visible_agencies(self.justice_user), self.justice)
        self.assertEqual(self._visible_agencies(self.unit_user), self.justice_unit)

    def test_leader_sees_own_agency_and_children(self):
        self.assertEqual(
            self._visible_agencies(self.justice_leader), self.justice | self.justice_unit
        )

    def test_coordinator_sees_all(self):
        self.assertEqual(
            self._visible_agencies(self.coordinator),
            self.justice | self.justice_unit | self.home_affairs | self.commune,
        )

    def test_indicator_targets_visibility(self):
        Indicator = self.env["cchc.indicator"]
        self.assertIn(self.justice_only, Indicator.with_user(self.justice_user).search([]))
        self.assertNotIn(self.justice_only, Indicator.with_user(self.outsider).search([]))
        self.assertIn(self.indicator, Indicator.with_user(self.outsider).search([]))

    def test_user_cannot_touch_another_agency(self):
        other = self.values[self.home_affairs].with_user(self.justice_user)
        with self.assertRaises(AccessError):
            other.value = 10
        with self.assertRaises(AccessError):
            self.env["cchc.indicator.value"].with_user(self.justice_user).create(
                {
                    "indicator_id": self.indicator.id,
                    "agency_id": self.home_affairs.id,
                    "date_from": date(2026, 4, 1),
                    "date_to": date(2026, 6, 30),
                    "value": 1,
                }
            )
        self.assertEqual(self.values[self.home_affairs].value, 95)

    def test_user_updates_own_agency_value(self):
        own = self.values[self.justice].with_user(self.justice_user)
        own.value = 97
        self.assertEqual(own.value, 97)
        self.assertEqual(own.entered_by_id, self.justice_user)
        self.assertEqual(own.provenance, "manual")

    def test_only_coordinator_manages_targets_and_agencies(self):
        with self.assertRaises(AccessError):
            self.env["cchc.indicator"].with_user(self.justice_leader).create(
                {"code": "X", "name": "X", "target_value": 1}
            )
        with self.assertRaises(AccessError):
            self.justice.with_user(self.justice_leader).name = "Đổi tên"
        self.justice.with_user(self.coordinator).short_name = "STP"
        self.assertEqual(self.justice.short_name, "STP")

    def test_rules_follow_a_change_of_agency(self):
        self.assertEqual(self._visible_agencies(self.outsider), self.home_affairs)
        self.outsider.cchc_agency_id = self.commune
        self.assertEqual(self._visible_agencies(self.outsider), self.commune)
