from odoo import models

from odoo.addons.cchc_base.tools.protect import is_unlocked

# What an attachment's content and ownership are made of: an annex of a frozen document keeps
# them (an access token, for one, may still be generated to share it).
_CONTENT_FIELDS = frozenset(
    {"datas", "raw", "db_datas", "store_fname", "url", "type", "name", "mimetype"}
    | {"res_model", "res_id", "res_field"}
)


class IrAttachment(models.Model):
    """The annexes of a signed, issued or received document are as final as its PDF."""

    _inherit = "ir.attachment"

    def write(self, vals):
        if _CONTENT_FIELDS & set(vals):
            self._cchc_check_frozen_annexes()
        return super().write(vals)

    def unlink(self):
        self._cchc_check_frozen_annexes()
        return super().unlink()

    def _cchc_check_frozen_annexes(self):
        Document = self.env["cchc.document"]
        if not self.ids or is_unlocked(Document):
            return
        # The PDF itself is an attachment too (a binary field stored as one): Odoo lets whoever
        # may write the document delete or overwrite it directly.
        fields_of = self.sudo().filtered(lambda a: a.res_model == Document._name and a.res_field)
        docs = (
            Document.sudo()
            .with_context(active_test=False)
            .search(["|", ("annex_ids", "in", self.ids), ("id", "in", fields_of.mapped("res_id"))])
        )
        for doc in docs:
            if doc._cchc_is_frozen():
                Document._cchc_refuse_frozen(doc)
