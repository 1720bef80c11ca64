import json
from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestVietnameseUi(HttpCase):
    """A user with the Vietnamese language logs in over HTTP and gets the translated UI."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["cchc_base"], ["vi_VN"], overwrite=True)
        Agency = cls.env["cchc.agency"]
        cls.agency = Agency.create({"name": "Sở Thử", "identifier": "Y01.01"})
        cls.other = Agency.create({"name": "Sở Khác", "identifier": "Y01.02"})
        cls.user = new_test_user(
            cls.env,
            login="vi_user",
            password="vi_user_pw",
            lang="vi_VN",
            groups="base.group_user,cchc_base.group_cchc_user",
        )
        cls.user.cchc_agency_id = cls.agency
        indicator = cls.env["cchc.indicator"].create({"code": "U", "name": "U", "target_value": 1})
        for agency in cls.agency | cls.other:
            cls.env["cchc.indicator.value"].create(
                {
                    "indicator_id": indicator.id,
                    "agency_id": agency.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 3, 31),
                    "value": 1,
                }
            )

    def _rpc(self, model, method, *args, **kwargs):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {"params": {"model": model, "method": method, "args": args, "kwargs": kwargs}}
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_login_page_serves(self):
        self.assertEqual(self.url_open("/web/login").status_code, 200)

    def test_vietnamese_menus_and_rules_over_http(self):
        self.authenticate("vi_user", "vi_user_pw")
        response = self.url_open("/odoo")
        self.assertEqual(response.status_code, 200)
        self.assertIn('"lang": "vi_VN"', response.text)
        menus = self.url_open("/web/webclient/load_menus/1").json()
        names = {menu["name"] for menu in menus.values()}
        self.assertIn("Cải cách hành chính", names)
        self.assertNotIn("Administrative Reform", names)
        values = self._rpc("cchc.indicator.value", "search_read", [], ["agency_id"])["result"]
        self.assertEqual([v["agency_id"][0] for v in values], [self.agency.id])
        denied = self._rpc("cchc.agency", "write", [self.agency.id], {"name": "Đổi"})
        self.assertEqual(denied["error"]["data"]["name"], "odoo.exceptions.AccessError")
