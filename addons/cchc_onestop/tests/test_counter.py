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

    def test_two_desks_at_once_never_share_a_number(self):
        agency_id = self._agency_id()
        day = date(2026, 3, 2)
        db = sql_db.db_connect(self.env.cr.dbname)
        result = {"conflicts": 0}
        with db.cursor() as first, db.cursor() as second:
            desk_a = api.Environment(first, SUPERUSER_ID, {})["cchc.onestop.counter"]
            desk_b = api.Environment(second, SUPERUSER_ID, {})["cchc.onestop.counter"]
            result["a"] = desk_a._reserve(agency_id, day)

            def receive_at_b():
                # As Odoo runs a request: again, in a new transaction, after a serialization
                # failure (odoo.service.model.retrying).
                for _attempt in range(3):
                    try:
                        result["b"] = desk_b._reserve(agency_id, day, 2)
                        return
                    except SerializationFailure:
                        result["conflicts"] += 1
                        second.rollback()

            thread = threading.Thread(target=receive_at_b)
            thread.start()
            thread.join(1.0)
            # Desk B waits on the agency's row of the day until desk A's receipt commits.
            self.assertTrue(thread.is_alive())
            self.assertNotIn("b", result)
            first.commit()
            thread.join(20)
            self.assertFalse(thread.is_alive())
            second.commit()
            # Another day of the same agency never waits.
            self.assertEqual(desk_a._reserve(agency_id, date(2026, 3, 3)), 1)
            first.commit()
        self.assertEqual(result, {"a": 1, "b": 2, "conflicts": 1}, "B took 2 and 3")
        with db.cursor() as check:
            check.execute(
                "SELECT day, last_number FROM cchc_onestop_counter WHERE agency_id = %s"
                " ORDER BY day",
                [agency_id],
            )
            self.assertEqual(check.fetchall(), [(day, 3), (date(2026, 3, 3), 1)])

    def test_numbers_of_a_failed_receipt_are_given_back(self):
        Counter = self.env["cchc.onestop.counter"]
        agency = self.env["cchc.agency"].create({"name": "Bàn thử", "identifier": "Z97"})
        day = date(2026, 3, 2)
        self.assertEqual(Counter._reserve(agency.id, day), 1)
        with self.assertRaises(ValueError), self.env.cr.savepoint():
            self.assertEqual(Counter._reserve(agency.id, day, 3), 2)
            raise ValueError("the receipt failed")
        self.assertEqual(Counter._reserve(agency.id, day), 2)
