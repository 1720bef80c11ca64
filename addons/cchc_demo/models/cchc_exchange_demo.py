import base64
import tempfile

from cryptography.hazmat.primitives import serialization

from odoo import api, models

from cchc_core import pki


class CchcExchangeDemo(models.AbstractModel):
    """Demo data: this system's exchange key (from a demo CA made at installation, no key is
    ever committed), a partner province, and the issued demo document sent to its recipients."""

    _name = "cchc.exchange.demo"
    _description = "Demo exchange material"

    @api.model
    def _demo_setup(self, agency_id, passphrase):
        agency = self.env["cchc.agency"].browse(agency_id)
        pem = serialization.Encoding.PEM
        with tempfile.TemporaryDirectory() as directory:
            demo = pki.generate_demo_pki(directory, passphrase, agency=agency.name)
            self.env["cchc.trust.anchor"].create(
                [
                    {
                        "name": "CCHC Demo Exchange Root CA",
                        "kind": "root",
                        "certificate": base64.b64encode(demo.root.certificate.public_bytes(pem)),
                    },
                    {
                        "name": "CCHC Demo Exchange CA",
                        "kind": "intermediate",
                        "certificate": base64.b64encode(
                            demo.intermediate.certificate.public_bytes(pem)
                        ),
                        "crl": base64.b64encode(demo.crl.public_bytes(serialization.Encoding.DER)),
                    },
                ]
            )
            self.env["cchc.exchange.key"].create(
                {
                    "code": (agency.identifier or "DEMO").split(".")[0],
                    "pkcs12": base64.b64encode(demo.pkcs12("exchange")),
                    "passphrase": passphrase,
                }
            )
        partner = self.env["cchc.exchange.partner"].create(
            {
                "name": "Tỉnh Bến Tre (demo)",
                "code": "H56",
                "url": "https://vanban.example.gov.vn/cchc_esign/edxml",
            }
        )
        self.env["cchc.agency"].create(
            {
                "name": "UBND tỉnh Bến Tre (demo)",
                "identifier": "H56",
                "exchange_partner_id": partner.id,
            }
        )
        issued = self.env["cchc.document"].search(
            [
                ("direction", "=", "out"),
                ("state", "=", "issued"),
                ("agency_id", "=", agency.id),
                ("recipient_agency_ids", "!=", False),
                ("dispatch_ids", "=", False),
            ]
        )
        for doc in issued:
            # Queued jobs: the job runner delivers them when the demo server runs.
            doc._dispatch_electronically(doc.recipient_agency_ids)
