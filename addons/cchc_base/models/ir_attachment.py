from odoo import api, models


class IrAttachment(models.Model):
    """The file behind a protected binary field is protected like the field itself.

    Without this, a client could overwrite or delete the ``ir.attachment`` that stores an
    issued document's PDF and leave the document pointing at other bytes.
    """

    _inherit = "ir.attachment"

    def _cchc_check_protected_owners(self, targets):
        by_model = {}
        for res_model, res_id, res_field in targets:
            if not res_model or not res_id:
                continue
            by_model.setdefault((res_model, res_field), set()).add(res_id)
        for (res_model, res_field), ids in by_model.items():
            model = self.env.get(res_model)
            if model is None or not hasattr(model, "_cchc_check_attachment"):
                continue
            model.browse(ids).sudo()._cchc_check_attachment(res_field)

    def _cchc_targets(self):
        self.env.cr.execute(
            "SELECT res_model, res_id, res_field FROM ir_attachment WHERE id IN %s",
            [tuple(self.ids) or (0,)],
        )
        return self.env.cr.fetchall()

    @api.model_create_multi
    def create(self, vals_list):
        self._cchc_check_protected_owners(
            [(v.get("res_model"), v.get("res_id"), v.get("res_field")) for v in vals_list]
        )
        return super().create(vals_list)

    def write(self, vals):
        targets = self._cchc_targets()
        if {"res_model", "res_id", "res_field"} & set(vals):
            targets += [
                (
                    vals.get("res_model", res_model),
                    vals.get("res_id", res_id),
                    vals.get("res_field", res_field),
                )
                for res_model, res_id, res_field in targets
            ]
        self._cchc_check_protected_owners(targets)
        return super().write(vals)

    def unlink(self):
        self._cchc_check_protected_owners(self._cchc_targets())
        return super().unlink()
