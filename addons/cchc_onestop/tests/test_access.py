from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.cchc_onestop.models.cchc_onestop_dossier import MASK

from .common import CchcOnestopCase, at


@tagged("post_install", "-at_install")
class TestAccess(CchcOnestopCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_justice_user = cls._user("os_tp_user2", "cchc_base.group_cchc_user", cls.justice)
        with at(2026, 3, 2, 9, 0):
            cls.mine = cls._received()
            cls.theirs = cls._received(applicant_name="Lê Thị Cúc")
            cls.commune_dossier = cls._received(cls.certify, cls.commune_desk)
        # Another justice officer handles the second dossier's appraisal.
        cls.theirs.step_ids.sorted("sequence")[1].handler_id = cls.other_justice_user

    def _visible(self, user):
        return self.env["cchc.onestop.dossier"].with_user(user).search([])

    def test_a_desk_sees_the_dossiers_its_agency_received(self):
        self.assertEqual(self._visible(self.desk), self.mine | self.theirs)
        self.assertEqual(self._visible(self.commune_desk), self.commune_dossier)
        with self.assertRaises(AccessError):
            self.mine.with_user(self.commune_desk).read(["name"])
        with self.assertRaises(AccessError):
            self.commune_dossier.with_user(self.desk).read(["name"])

    def test_a_desk_cannot_receive_for_another_agency(self):
        with self.assertRaises(AccessError):
            self._new(self.certify, self.desk, agency_id=self.commune.id)
        self.assertFalse(
            self.env["cchc.onestop.dossier"].search(
                [("agency_id", "=", self.commune.id), ("id", "!=", self.commune_dossier.id)]
            )
        )
        self.assertFalse(
            self.env["cchc.onestop.applicant"].search([("dossier_ids", "=", False)]),
            "nothing half-saved",
        )

    def test_a_handler_sees_the_dossiers_of_the_agency_steps_only(self):
        self.assertEqual(self._visible(self.justice_user), self.mine | self.theirs)
        self.assertFalse(self._visible(self.tax_user))
        with self.assertRaises(AccessError):
            self.mine.with_user(self.tax_user).read(["name"])
        with self.assertRaises(AccessError):
            self.mine.with_user(self.tax_user).step_ids.read(["name"])

    def test_personal_data_only_for_the_desk_and_the_handlers(self):
        # The desk and the handler of the dossier read the applicant's data.
        self.assertEqual(self.mine.with_user(self.desk).applicant_id_number, "079201001234")
        self.assertEqual(self.mine.with_user(self.justice_user).applicant_phone, "0909 123 456")
        # The same agency's officer who does not handle this dossier sees it masked.
        theirs = self.theirs.with_user(self.justice_user)
        self.assertEqual(theirs.applicant_name, "Lê Thị Cúc", "the name is not masked")
        self.assertEqual(theirs.applicant_id_number, MASK)
        self.assertEqual(theirs.applicant_address, MASK)
        self.assertFalse(theirs.applicant_birth_date)
        self.assertFalse(theirs.applicant_can_read)
        with self.assertRaises(AccessError):
            theirs.applicant_id.read(["id_number"])
        # Not even through the link's display name.
        shown = theirs.read(["applicant_id"])[0]["applicant_id"]
        self.assertNotIn("079201001234", str(shown))
        with self.assertRaises(AccessError):
            theirs.write({"applicant_phone": "0123"})
        self.assertEqual(self.theirs.applicant_id.phone, "0909 123 456")
        self.assertEqual(
            self.theirs.with_user(self.other_justice_user).applicant_id_number, "079201001234"
        )
        # The coordinator follows every dossier, without the personal data.
        coordinator = self.mine.with_user(self.coordinator)
        self.assertEqual(coordinator.name, self.mine.name)
        self.assertEqual(coordinator.applicant_id_number, MASK)
        with self.assertRaises(AccessError):
            coordinator.applicant_id.read(["id_number"])
        # Searching by identity number finds only what one may read.
        Dossier = self.env["cchc.onestop.dossier"]
        domain = [("applicant_id_number", "=", "079201001234")]
        self.assertEqual(Dossier.with_user(self.desk).search(domain), self.mine | self.theirs)
        self.assertEqual(Dossier.with_user(self.justice_user).search(domain), self.mine)
        self.assertFalse(Dossier.with_user(self.coordinator).search(domain))

    def test_the_forms_mask_personal_data_for_others(self):
        html = self._render("cchc_onestop.report_register", self.theirs, self.justice_user)
        self.assertNotIn("12 Lê Lợi", html)
        self.assertIn(MASK, html)

    def test_leaders_see_their_agency_and_the_agencies_under_it(self):
        office_desk = self._user("os_desk_vpdk", "cchc_base.group_cchc_onestop", self.land_office)
        with at(2026, 3, 2, 9, 0):
            certificate = self._received(self.certificate, office_desk)
        self.assertIn(certificate, self._visible(self.land_leader))
        self.assertIn(self.mine, self._visible(self.justice_leader))
        self.assertNotIn(self.mine, self._visible(self.land_leader))
        # The tax leader sees the certificate: its agency has a step in it.
        self.assertEqual(self._visible(self.tax_leader), certificate)
        self.assertEqual(certificate.with_user(self.land_leader).applicant_id_number, MASK)
        everything = self.mine | self.theirs | self.commune_dossier | certificate
        self.assertEqual(self._visible(self.coordinator), everything)

    def test_only_the_last_steps_agency_records_the_result(self):
        office_desk = self._user("os_desk_vpdk2", "cchc_base.group_cchc_onestop", self.land_office)
        with at(2026, 3, 2, 9, 0):
            certificate = self._received(self.certificate, office_desk)
            self._finish_steps(certificate, 2)
            # The tax officer handled step 2 and reads the dossier, but step 3 is not his.
            with self.assertRaises(AccessError):
                certificate.with_user(self.tax_user)._resolve("approved", "GCN số 1")
            self.assertEqual(certificate.state, "processing")
            certificate.with_user(self.office_user)._resolve("approved", "GCN số 1")
        self.assertEqual(certificate.state, "resolved")

    def test_indicator_figures_follow_the_agency_rules(self):
        Stat = self.env["cchc.onestop.stat"]
        self.assertEqual(
            set(Stat.with_user(self.justice_user).search([]).agency_id.ids), {self.justice.id}
        )
        self.assertEqual(
            set(Stat.with_user(self.coordinator).search([]).agency_id.ids),
            {self.justice.id, self.commune.id},
        )
