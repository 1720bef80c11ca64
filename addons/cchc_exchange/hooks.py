from odoo.tools import SQL

from .tools.exchange_common import encrypt_secret

# Columns of the version where the exchange lived in cchc_esign: the secrets in clear.
CLEAR_COLUMNS = (
    ("cchc_exchange_key", "passphrase", "passphrase_encrypted"),
    ("cchc_exchange_partner", "secret", "secret_encrypted"),
)


def post_init_hook(env):
    """A database that had the exchange in cchc_esign: encrypt the secrets stored in clear with
    the server's key, then drop the clear columns (a dump must not keep them)."""
    cr = env.cr
    for table, clear, encrypted in CLEAR_COLUMNS:
        cr.execute(
            SQL(
                "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
                "AND column_name = %s",
                table,
                clear,
            )
        )
        if not cr.fetchone():
            continue
        cr.execute(
            SQL(
                "SELECT id, %s FROM %s WHERE %s IS NOT NULL",
                SQL.identifier(clear),
                SQL.identifier(table),
                SQL.identifier(clear),
            )
        )
        for row_id, value in cr.fetchall():
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE id = %s",
                    SQL.identifier(table),
                    SQL.identifier(encrypted),
                    encrypt_secret(env, value),
                    row_id,
                )
            )
        cr.execute(
            SQL("ALTER TABLE %s DROP COLUMN %s", SQL.identifier(table), SQL.identifier(clear))
        )
