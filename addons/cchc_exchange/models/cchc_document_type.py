from odoo import api, models, tools


class CchcDocumentType(models.Model):
    _inherit = "cchc.document.type"

    @api.model
    @tools.ormcache("name", "abbreviation")
    def _received_type_id(self, name, abbreviation):
        """The kind of a received document (its edXML TypeName, else the abbreviation of its
        notation), remembered per worker: every package asks, the kinds seldom change."""
        found = self.sudo().search([("name", "=ilike", name)], limit=1)
        if not found and abbreviation:
            found = self.sudo().search([("abbreviation", "=", abbreviation)], limit=1)
        return found.id

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
