import base64

from odoo.tools import SQL

from .tools.exchange_common import encrypt_secret

# Columns of the version where the exchange lived in cchc_esign: the secrets in clear.
CLEAR_COLUMNS = (
    ("cchc_exchange_key", "passphrase", "passphrase_encrypted"),
    ("cchc_exchange_partner", "secret", "secret_encrypted"),
)


# Log entries whose packages are moved from the filestore to their own row at a time.
MOVE_BATCH = 500


def move_log_packages_to_column(env):
    """Versions before 18.0.1.1.0 kept each log entry's package as a filestore attachment: put
    each in its entry's own column (the same base64 the field held), then remove the
    attachments (their files go with the filestore's next clean-up). The bytes are those the
    chain hashed, so the log verifies as before. Returns the number of packages moved."""
    cr = env.cr
    Attachment = env["ir.attachment"].sudo()
    moved = 0
    while True:
        cr.execute(
            "SELECT id, res_id FROM ir_attachment WHERE res_model = 'cchc.exchange.message' "
            "AND res_field = 'package' ORDER BY id LIMIT %s",
            [MOVE_BATCH],
        )
        rows = cr.fetchall()
        if not rows:
            return moved
        attachments = Attachment.browse([row[0] for row in rows])
        files = []
        for attachment, (_id, message_id) in zip(attachments, rows, strict=True):
            cr.execute(
                "UPDATE cchc_exchange_message SET package = %s WHERE id = %s",
                [base64.b64encode(attachment.raw or b""), message_id],
            )
            if attachment.store_fname:
                files.append(attachment.store_fname)
        # Not through unlink: the attachment of a log entry is protected like the entry.
        cr.execute("DELETE FROM ir_attachment WHERE id IN %s", [tuple(attachments.ids)])
        for fname in files:
            Attachment._file_delete(fname)
        attachments.invalidate_recordset()
        moved += len(rows)


def post_init_hook(env):
    """A database that had the exchange in cchc_esign: encrypt the secrets stored in clear with
    the server's key, then drop the clear columns (a dump must not keep them); the log's
    packages move from the filestore to their entries' rows."""
    move_log_packages_to_column(env)
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
