"""A register's numbers are rows of ``cchc_document_register_number`` instead of a counter column.

Every number a register already gave (1 to its ``next_number`` - 1) becomes a row, so that the
next document continues the series; then the counter column goes (the field is computed from
the rows now, and Odoo leaves the column of a field that stopped being stored).
"""


def migrate(cr, version):
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'cchc_document_register' AND column_name = 'next_number'"
    )
    if not cr.fetchone():
        return
    cr.execute(
        """
        INSERT INTO cchc_document_register_number (register_id, number)
        SELECT id, generate_series(1, next_number - 1)
          FROM cchc_document_register
         WHERE next_number > 1
        ON CONFLICT DO NOTHING
        """
    )
    cr.execute("ALTER TABLE cchc_document_register DROP COLUMN next_number")
