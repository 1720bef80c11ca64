import re
from datetime import date

from lxml import etree

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestVietnameseEverywhere(TransactionCase):
    """What a Vietnamese user reads that Odoo builds from the model: names, groups, views. Runs
    after every addon is installed, so it covers every installed cchc addon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.addons = cls.env["ir.module.module"].search(
            [("name", "=like", "cchc\\_%"), ("state", "=", "installed")]
        )
        cls.env["ir.module.module"]._load_module_terms(
            cls.addons.mapped("name"), ["vi_VN"], overwrite=True
        )
        cls.user = new_test_user(
            cls.env,
            login="vi_reader",
            lang="vi_VN",
            groups="base.group_user,cchc_base.group_cchc_manager",
        )

    def test_model_names_vietnamese(self):
        """Chatter says '<model name> được tạo': every cchc model has a Vietnamese name."""
        models = self.env["ir.model"].search([("model", "=like", "cchc.%")])
        self.assertTrue(models)
        english = {m.model: m.name for m in models.with_context(lang="en_US")}
        untranslated = [
            m.model for m in models.with_context(lang="vi_VN") if m.name == english[m.model]
        ]
        self.assertEqual(untranslated, [], "models whose name has no Vietnamese translation")

    def test_creation_message_vietnamese(self):
        indicator = (
            self.env["cchc.indicator"]
            .with_user(self.user)
            .with_context(lang="vi_VN")
            .create({"code": "VI1", "name": "Chỉ số thử", "target_value": 1})
        )
        body = indicator.message_ids[-1:].body
        vietnamese = self.env["ir.model"]._get("cchc.indicator").with_context(lang="vi_VN").name
        self.assertNotEqual(vietnamese, "Indicator")
        self.assertIn(f"{vietnamese} được tạo", body)

    def test_odoo_names_replaced(self):
        """Jobs post as the system partner, every user is in the company channel: Vietnamese
        names, not 'OdooBot' and 'general'."""
        self.assertEqual(self.env.ref("base.partner_root").name, "Hệ thống CCHC")
        self.assertEqual(self.env.ref("mail.channel_all_employees").name, "Trao đổi chung")

    def test_quarter_groups_vietnamese(self):
        indicator = self.env["cchc.indicator"].create(
            {"code": "VI2", "name": "Q", "target_value": 1}
        )
        agency = self.env["cchc.agency"].create({"name": "Sở Quý", "identifier": "Y09.01"})
        self.env["cchc.indicator.value"].create(
            {
                "indicator_id": indicator.id,
                "agency_id": agency.id,
                "date_from": date(2026, 7, 1),
                "date_to": date(2026, 9, 30),
                "value": 1,
            }
        )
        Value = self.env["cchc.indicator.value"]
        domain = [("indicator_id", "=", indicator.id)]
        groups = Value.with_context(lang="vi_VN").read_group(domain, ["value"], ["date_to:quarter"])
        self.assertEqual([g["date_to:quarter"] for g in groups], ["Quý III/2026"])
        groups = Value.with_context(lang="en_US").read_group(domain, ["value"], ["date_to:quarter"])
        self.assertEqual([g["date_to:quarter"] for g in groups], ["Q3 2026"])

    def test_years_without_separator(self):
        """An integer year is shown '2026', never '2.026': every form and list of a cchc addon
        gives its year fields ``enable_formatting: false``."""
        views = self.env["ir.ui.view"].search(
            [("type", "in", ("form", "list")), ("inherit_id", "=", False)]
        )
        views = views.filtered(
            lambda v: (
                v.xml_id.split(".")[0] in self.addons.mapped("name") or v.model.startswith("cchc.")
            )
        )
        self.assertTrue(views)
        offending = []
        for view in views:
            model = self.env[view.model]
            arch = etree.fromstring(model.get_view(view.id, view.type)["arch"])
            for node in arch.iter("field"):
                # Fields of an embedded list belong to another model.
                if any(a.tag == "field" for a in node.iterancestors()):
                    continue
                field = model._fields.get(node.get("name"))
                if not field or field.type != "integer" or "year" not in field.name:
                    continue
                if not re.search(
                    r"enable_formatting['\"]?\s*:\s*(false|False)", node.get("options") or ""
                ):
                    offending.append(f"{view.xml_id}: {field.name}")
        self.assertEqual(offending, [])

    def test_user_pickers_offer_the_provinces_people(self):
        """A picker of users in a cchc screen offers the province's officers only: never Odoo's
        own demo users, nor portal or public users (none of them belongs to an agency)."""
        views = self.env["ir.ui.view"].search([("type", "in", ("form", "list"))])
        views = views.filtered(lambda v: v.xml_id.split(".")[0] in self.addons.mapped("name"))
        self.assertTrue(views)
        offending = []
        for view in views:
            arch = etree.fromstring(view.arch_db.encode())
            for node in arch.iter("field"):
                field = self._field_of(view.model, node)
                if not field or field.comodel_name != "res.users":
                    continue
                if field.readonly and not node.get("readonly"):
                    continue
                if node.get("readonly") in ("1", "True") or node.get("invisible") in ("1", "True"):
                    continue
                # A list that is not editable only shows the user: not a picker.
                container = next(
                    (a for a in node.iterancestors() if a.tag in ("list", "form")), None
                )
                if (
                    container is not None
                    and container.tag == "list"
                    and not container.get("editable")
                ):
                    continue
                domain = node.get("domain") or str(field.domain)
                if "cchc_agency_id" not in domain and "allowed_" not in domain:
                    offending.append(f"{view.xml_id}: {field.name}")
        self.assertEqual(offending, [])

    def _field_of(self, model_name, node):
        """The field a view's node shows, following the embedded lists it sits in."""
        path = [a.get("name") for a in node.iterancestors() if a.tag == "field"][::-1]
        model = self.env.get(model_name)
        for name in path:
            outer = model._fields.get(name) if model is not None else None
            model = self.env.get(outer.comodel_name) if outer and outer.comodel_name else None
        return model._fields.get(node.get("name")) if model is not None else None
