import os
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL, config

from odoo.addons.cchc_base.tools import secrets as cchc_secrets
from odoo.addons.cchc_esign.tests.test_document import PASSPHRASE

from .test_exchange import ExchangeFixtures


def no_key():
    return patch.multiple(
        "odoo.addons.cchc_base.tools.secrets",
        config={**config.options, "cchc_secret_key": ""},
        os=_Environ({k: v for k, v in os.environ.items() if k != "CCHC_SECRET_KEY"}),
    )


def other_key():
    return patch.multiple(
        "odoo.addons.cchc_base.tools.secrets",
        config={**config.options, "cchc_secret_key": "another-key-entirely"},
    )


class _Environ:
    """Stands for the os module inside cchc_base.tools.secrets: only ``environ`` is used."""

    def __init__(self, environ):
        self.environ = environ


@tagged("post_install", "-at_install")
class TestSecretsAtRest(ExchangeFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_exchange()

    def _dump(self, table):
        """What a dump of the table holds: every column of every row, as text."""
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT t::text FROM %s t", SQL.identifier(table)))
        return "\n".join(row[0] for row in self.env.cr.fetchall())

    def test_dump_holds_no_passphrase_and_no_secret(self):
        self.assertTrue(cchc_secrets.has_key())
        keys = self._dump("cchc_exchange_key")
        partners = self._dump("cchc_exchange_partner")
        self.assertIn(self.key.fingerprint, keys, "the dump must prove something")
        self.assertNotIn(PASSPHRASE, keys)
        self.assertNotIn("s3cret", partners)
        self.assertIn(cchc_secrets.PREFIX, partners)
        self.env.cr.execute(
            "SELECT count(*) FROM ir_attachment WHERE res_model IN %s AND res_field IS NOT NULL",
            [("cchc.exchange.key", "cchc.exchange.partner")],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # The server, with its key, still uses them.
        self.assertEqual(self.partner._secret(), "s3cret")
        self.assertEqual(self.key._passphrase(), PASSPHRASE)
        self.assertEqual(self.partner.secret, "s3cret")

    def test_new_secret_is_encrypted(self):
        self.partner.action_new_secret()
        token = self.partner.sudo().secret_encrypted
        self.assertTrue(token.startswith(cchc_secrets.PREFIX))
        self.assertNotIn(self.partner._secret(), self._dump("cchc_exchange_partner"))

    def test_without_the_key_the_system_refuses_clearly(self):
        self.env.registry.clear_cache()
        with no_key():
            self.assertFalse(cchc_secrets.has_key())
            with self.assertRaisesRegex(UserError, "cchc_secret_key"):
                self.partner._secret()
            with self.assertRaisesRegex(UserError, "cchc_secret_key"):
                self.key._signer()
            with self.assertRaisesRegex(UserError, "cchc_secret_key"):
                self.env["cchc.exchange.partner"].create(
                    {"name": "Khác", "code": "KHAC", "secret": "abc"}
                )
            # Reading the form does not crash: the secret is just not shown.
            self.partner.invalidate_recordset()
            self.assertFalse(self.partner.secret)
        with other_key():
            with self.assertRaisesRegex(UserError, "cannot be decrypted"):
                self.partner._secret()
