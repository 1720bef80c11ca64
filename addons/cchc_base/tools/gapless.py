"""Gapless numbers without replays: one row per number under a unique index.

Odoo's transactions are REPEATABLE READ: a counter row moved by every numbering makes the second
of two overlapping transactions fail a serialization check, and Odoo replays its whole request.
Instead each number is a row of its own, inserted under a ``UNIQUE`` index over the series and
the number:

- the number tried is the one after the highest the transaction's snapshot sees;
- inserting a number another open transaction holds waits for that transaction; if it commits,
  the insert fails with a unique violation inside a savepoint and the next number is tried; if
  it rolls back, the number is free again and is taken here. A number is only tried once every
  lower one is committed, so none is skipped and none is shared.

Odoo numbers its invoices the same way, on the unique index of the journal's move names. Used by
the dossier counter (``cchc.onestop.counter``) and the document registers
(``cchc.document.register.number``).
"""

from psycopg2.errors import UniqueViolation


def insert_next(cr, query):
    """Run the ``INSERT … RETURNING`` that ``query(taken)`` builds (``taken``: how many numbers
    above the highest seen turned out to be taken meanwhile, to add to it) until no other
    transaction holds its number; its rows."""
    taken = 0
    while True:
        try:
            with cr.savepoint(flush=False):
                # Another transaction took this number first: expected, not a bad query.
                cr.execute(query(taken), log_exceptions=False)
                return cr.fetchall()
        except UniqueViolation:
            taken += 1
