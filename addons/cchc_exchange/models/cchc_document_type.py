from odoo import api, models, tools


class CchcDocumentType(models.Model):
    _name = "cchc.document.type"
    _inherit = ["cchc.document.type", "cchc.cached.mixin"]

    @api.model
    @tools.ormcache("name", "abbreviation")
    def _received_type_id(self, name, abbreviation):
        """The kind of a received document (its edXML TypeName, else the abbreviation of its
        notation), remembered per worker: every package asks, the kinds seldom change."""
        found = self.sudo().search([("name", "=ilike", name)], limit=1)
        if not found and abbreviation:
            found = self.sudo().search([("abbreviation", "=", abbreviation)], limit=1)
        return found.id
