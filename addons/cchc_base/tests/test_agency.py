from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CchcBaseCase


@tagged("post_install", "-at_install")
class TestAgency(CchcBaseCase):
    def test_identifier_stored_in_canonical_shape(self):
        self.assertEqual(self.justice.identifier, "X01.03", "QCVN 102 shape is converted")
        self.assertEqual(self.justice.identifier_qcvn102, "000.00.03.X01")
        self.justice.identifier = " x01.03.00.000 "
        self.assertEqual(self.justice.identifier, "X01.03")

    def test_wrong_identifier_shape_refused(self):
        for wrong in ("X1.03", "X01.3", "03.X01", "Sở Tư pháp", "X01.03.01.1"):
            with self.subTest(wrong=wrong), self.assertRaises(ValidationError):
                self.env["cchc.agency"].create({"name": "Sai", "identifier": wrong})
        self.assertFalse(self.env["cchc.agency"].search([("name", "=", "Sai")]))

    def test_duplicate_identifier_refused_in_either_shape(self):
        with self.assertRaises(ValidationError):
            self.env["cchc.agency"].create({"name": "Bản sao", "identifier": "000.00.02.X01"})
        with self.assertRaises(ValidationError):
            self.commune.identifier = "X01.02"
        self.assertEqual(self.commune.identifier, "X01.31")

    def test_duplicate_identifier_refused_by_database(self):
        # Two transactions racing past the Python check still meet the unique index.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env.cr.execute(
                "UPDATE cchc_agency SET identifier = %s WHERE id = %s",
                ("X01.02", self.commune.id),
            )

    def test_parent_cycle_refused(self):
        with self.assertRaises(ValidationError):
            self.province.parent_id = self.justice_unit
        with self.assertRaises(ValidationError):
            self.justice.parent_id = self.justice
        self.assertFalse(self.province.parent_id)

    def test_tree_of_any_depth(self):
        Agency = self.env["cchc.agency"]
        parent = self.justice_unit
        for level in range(4):
            parent = Agency.create({"name": f"Tổ {level}", "parent_id": parent.id})
        self.assertEqual(
            Agency.search([("id", "child_of", self.justice.id)]) - self.justice,
            self.justice_unit | Agency.search([("name", "like", "Tổ ")]),
        )
        self.assertIn("Trung tâm Trợ giúp pháp lý", parent.complete_name)

    def test_partner_created_for_contact_details(self):
        self.assertEqual(self.justice.partner_id.name, "Sở Tư pháp")
        self.justice.email = "stp@example.vn"
        self.assertEqual(self.justice.partner_id.email, "stp@example.vn")

    def test_name_search_by_code_name_alias_and_without_accents(self):
        self.env["cchc.agency.alias"].create({"name": "Sở TP", "agency_id": self.justice.id})
        Agency = self.env["cchc.agency"]
        for term in ("Sở TP", "so tu phap", "X01.03", "000.00.03.X01", "Tư pháp"):
            with self.subTest(term=term):
                ids = [r[0] for r in Agency.name_search(term)]
                self.assertIn(self.justice.id, ids)
        self.assertIn(self.home_affairs.id, [r[0] for r in Agency.name_search("snv")])
        self.assertNotIn(self.justice.id, [r[0] for r in Agency.name_search("Nội vụ")])

    def test_resolve_names(self):
        Agency = self.env["cchc.agency"]
        Alias = self.env["cchc.agency.alias"]
        Alias.create({"name": "Sở TT&TT", "agency_id": self.home_affairs.id})
        self.assertEqual(Agency.resolve_names("Sở  TT & TT"), self.home_affairs)
        self.assertEqual(Agency.resolve_names("so tu phap"), self.justice)
        self.assertEqual(Agency.resolve_names("000.00.31.X01"), self.commune)
        departments = Agency.resolve_names("Các sở, ban, ngành")
        self.assertIn(self.justice, departments)
        self.assertIn(self.home_affairs, departments)
        self.assertNotIn(self.commune, departments)
        self.assertNotIn(self.justice_unit, departments)
        self.assertIn(self.commune, Agency.resolve_names("UBND cấp xã"))
        self.assertIn(self.commune, Agency.resolve_names("UBND cấp huyện"))
        self.assertFalse(Agency.resolve_names("Sở Không Tồn Tại"))
        self.assertFalse(Agency.resolve_names(""))

    def test_group_members_by_parent_and_by_hand(self):
        group = self.env["cchc.agency.group"].create(
            {
                "name": "Các đơn vị thuộc Sở Tư pháp",
                "kind_public_service": True,
                "parent_id": self.justice.id,
                "agency_ids": [Command.link(self.commune.id)],
            }
        )
        self.assertEqual(group.member_ids, self.justice_unit | self.commune)

    def test_alias_names_one_target(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["cchc.agency.alias"].create({"name": "Không ai"})

    def test_leaders_must_be_members(self):
        with self.assertRaises(ValidationError):
            self.home_affairs.leader_ids = self.justice_leader
        self.justice.leader_ids = self.justice_leader
        self.assertEqual(self.justice_leader.cchc_led_agency_ids, self.justice)
        self.justice_leader.cchc_agency_id = self.home_affairs
        self.assertFalse(self.justice.leader_ids, "moving agency ends the leadership")
