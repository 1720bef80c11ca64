from odoo import Command, api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    cchc_agency_id = fields.Many2one(
        "cchc.agency",
        string="Agency",
        index=True,
        help="The agency the user works for. Record rules show a user the records of this "
        "agency; a leader also sees those of the agencies under it.",
    )
    cchc_led_agency_ids = fields.Many2many(
        "cchc.agency",
        "cchc_agency_leader_rel",
        "user_id",
        "agency_id",
        string="Leads",
        readonly=True,
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["cchc_agency_id"]

    def write(self, vals):
        res = super().write(vals)
        if "cchc_agency_id" in vals:
            # Record rules read the user's agency: their cached domains must be recomputed.
            self.env.registry.clear_cache()
            for user in self.sudo():
                stale = user.cchc_led_agency_ids.filtered(lambda a, u=user: a != u.cchc_agency_id)
                stale.write({"leader_ids": [Command.unlink(user.id)]})
        return res

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users.filtered(lambda u: not u.action_id)._cchc_home_set_default()
        return users

    def _cchc_home_set_default(self):
        """Give the users of the suite who have no home action the CCHC home screen."""
        home = self.env.ref("cchc_base.cchc_home_action", raise_if_not_found=False)
        if not home:
            return
        users = self or self.with_context(active_test=False).search([])
        users.filtered(
            lambda u: not u.action_id and u.has_group("cchc_base.group_cchc_user")
        ).sudo().write({"action_id": home.id})
