import base64

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from cchc_core import pki

from ..tools.certificates import load_certificate


class CchcTrustAnchor(models.Model):
    """A root or intermediate CA that signatures are verified against, and its CRL."""

    _name = "cchc.trust.anchor"
    _description = "Trust anchor"

    name = fields.Char(required=True)
    kind = fields.Selection(
        [("root", "Root CA"), ("intermediate", "Intermediate CA")],
        string="Type of CA",
        required=True,
        default="root",
    )
    certificate = fields.Binary(required=True, attachment=False)
    crl = fields.Binary(string="Revocation list (CRL)", attachment=False)
    crl_updated = fields.Datetime(readonly=True)
    active = fields.Boolean(default=True)

    @api.constrains("certificate", "crl")
    def _check_files(self):
        for rec in self:
            try:
                load_certificate(base64.b64decode(rec.certificate))
                if rec.crl:
                    pki.load_crl(base64.b64decode(rec.crl))
            except (ValueError, pki.SigningError):
                raise ValidationError(
                    self.env._(
                        "%(name)s: the certificate or the CRL cannot be read.", name=rec.name
                    )
                ) from None

    @api.model
    def _material(self):
        """(roots, intermediates, CRLs) of the active anchors, for signing and verifying."""
        anchors = self.sudo().search([])
        roots = [
            load_certificate(base64.b64decode(a.certificate)) for a in anchors if a.kind == "root"
        ]
        intermediates = [
            load_certificate(base64.b64decode(a.certificate))
            for a in anchors
            if a.kind == "intermediate"
        ]
        crls = [pki.load_crl(base64.b64decode(a.crl)) for a in anchors if a.crl]
        return roots, intermediates, crls
