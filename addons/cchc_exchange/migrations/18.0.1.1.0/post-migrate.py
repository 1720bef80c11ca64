"""The message log's packages move from filestore attachments to their entries' own column
(``cchc.exchange.message.package``, bytea): one row to write per entry instead of a file and an
attachment, and the chain checked from PostgreSQL alone."""

from odoo import SUPERUSER_ID, api

from odoo.addons.cchc_exchange.hooks import move_log_packages_to_column


def migrate(cr, version):
    if not version:
        return
    move_log_packages_to_column(api.Environment(cr, SUPERUSER_ID, {}))
