from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.cchc_exchange.tests.test_exchange import ExchangeFixtures
from odoo.addons.queue_job.tests.common import trap_jobs


@tagged("post_install", "-at_install")
class TestExchangeDemo(ExchangeFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_exchange()

    def setUp(self):
        super().setUp()
        self.trap = self.enterContext(trap_jobs())

    def test_demo_setup(self):
        sent = self._issued(self.other_agency, run=False)
        paper = self._issued(self.env["cchc.agency"], run=False)
        self.env["cchc.exchange.demo"]._demo_setup(self.agency.id, "demo")
        key = self.env["cchc.exchange.key"]._current()
        self.assertEqual(key._passphrase(), "demo")
        self.assertNotIn("demo", key.sudo().passphrase_encrypted)
        partner = self.env["cchc.exchange.partner"].search([("code", "=", "H56")])
        self.assertEqual(partner.agency_ids.identifier, "H56")
        self.assertEqual(partner.channel_id.complete_name, "root.cchc_exchange.H56")
        # What was already sent is not sent twice; paper-only documents stay paper.
        self.assertEqual(len(sent.dispatch_ids), 1)
        self.assertFalse(paper.dispatch_ids)
