from odoo.tests import tagged

from odoo.addons.cchc_assessment.tests.test_evidence_links import EvidenceLinkCases
from odoo.addons.cchc_base.tests.rpc import RpcCase


@tagged("post_install", "-at_install")
class TestEvidenceLinkKinds(EvidenceLinkCases, RpcCase):
    """Documents (cchc_esign, what is kept of them by cchc_exchange) and dossiers
    (cchc_onestop) linked as reform index evidence: cchc_assessment does not depend on their
    addons, cchc_demo installs them all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_links()
        env = cls.env
        kind = env["cchc.document.type"].create({"name": "Báo cáo", "abbreviation": "BC"})
        Document = env["cchc.document"]
        cls.own_document = Document.create(
            {"name": "Báo cáo kết quả CCHC", "type_id": kind.id, "agency_id": cls.justice.id}
        )
        cls.finance_document = Document.create(
            {"name": "Báo cáo của Sở Tài chính", "type_id": kind.id, "agency_id": cls.finance.id}
        )
        field = env["cchc.onestop.field"].create({"name": "Lý lịch tư pháp"})
        Procedure = env["cchc.onestop.procedure"]
        Dossier = env["cchc.onestop.dossier"]
        cls.own_dossier, cls.finance_dossier = (
            Dossier.create(
                {
                    "procedure_id": Procedure.create(
                        {
                            "code": f"X.EV000{index}",
                            "name": "Cấp Phiếu lý lịch tư pháp",
                            "field_id": field.id,
                            "competent_agency_id": agency.id,
                            "time_unit": "day",
                            "time_limit": 5,
                        }
                    ).id,
                    "agency_id": agency.id,
                    "applicant_name": "Nguyễn Văn An",
                    "applicant_id_number": "079201001234",
                }
            )
            for index, agency in enumerate((cls.justice, cls.finance))
        )

    def test_documents(self):
        link = self.assert_links_are_the_agencys(
            self.officer, self.own_document, self.finance_document
        )
        self.assertEqual(link.name, "Báo cáo kết quả CCHC")

    def test_classified_document_keeps_no_subject(self):
        self.own_document.confidentiality = "secret"
        self.rpc_login(self.officer)
        self.assertRpcOk(
            "cchc.assessment.evidence.link",
            "create",
            [
                {
                    "score_id": self.self_line.id,
                    "record_ref": f"cchc.document,{self.own_document.id}",
                }
            ],
        )
        link = self._links()
        self.assertEqual(link.res_id, self.own_document.id)
        self.assertFalse(link.name)
        self.assertNotIn("CCHC", link.display_name)

    def test_dossiers(self):
        """The justice leader links a dossier of its desk; the council keeps its code and
        procedure, nothing of the applicant, and does not open the dossier."""
        link = self.assert_links_are_the_agencys(
            self.leader, self.own_dossier, self.finance_dossier
        )
        self.assertEqual(link.name, "Cấp Phiếu lý lịch tư pháp")
        self.assertNotIn("Nguyễn", f"{link.code} {link.name}")
        self.rpc_login(self.council)
        [read] = self.assertRpcOk("cchc.assessment.evidence.link", "read", [link.ids, ["can_open"]])
        self.assertFalse(read["can_open"])
