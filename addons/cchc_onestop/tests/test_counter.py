import threading
from datetime import date

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestCounter(TransactionCase):
    """Dossier numbers of two desks receiving at the same moment, on real connections."""

    def _agency_id(self):
        """An agency the other connections can see: committed, removed in cleanup."""
        with sql_db.db_connect(self.env.cr.dbname).cursor() as setup:
            setup.execute(
                "INSERT INTO cchc_agency (name, identifier, kind, active, sequence)"
                " VALUES ('Bàn một cửa thử', 'Z98', 'other', TRUE, 10) RETURNING id"
            )
            agency_id = setup.fetchone()[0]
            setup.commit()
        self.addCleanup(self._drop_agency, agency_id)
        return agency_id

    def _drop_agency(self, agency_id):
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cleanup:
            cleanup.execute("DELETE FROM cchc_onestop_counter WHERE agency_id = %s", [agency_id])
            cleanup.execute("DELETE FROM cchc_agency WHERE id = %s", [agency_id])
            cleanup.commit()

    def _numbers(self, db, agency_id):
        with db.cursor() as check:
            check.execute(
                "SELECT day, number FROM cchc_onestop_counter WHERE agency_id = %s"
                " ORDER BY day, number",
                [agency_id],
            )
            return check.fetchall()

    def _reserve_in_thread(self, desk, agency_id, day, count, result):
        """Desk B's receipt as Odoo runs a request: again, in a new transaction, after a
        serialization failure (odoo.service.model.retrying), counted."""

        def receive_at_b():
            for _attempt in range(3):
                try:
                    result["b"] = desk._reserve(agency_id, day, count)
                    return
                except SerializationFailure:
                    result["conflicts"] += 1
                    desk.env.cr.rollback()

        thread = threading.Thread(target=receive_at_b)
        thread.start()
        return thread

    def test_two_desks_at_once_never_share_a_number(self):
        agency_id = self._agency_id()
        day = date(2026, 3, 2)
        db = sql_db.db_connect(self.env.cr.dbname)
        result = {"conflicts": 0}
        with db.cursor() as first, db.cursor() as second:
            desk_a = api.Environment(first, SUPERUSER_ID, {})["cchc.onestop.counter"]
            desk_b = api.Environment(second, SUPERUSER_ID, {})["cchc.onestop.counter"]
            result["a"] = desk_a._reserve(agency_id, day)
            thread = self._reserve_in_thread(desk_b, agency_id, day, 2, result)
            thread.join(1.0)
            # Desk B waits on number 1 until desk A's receipt ends.
            self.assertTrue(thread.is_alive())
            self.assertNotIn("b", result)
            first.commit()
            thread.join(20)
            self.assertFalse(thread.is_alive())
            second.commit()
            # Another day of the same agency never waits.
            self.assertEqual(desk_a._reserve(agency_id, date(2026, 3, 3)), 1)
            first.commit()
        # B's transaction began before A committed, and was not run again: it took the next
        # numbers inside its own transaction.
        self.assertEqual(result, {"a": 1, "b": 2, "conflicts": 0}, "B took 2 and 3")
        self.assertEqual(
            self._numbers(db, agency_id),
            [(day, 1), (day, 2), (day, 3), (date(2026, 3, 3), 1)],
        )

    def test_the_number_of_a_receipt_rolled_back_meanwhile_goes_to_the_next_desk(self):
        agency_id = self._agency_id()
        day = date(2026, 3, 2)
        db = sql_db.db_connect(self.env.cr.dbname)
        result = {"conflicts": 0}
        with db.cursor() as first, db.cursor() as second, db.cursor() as third:
            desk_a = api.Environment(first, SUPERUSER_ID, {})["cchc.onestop.counter"]
            desk_b = api.Environment(second, SUPERUSER_ID, {})["cchc.onestop.counter"]
            desk_c = api.Environment(third, SUPERUSER_ID, {})["cchc.onestop.counter"]
            # C's snapshot is taken now, before A's receipt commits.
            self.assertEqual(desk_c._reserve(agency_id, date(2026, 3, 1)), 1)
            self.assertEqual(desk_a._reserve(agency_id, day), 1)
            first.commit()
            self.assertEqual(desk_a._reserve(agency_id, day), 2)
            thread = self._reserve_in_thread(desk_b, agency_id, day, 1, result)
            thread.join(1.0)
            self.assertTrue(thread.is_alive(), "B waits on number 2")
            # A's second receipt fails: its number is free again, B takes it.
            first.rollback()
            thread.join(20)
            self.assertFalse(thread.is_alive())
            second.commit()
            # C does not see 1 and 2 in its snapshot: it steps over them, no gap, no replay.
            self.assertEqual(desk_c._reserve(agency_id, day), 3)
            third.commit()
        self.assertEqual(result, {"b": 2, "conflicts": 0})
        self.assertEqual(
            self._numbers(db, agency_id),
            [(date(2026, 3, 1), 1), (day, 1), (day, 2), (day, 3)],
        )

    def test_numbers_of_a_failed_receipt_are_given_back(self):
        Counter = self.env["cchc.onestop.counter"]
        agency = self.env["cchc.agency"].create({"name": "Bàn thử", "identifier": "Z97"})
        day = date(2026, 3, 2)
        self.assertEqual(Counter._reserve(agency.id, day), 1)
        with self.assertRaises(ValueError), self.env.cr.savepoint():
            self.assertEqual(Counter._reserve(agency.id, day, 3), 2)
            raise ValueError("the receipt failed")
        self.assertEqual(Counter._reserve(agency.id, day), 2)
