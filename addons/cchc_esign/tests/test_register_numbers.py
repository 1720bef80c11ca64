import threading

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

YEAR = 2031


@tagged("post_install", "-at_install")
class TestRegisterNumbers(TransactionCase):
    """Clerks numbering in one register at the same moment, each on a connection of its own, as
    two requests of two Odoo workers do."""

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        # An agency and its registers the other connections can see: committed, removed in
        # cleanup.
        with self.db.cursor() as setup:
            setup.execute(
                "INSERT INTO cchc_agency (name, identifier, kind, active, sequence)"
                " VALUES ('Văn thư thử', 'Z96', 'other', TRUE, 10) RETURNING id"
            )
            self.agency_id = setup.fetchone()[0]
            env = api.Environment(setup, SUPERUSER_ID, {})
            agency = env["cchc.agency"].browse(self.agency_id)
            Register = env["cchc.document.register"]
            self.register_ids = {
                direction: Register._get_or_create_for(agency, YEAR, direction).id
                for direction in ("out", "in")
            }
            setup.commit()
        self.addCleanup(self._drop_agency)
        self.conflicts = 0

    def _drop_agency(self):
        with self.db.cursor() as cleanup:
            ids = tuple(self.register_ids.values())
            cleanup.execute(
                "DELETE FROM cchc_document_register_number WHERE register_id IN %s", [ids]
            )
            cleanup.execute("DELETE FROM cchc_document_register WHERE id IN %s", [ids])
            cleanup.execute("DELETE FROM cchc_agency WHERE id = %s", [self.agency_id])
            cleanup.commit()

    def _clerk(self, cursor):
        """``take(direction)``: a clerk's number on ``cursor``, as ``_issue_with_seal`` and
        ``action_register_incoming`` take it."""
        env = api.Environment(cursor, SUPERUSER_ID, {})
        agency = env["cchc.agency"].browse(self.agency_id)
        Register = env["cchc.document.register"]

        def take(direction="out"):
            register, number = Register._take_number_for(agency, YEAR, direction)
            self.assertEqual(register.id, self.register_ids[direction])
            return number

        return take

    def _numbers(self, direction="out"):
        with self.db.cursor() as check:
            check.execute(
                "SELECT number FROM cchc_document_register_number WHERE register_id = %s"
                " ORDER BY number",
                [self.register_ids[direction]],
            )
            numbers = [row[0] for row in check.fetchall()]
            env = api.Environment(check, SUPERUSER_ID, {})
            register = env["cchc.document.register"].browse(self.register_ids[direction])
            return numbers, register.next_number

    def _in_thread(self, cursor, result, key, commit=False, direction="out"):
        """A clerk's request on ``cursor`` in a thread, run again in a new transaction after a
        serialization failure as Odoo runs a request (odoo.service.model.retrying), counted."""
        take = self._clerk(cursor)

        def request():
            for _attempt in range(3):
                try:
                    result[key] = take(direction)
                    if commit:
                        cursor.commit()
                    return
                except SerializationFailure:
                    self.conflicts += 1
                    cursor.rollback()

        thread = threading.Thread(target=request)
        thread.start()
        return thread

    def _snapshot_now(self, cursor):
        # Odoo's transactions are REPEATABLE READ: the snapshot is the first query's.
        cursor.execute("SELECT 1")

    def test_two_clerks_at_once_never_share_a_number(self):
        result = {}
        with self.db.cursor() as first, self.db.cursor() as second:
            self._snapshot_now(second)  # B's request began before A's commit
            result["a"] = self._clerk(first)()
            thread = self._in_thread(second, result, "b")
            thread.join(1.0)
            self.assertTrue(thread.is_alive(), "B waits on number 1 until A's issue ends")
            self.assertNotIn("b", result)
            first.commit()
            thread.join(20)
            self.assertFalse(thread.is_alive())
            second.commit()
        # B was not run again: it took the next number inside its own transaction.
        self.assertEqual((result, self.conflicts), ({"a": 1, "b": 2}, 0))
        self.assertEqual(self._numbers(), ([1, 2], 3))

    def test_three_clerks_at_once_get_three_numbers(self):
        result = {}
        with self.db.cursor() as first, self.db.cursor() as second, self.db.cursor() as third:
            self._snapshot_now(second)
            self._snapshot_now(third)
            result["a"] = self._clerk(first)()
            threads = [
                self._in_thread(second, result, "b", commit=True),
                self._in_thread(third, result, "c", commit=True),
            ]
            for thread in threads:
                thread.join(1.0)
                self.assertTrue(thread.is_alive(), "B and C wait on number 1")
            # Another register of the agency (incoming) does not wait for them.
            self.assertEqual(self._clerk(first)("in"), 1)
            first.commit()
            for thread in threads:
                thread.join(20)
                self.assertFalse(thread.is_alive())
        self.assertEqual(result["a"], 1)
        self.assertEqual(sorted([result["b"], result["c"]]), [2, 3])
        self.assertEqual(self.conflicts, 0)
        self.assertEqual(self._numbers(), ([1, 2, 3], 4))
        self.assertEqual(self._numbers("in"), ([1], 2))

    def test_the_number_of_an_issue_rolled_back_goes_to_the_next_clerk(self):
        result = {}
        with self.db.cursor() as first, self.db.cursor() as second, self.db.cursor() as third:
            # C's snapshot is taken now, before A's numbers commit.
            self._snapshot_now(third)
            take_a = self._clerk(first)
            self.assertEqual(take_a("in"), 1)
            first.commit()
            self.assertEqual(take_a("in"), 2)
            self._snapshot_now(second)
            thread = self._in_thread(second, result, "b", direction="in")
            thread.join(1.0)
            self.assertTrue(thread.is_alive(), "B waits on number 2")
            # A's second registration fails: its number is free again, B takes it.
            first.rollback()
            thread.join(20)
            self.assertFalse(thread.is_alive())
            second.commit()
            # C sees neither 1 nor 2 in its snapshot: it steps over them, no gap, no replay.
            result["c"] = self._clerk(third)("in")
            third.commit()
        self.assertEqual((result, self.conflicts), ({"b": 2, "c": 3}, 0))
        self.assertEqual(self._numbers("in"), ([1, 2, 3], 4))

    def test_numbers_of_a_failed_issue_are_given_back(self):
        agency = self.env["cchc.agency"].create({"name": "Văn thư thử 2", "identifier": "Z95"})
        Register = self.env["cchc.document.register"]
        register, number = Register._take_number_for(agency, YEAR, "out")
        self.assertEqual((number, register.next_number), (1, 2))
        with self.assertRaises(ValueError), self.env.cr.savepoint():
            self.assertEqual(Register._take_number_for(agency, YEAR, "out")[1], 2)
            self.assertEqual(register.next_number, 3)
            raise ValueError("the seal's signing failed")
        register.invalidate_recordset(["next_number"])
        self.assertEqual(register.next_number, 2)
        self.assertEqual(register._take_number(), 2)
        # The secret series is a register of its own, numbered from 1.
        secret, number = Register._take_number_for(agency, YEAR, "out", secret=True)
        self.assertNotEqual(secret, register)
        self.assertEqual((number, secret.next_number, register.next_number), (1, 2, 3))
