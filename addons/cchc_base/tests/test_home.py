from datetime import date

from odoo.tests import new_test_user, tagged

from .common import AgencyUsers
from .home import HomeCardsCase
from .rpc import OLD_GUARD_KEYS


@tagged("post_install", "-at_install")
class TestHomeCards(AgencyUsers, HomeCardsCase):
    """Each role's home cards, fetched over JSON-RPC as that user: a figure is what the user
    may read, and its action opens exactly the records it counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["cchc_base"], ["vi_VN"], overwrite=True)
        cls.province, cls.justice, cls.other = cls._agency_tree(
            ("UBND tỉnh Nhà", "H01"), ("Sở Tư pháp Nhà", "H01.01"), ("Sở Khác Nhà", "H01.02")
        )
        cls.leader = cls._user("home_leader", "cchc_base.group_cchc_leader", cls.justice)
        cls.officer = cls._user("home_officer", "cchc_base.group_cchc_user", cls.justice)
        cls.coordinator = cls._user("home_coord", "cchc_base.group_cchc_coordinator", cls.other)
        cls.indicator = cls.env["cchc.indicator"].create(
            {"code": "HOME1", "name": "Hồ sơ đúng hạn", "target_value": 90, "comparison": "ge"}
        )
        Value = cls.env["cchc.indicator.value"]

        def value(agency, quarter_end, number):
            return Value.create(
                {
                    "indicator_id": cls.indicator.id,
                    "agency_id": agency.id,
                    "date_from": date(quarter_end.year, quarter_end.month - 2, 1),
                    "date_to": quarter_end,
                    "value": number,
                }
            )

        # Sở Tư pháp: 95 → 80, missed and worse. The other agency: 70 → 96, met and better.
        value(cls.justice, date(2026, 6, 30), 95)
        cls.justice_latest = value(cls.justice, date(2026, 9, 30), 80)
        value(cls.other, date(2026, 6, 30), 70)
        cls.other_latest = value(cls.other, date(2026, 9, 30), 96)

    def test_leader_sees_his_agency_targets_only(self):
        cards = self._cards(self.leader)
        self.assertEqual(cards["targets_missed"]["count"], 1)
        self.assertEqual(cards["targets_missed"]["tone"], "danger")
        self.assertEqual(self._ids(cards["targets_missed"]), {self.justice_latest.id})
        self.assertEqual(cards["targets_worse"]["count"], 1)
        # The other agency's met target is not his: never counted.
        self.assertEqual(cards["targets_met"]["count"], 0)
        self.assertEqual(cards["targets_missed"]["role"], "leader")

    def test_coordinator_sees_the_province(self):
        cards = self._cards(self.coordinator)
        self.assertEqual(self._ids(cards["targets_missed"]), {self.justice_latest.id})
        self.assertEqual(self._ids(cards["targets_met"]), {self.other_latest.id})
        self.assertEqual(cards["targets_worse"]["count"], 1)
        self.assertEqual(cards["targets_missed"]["role"], "coordinator")

    def test_officer_has_no_target_cards(self):
        cards = self._cards(self.officer)
        self.assertFalse({"targets_missed", "targets_met", "targets_worse"} & set(cards))

    def test_context_keys_change_nothing(self):
        plain = self._cards(self.leader)
        forced = self._cards(self.leader, context=dict(OLD_GUARD_KEYS, active_test=False))
        self.assertEqual(
            {k: c["count"] for k, c in plain.items()}, {k: c["count"] for k, c in forced.items()}
        )

    def test_titles_in_vietnamese(self):
        self.leader.lang = "vi_VN"
        cards = self._cards(self.leader, context={"lang": "vi_VN"})
        self.assertEqual(cards["targets_missed"]["title"], "Chỉ tiêu chưa đạt")

    def test_users_land_on_the_home_screen(self):
        home = self.env.ref("cchc_base.cchc_home_action")
        self.assertEqual(self.leader.action_id.id, home.id)
        chosen = self.env.ref("base.action_res_users")
        user = new_test_user(
            self.env,
            login="home_chosen",
            groups="base.group_user,cchc_base.group_cchc_user",
            action_id=chosen.id,
        )
        self.assertEqual(user.action_id.id, chosen.id)
        user._cchc_home_set_default()
        self.assertEqual(user.action_id.id, chosen.id)
        outsider = new_test_user(self.env, login="home_outsider", groups="base.group_user")
        self.assertFalse(outsider.action_id)

    def test_tour_leader_lands_and_opens_a_card(self):
        self.leader.lang = "vi_VN"
        self.start_tour("/odoo", "cchc_home_leader", login=self.leader.login)
