from odoo import api, models

from odoo.addons.cchc_base.tools.province_lang import province_lang


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _cchc_portal_signup(self, name, email):
        """A citizen account for ``email``, usable once the address is verified: the account
        has no password until its owner follows the link mailed to that address (the
        auth_signup token). An address that has an account already gets nothing new, and the
        caller answers alike either way."""
        Users = self.sudo()
        if Users.with_context(active_test=False).search_count(
            ["|", ("login", "=ilike", email), ("email", "=ilike", email)], limit=1
        ):
            return False
        user = Users.with_context(no_reset_password=True)._create_user_from_template(
            {"login": email, "email": email, "name": name, "lang": self._cchc_portal_lang()}
        )
        partner = user.partner_id.sudo()
        partner.signup_prepare(signup_type="signup")
        url = partner._get_signup_url_for_action(url="/my/ho-so")[partner.id]
        template = self.env.ref("cchc_portal.mail_template_signup_verify")
        template.sudo().with_context(cchc_portal_signup_url=url).send_mail(
            partner.id, email_values={"email_to": email, "recipient_ids": []}
        )
        return user

    @api.model
    def _cchc_portal_lang(self):
        return province_lang(self.env)
