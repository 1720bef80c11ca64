"""The dossier counter keeps one row per number given instead of one per agency and day.

The row of an agency's day becomes the row of its last number (the next receipt continues
after the highest one); the constraints of the old design go.
"""


def migrate(cr, version):
    cr.execute(
        """
        ALTER TABLE cchc_onestop_counter
            DROP CONSTRAINT IF EXISTS cchc_onestop_counter_agency_day_unique,
            DROP CONSTRAINT IF EXISTS cchc_onestop_counter_last_number_positive
        """
    )
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'cchc_onestop_counter' AND column_name = 'last_number'"
    )
    if cr.fetchone():
        cr.execute("ALTER TABLE cchc_onestop_counter RENAME COLUMN last_number TO number")
