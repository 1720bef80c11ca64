import secrets
import time

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.cchc_base.tools import secrets as cchc_secrets

from ..tools.exchange_common import channel_name, decrypt_secret, encrypt_secret, request_headers


class CchcExchangePartner(models.Model):
    """Another system that exchanges packages with this one (another province, a ministry, the
    national exchange platform). Packages to it travel as queue_job jobs on its own channel
    (``root.cchc_exchange.<code>``), whose capacity the server configuration sets."""

    _name = "cchc.exchange.partner"
    _description = "Exchange partner"
    _order = "name"

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        help="The partner's own code: it sends it in the X-CCHC-Partner header.",
    )
    url = fields.Char(
        string="Endpoint",
        help="Where packages for this partner are posted, e.g. "
        "https://vanban.example.gov.vn/cchc_esign/edxml",
    )
    host_header = fields.Char(
        string="Virtual host",
        help="The Host header to send when the partner's server serves several databases by "
        "name (dbfilter) behind one address. Usually empty.",
    )
    secret = fields.Char(
        string="Shared secret",
        compute="_compute_secret",
        inverse="_inverse_secret",
        groups="base.group_system",
        help="Both systems sign their HTTP requests with it (HMAC-SHA256). Stored encrypted "
        "with the server's key (cchc_secret_key).",
    )
    secret_encrypted = fields.Char(groups="base.group_system", readonly=True, copy=False)
    has_secret = fields.Boolean(compute="_compute_has_secret")
    certificate_fingerprint = fields.Char(
        help="SHA-256 of the partner's exchange certificate. When set, packages from this "
        "partner must be signed with exactly that certificate (besides chaining to a trust "
        "anchor)."
    )
    agency_ids = fields.One2many(
        "cchc.agency", "exchange_partner_id", string="Agencies reached through it"
    )
    timeout = fields.Integer(default=30, help="Seconds to wait for the partner's answer.")
    channel_id = fields.Many2one(
        "queue.job.channel",
        readonly=True,
        copy=False,
        help="The job channel of the deliveries to this partner. How many run at the same "
        "time is set in the server configuration ([queue_job] channels, e.g. "
        "root.cchc_exchange.H56:1); without a line of its own a partner shares the capacity "
        "of root.cchc_exchange.",
    )
    refused_count = fields.Integer(
        string="Packages refused", readonly=True, copy=False, help="Since the partner was set up."
    )
    refused_unlogged = fields.Integer(
        string="Refused, counted only",
        readonly=True,
        copy=False,
        help="Refused packages beyond the daily number kept in the message log: counted, not "
        "stored.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "Another partner already has this code."),
    ]

    def _compute_secret(self):
        for partner in self:
            try:
                partner.secret = cchc_secrets.decrypt(partner.sudo().secret_encrypted)
            except cchc_secrets.SecretKeyError:
                partner.secret = False

    def _inverse_secret(self):
        """Nothing: create and write encrypt a typed secret into secret_encrypted."""

    def _compute_has_secret(self):
        for partner in self:
            partner.has_secret = bool(partner.sudo().secret_encrypted)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("secret_encrypted", None)
            if vals.get("secret"):
                vals["secret_encrypted"] = encrypt_secret(self.env, vals.pop("secret"))
            vals.pop("secret", None)
        partners = super().create(vals_list)
        partners._sync_channel()
        return partners

    def write(self, vals):
        vals = dict(vals)
        vals.pop("secret_encrypted", None)
        if "secret" in vals:
            secret = vals.pop("secret")
            if secret:
                vals["secret_encrypted"] = encrypt_secret(self.env, secret)
        result = super().write(vals)
        if "code" in vals:
            self._sync_channel()
        return result

    def action_new_secret(self):
        # The button is the system administrator's: a new secret cuts the partner off until
        # it is told the new one, so no other user may roll it (the write below is sudo).
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            raise AccessError(
                self.env._("Only a system administrator makes a new shared secret for a partner.")
            )
        for partner in self:
            partner.sudo().write({"secret": secrets.token_urlsafe(32)})

    def _secret(self):
        self.ensure_one()
        return decrypt_secret(self.env, self.sudo().secret_encrypted)

    def _channel(self):
        self.ensure_one()
        return channel_name(self.code)

    def _sync_channel(self):
        """Each partner has its own job channel under root.cchc_exchange."""
        parent = self.env.ref("cchc_exchange.queue_job_channel_exchange").sudo()
        Channel = self.env["queue.job.channel"].sudo()
        for partner in self:
            name = partner._channel().rsplit(".", 1)[1]
            vals = {"name": name, "parent_id": parent.id}
            channel = partner.sudo().channel_id or Channel.search(
                [("name", "=", name), ("parent_id", "=", parent.id)], limit=1
            )
            if channel:
                channel.write(vals)
            else:
                channel = Channel.create(vals)
            if partner.sudo().channel_id != channel:
                partner.sudo().write({"channel_id": channel.id})

    def _post(self, body):
        """Send one package; returns ``(HTTP status, answer)``, raises on a transport error."""
        self.ensure_one()
        key = self.env["cchc.exchange.key"]._current()
        secret = self._secret()
        if not (self.url and secret):
            raise UserError(self.env._("Partner %s has no endpoint or secret.", self.name))
        headers = request_headers(
            key.code, secret, str(int(time.time())), secrets.token_hex(16), body
        )
        if self.host_header:
            headers["Host"] = self.host_header
        response = requests.post(self.url, data=body, headers=headers, timeout=self.timeout or 30)
        try:
            answer = response.json()
        except ValueError:
            answer = {"result": "error", "reason": response.text[:500]}
        if not isinstance(answer, dict):
            answer = {"result": "error", "reason": str(answer)[:500]}
        return response.status_code, answer
