from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRegisterNames(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["cchc_esign"], ["vi_VN"], overwrite=True)
        cls.agency = cls.env["cchc.agency"].create({"name": "Sở Thử", "identifier": "V01.01"})

    def test_register_named_in_the_provinces_language(self):
        """A register is named once for every reader: in Vietnamese, even when the first
        document numbered in it was issued by someone working in English."""
        Register = self.env["cchc.document.register"].with_context(lang="en_US")
        outgoing = Register.create({"agency_id": self.agency.id, "year": 2026})
        secret = Register.create(
            {"agency_id": self.agency.id, "year": 2026, "direction": "in", "secret": True}
        )
        self.assertEqual(outgoing.name, "Văn bản đi 2026 – Sở Thử")
        self.assertIn("(mật) 2026 – Sở Thử", secret.name)
        self.assertNotIn("Incoming", secret.name)
