import base64

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from cchc_core import pki

from ..tools.certificates import load_certificate


class CchcTrustAnchor(models.Model):
    """A root or intermediate CA that signatures are verified against, and its CRL."""

    _name = "cchc.trust.anchor"
    _inherit = ["cchc.cached.mixin"]
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
        """(roots, intermediates, CRLs) of the active anchors, for signing and verifying.

        Parsed once per worker until an anchor changes (every receipt verifies against them,
        twice: the package, then its PDFs); fresh lists, so that a caller may extend them."""
        roots, intermediates, crls = self._parsed_material()
        return list(roots), list(intermediates), list(crls)

    @tools.ormcache()
    def _parsed_material(self):
        anchors = self.sudo().with_context(active_test=True).search([])
        roots = tuple(
            load_certificate(base64.b64decode(a.certificate)) for a in anchors if a.kind == "root"
        )
        intermediates = tuple(
            load_certificate(base64.b64decode(a.certificate))
            for a in anchors
            if a.kind == "intermediate"
        )
        crls = tuple(pki.load_crl(base64.b64decode(a.crl)) for a in anchors if a.crl)
        return roots, intermediates, crls
