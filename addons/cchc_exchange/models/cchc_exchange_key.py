import base64

from cryptography.hazmat.primitives import serialization

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from odoo.addons.cchc_base.tools.translate import translate

from cchc_core import pki

from ..tools.exchange_common import decrypt_secret, encrypt_secret


class CchcExchangeKey(models.Model):
    """The key with which this system signs the packages it sends (not a person's key: it
    signs automatically, like a server certificate; only administrators can read it).

    Its PKCS#12 passphrase is stored encrypted with the server's ``cchc_secret_key``, which is
    not in the database (``cchc_base.tools.secrets``)."""

    _name = "cchc.exchange.key"
    _description = "Exchange key of this system"

    name = fields.Char(compute="_compute_name", store=True)
    code = fields.Char(
        required=True,
        help="How partners know this system: the code they configure for it (e.g. H62).",
    )
    pkcs12 = fields.Binary(
        string="Key file (PKCS#12)", attachment=False, required=True, groups="base.group_system"
    )
    passphrase = fields.Char(
        compute="_compute_passphrase",
        inverse="_inverse_passphrase",
        groups="base.group_system",
        help="Typed once; stored encrypted with the server's key (cchc_secret_key), never "
        "shown again.",
    )
    passphrase_encrypted = fields.Char(groups="base.group_system", readonly=True, copy=False)
    certificate = fields.Binary(readonly=True, attachment=False)
    fingerprint = fields.Char(readonly=True)
    not_after = fields.Datetime(readonly=True)
    active = fields.Boolean(default=True)

    @api.depends("code", "fingerprint")
    def _compute_name(self):
        for key in self:
            key.name = f"{key.code} ({(key.fingerprint or '')[:16]})"

    def _compute_passphrase(self):
        self.passphrase = False

    def _inverse_passphrase(self):
        """Nothing: create and write encrypt the typed passphrase into passphrase_encrypted
        (an inverse runs after the record is written, too late to check the key file)."""

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("passphrase"):
                raise UserError(self.env._("Enter the passphrase of the key file."))
            vals.update(self._describe(vals.get("pkcs12"), vals.get("passphrase")))
            vals["passphrase_encrypted"] = encrypt_secret(self.env, vals.pop("passphrase"))
        # The current key is remembered per worker (_current_id): a new one takes over now.
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        vals = dict(vals)
        vals.pop("passphrase_encrypted", None)  # only from a typed passphrase, below
        if not vals.get("passphrase"):
            vals.pop("passphrase", None)
        if {"pkcs12", "passphrase"} & set(vals):
            for key in self:
                key_vals = dict(vals)
                passphrase = key_vals.pop("passphrase", None) or key.sudo()._passphrase()
                key_vals.update(
                    self._describe(vals.get("pkcs12") or key.sudo().pkcs12, passphrase),
                    passphrase_encrypted=encrypt_secret(self.env, passphrase),
                )
                super(CchcExchangeKey, key).write(key_vals)
            return True
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    def _describe(self, pkcs12, passphrase):
        """The certificate fields of a key file, or a translated error when it cannot be
        unlocked or cannot sign."""
        try:
            signer = pki.load_signer(base64.b64decode(pkcs12 or b""), passphrase or "")
            pki.check_signing_certificate(signer.certificate)
        except pki.SigningError as exc:
            raise ValidationError(
                translate(self.env, exc.args[0], "cchc_exchange", "cchc_esign")
            ) from None
        return {
            "certificate": base64.b64encode(
                signer.certificate.public_bytes(serialization.Encoding.PEM)
            ),
            "fingerprint": signer.fingerprint,
            "not_after": signer.certificate.not_valid_after_utc.replace(tzinfo=None),
        }

    @api.model
    def _current(self):
        key = self.sudo().browse(self._current_id())
        if not key:
            raise UserError(
                self.env._(
                    "This system has no exchange key: an administrator sets one in "
                    "Configuration > Exchange key of this system."
                )
            )
        return key

    @tools.ormcache()
    def _current_id(self):
        """The newest active key, looked up once per worker until a key changes (every
        package this system sends, statuses included, is signed with it)."""
        return self.sudo().with_context(active_test=True).search([], limit=1, order="id desc").id

    def _passphrase(self):
        self.ensure_one()
        return decrypt_secret(self.env, self.sudo().passphrase_encrypted)

    def _signer(self):
        """The unlocked key, kept in memory per key and version: unlocking a PKCS#12 costs
        ~40 ms (its key derivation), more than building, signing and sending a package."""
        self.ensure_one()
        return self._cached_signer(self.id, str(self.sudo().write_date))

    @tools.ormcache("key_id", "version")
    def _cached_signer(self, key_id, version):
        key = self.sudo().browse(key_id)
        try:
            return pki.load_signer(base64.b64decode(key.pkcs12), key._passphrase())
        except pki.SigningError as exc:
            raise ValidationError(
                translate(self.env, exc.args[0], "cchc_exchange", "cchc_esign")
            ) from None
