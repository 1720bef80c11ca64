from odoo import api, models


class CchcCachedMixin(models.AbstractModel):
    """Records read through a registry cache (``ormcache``): creating, changing or deleting one
    clears the cache, in this worker and, through the database's signal, in every other."""

    _name = "cchc.cached.mixin"
    _description = "Records kept in the server's cache"

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
