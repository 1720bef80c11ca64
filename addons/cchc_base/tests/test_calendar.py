from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestWorkingCalendar(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Holiday = cls.env["cchc.holiday"]
        cls.Holiday.search([("year", "in", [2026])]).unlink()
        cls.Holiday.generate_statutory([2026])
        cls.calendar = cls.env.ref("cchc_base.resource_calendar_administrative")

    def test_statutory_holidays_generated_once(self):
        count = self.Holiday.search_count([("year", "=", 2026)])
        self.Holiday.generate_statutory([2026])
        self.assertEqual(self.Holiday.search_count([("year", "=", 2026)]), count)
        days_off = self.Holiday.search([("year", "=", 2026), ("kind", "=", "day_off")])
        dates = set(days_off.mapped("date_from"))
        for day in (date(2026, 2, 17), date(2026, 4, 27), date(2026, 9, 2), date(2026, 11, 24)):
            self.assertIn(day, dates)
        workdays = self.Holiday.search([("year", "=", 2026), ("kind", "=", "workday")])
        self.assertEqual(workdays.mapped("date_from"), [date(2026, 8, 22)])

    def test_working_day_arithmetic(self):
        # Giỗ Tổ on Sunday 26/4/2026 is made up on Monday 27/4; 30/4 and 1/5 follow.
        self.assertEqual(self.Holiday.add_working_days(date(2026, 4, 24), 1), date(2026, 4, 28))
        self.assertEqual(self.Holiday.add_working_days(date(2026, 4, 28), 2), date(2026, 5, 4))
        # Tết week.
        self.assertEqual(self.Holiday.add_working_days(date(2026, 2, 13), 1), date(2026, 2, 23))
        self.assertEqual(self.Holiday.count_working_days(date(2026, 2, 13), date(2026, 2, 27)), 5)
        self.assertTrue(self.Holiday.is_working_day(date(2026, 8, 22)), "make-up Saturday")
        self.assertFalse(self.Holiday.is_working_day(date(2026, 8, 31)))

    def test_schedule_edits_change_the_arithmetic(self):
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 1), date(2026, 6, 8))
        extra = self.Holiday.create(
            {"name": "Nghỉ thêm", "date_from": date(2026, 6, 8), "date_to": date(2026, 6, 9)}
        )
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 1), date(2026, 6, 10))
        extra.date_to = date(2026, 6, 8)
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 1), date(2026, 6, 9))
        extra.unlink()
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 1), date(2026, 6, 8))

    def test_leaves_typed_in_odoo_calendar_count(self):
        """A public holiday typed in Odoo's own calendar (not a cchc.holiday) is a day off at
        once: the cached calendar is built again, and agrees with Odoo's planning."""
        Leave = self.env["resource.calendar.leaves"]
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 1), date(2026, 6, 8))
        # Monday 8/6/2026, 00:00–23:59:59 in Ha Noi (UTC+7), as Odoo's form stores it.
        leave = Leave.create(
            {
                "name": "Nghỉ lễ của tỉnh",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 6, 7, 17, 0),
                "date_to": datetime(2026, 6, 8, 16, 59, 59),
            }
        )
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 1), date(2026, 6, 9))
        planned = self.calendar.plan_days(
            1, datetime.combine(date(2026, 6, 5), datetime.max.time()), compute_leaves=True
        )
        self.assertEqual(planned.date(), date(2026, 6, 9), "Odoo's planning agrees")
        # Moved to Tuesday, then made a morning off only (the afternoon is worked).
        leave.write(
            {"date_from": datetime(2026, 6, 8, 17, 0), "date_to": datetime(2026, 6, 9, 16, 59, 59)}
        )
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 2), date(2026, 6, 10))
        leave.date_to = datetime(2026, 6, 9, 5, 0)  # 12:00 local
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 2), date(2026, 6, 9))
        planned = self.calendar.plan_days(
            2, datetime.combine(date(2026, 6, 5), datetime.max.time()), compute_leaves=True
        )
        self.assertEqual(planned.date(), date(2026, 6, 9), "Odoo's planning agrees")
        # For every calendar (no calendar set) counts too; deleted, it no longer does.
        leave.write({"calendar_id": False, "date_to": datetime(2026, 6, 9, 16, 59, 59)})
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 2), date(2026, 6, 10))
        leave.unlink()
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 2), date(2026, 6, 9))
        # Another calendar's leave and a person's time off are not the province's holidays.
        other = self.env["resource.calendar"].create({"name": "Ca đêm"})
        person = self.env["resource.resource"].create(
            {"name": "Nguyễn Văn A", "calendar_id": self.calendar.id}
        )
        Leave.create(
            [
                {
                    "name": "Nghỉ ca đêm",
                    "calendar_id": other.id,
                    "date_from": datetime(2026, 6, 7, 17, 0),
                    "date_to": datetime(2026, 6, 8, 16, 59, 59),
                },
                {
                    "name": "Nghỉ phép",
                    "resource_id": person.id,
                    "date_from": datetime(2026, 6, 7, 17, 0),
                    "date_to": datetime(2026, 6, 8, 16, 59, 59),
                },
            ]
        )
        self.assertEqual(self.Holiday.add_working_days(date(2026, 6, 5), 1), date(2026, 6, 8))

    def test_cron_rebuilds_a_lost_mirror(self):
        makeup = self.Holiday.search([("date_from", "=", date(2026, 8, 22))])
        makeup.attendance_ids.unlink()
        with freeze_time("2026-03-01"):
            self.Holiday._cron_generate_next_year()
        self.assertEqual(len(makeup.attendance_ids), 2)

    def test_end_before_start_refused(self):
        with self.assertRaises(ValidationError):
            self.Holiday.create(
                {"name": "Sai", "date_from": date(2026, 6, 9), "date_to": date(2026, 6, 8)}
            )
        self.assertFalse(self.Holiday.search([("name", "=", "Sai")]))

    def test_makeup_day_must_be_a_weekend(self):
        with self.assertRaises(ValidationError):
            self.Holiday.create(
                {
                    "name": "Làm bù",
                    "kind": "workday",
                    "date_from": date(2026, 6, 10),
                    "date_to": date(2026, 6, 10),
                }
            )

    def test_mirrored_onto_resource_calendar(self):
        tet = self.Holiday.search([("date_from", "=", date(2026, 2, 17))])
        self.assertEqual(len(tet.leave_ids), 1)
        self.assertEqual(tet.leave_ids.calendar_id, self.calendar)
        makeup = self.Holiday.search([("date_from", "=", date(2026, 8, 22))])
        self.assertEqual(len(makeup.attendance_ids), 2, "morning and afternoon")
        # Odoo's own planning agrees with the pure arithmetic across the Tết week,
        # Giỗ Tổ and the make-up Saturday.
        for start, n in (
            (date(2026, 2, 13), 1),
            (date(2026, 4, 24), 3),
            (date(2026, 8, 21), 1),
            (date(2026, 8, 28), 3),
        ):
            with self.subTest(start=start, n=n):
                planned = self.calendar.plan_days(
                    n, datetime.combine(start, datetime.max.time()), compute_leaves=True
                )
                self.assertEqual(planned.date(), self.Holiday.add_working_days(start, n))
        tet.unlink()
        self.assertFalse(
            self.env["resource.calendar.leaves"].search(
                [
                    ("name", "=", "Tết Nguyên Đán"),
                    ("calendar_id", "=", self.calendar.id),
                    ("date_from", ">=", "2026-02-16"),
                    ("date_to", "<=", "2026-02-18"),
                ]
            )
        )
