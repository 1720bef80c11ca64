import base64
import hashlib
import logging
from datetime import timedelta

from cryptography.hazmat.primitives import serialization

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.cchc_base.tools.protect import unlocked
from odoo.addons.cchc_base.tools.translate import sentence, translate

from cchc_core import pki

from ..tools.certificates import load_certificate

_logger = logging.getLogger(__name__)

# Wrong signing passphrases: this many within the window lock the key; its owner may unlock it
# again after the cool-down, an administrator at any time.
MAX_FAILED_PASSPHRASES = 5
FAILED_PASSPHRASE_WINDOW = timedelta(minutes=15)
LOCK_COOL_DOWN = timedelta(minutes=30)

DETAIL_FIELDS = (
    "name",
    "subject",
    "issuer",
    "serial_number",
    "fingerprint",
    "not_before",
    "not_after",
)


class CchcCertificate(models.Model):
    """A signing certificate of a person (the leader) or of an agency (its seal).

    The private key is either not on the server (a USB token: external signing) or kept as an
    encrypted PKCS#12, unlocked by a passphrase typed at signing time and never stored.
    """

    _name = "cchc.certificate"
    _description = "Signing certificate"
    _inherit = ["mail.thread", "cchc.protected.mixin"]
    _order = "not_after desc"
    # The passphrase counter and the lock: only the signing and ``action_unlock`` write them.
    _cchc_protected_fields = frozenset({"failed_attempts", "failed_since", "locked_on"})
    # A certificate that signed keeps what it certifies; it may still be retired or re-keyed.
    _cchc_frozen_writable = frozenset({"active", "pkcs12"})

    name = fields.Char(compute="_compute_details", store=True)
    owner = fields.Selection(
        [("user", "A person"), ("agency", "An agency (seal)")], required=True, default="user"
    )
    user_id = fields.Many2one("res.users", index=True)
    agency_id = fields.Many2one("cchc.agency", index=True)
    certificate = fields.Binary(required=True, attachment=False)
    pkcs12 = fields.Binary(
        string="Key file (PKCS#12)",
        attachment=False,
        groups="cchc_base.group_cchc_manager",
        help="Encrypted with the owner's passphrase. Empty when the key is on a USB token.",
    )
    has_key = fields.Boolean(compute="_compute_has_key")
    subject = fields.Char(string="Certificate subject", compute="_compute_details", store=True)
    issuer = fields.Char(compute="_compute_details", store=True)
    serial_number = fields.Char(compute="_compute_details", store=True)
    fingerprint = fields.Char(compute="_compute_details", store=True, index=True)
    not_before = fields.Datetime(compute="_compute_details", store=True)
    not_after = fields.Datetime(compute="_compute_details", store=True)
    active = fields.Boolean(default=True)
    failed_attempts = fields.Integer(
        string="Wrong passphrases", readonly=True, copy=False, help="Within the current window."
    )
    failed_since = fields.Datetime(string="First wrong passphrase", readonly=True, copy=False)
    locked_on = fields.Datetime(string="Locked since", readonly=True, copy=False, tracking=True)

    _sql_constraints = [
        ("fingerprint_unique", "UNIQUE(fingerprint)", "This certificate is already registered."),
    ]

    @api.depends("certificate")
    def _compute_details(self):
        for rec in self:
            cert = rec._x509()
            if not cert:
                rec.update(dict.fromkeys(DETAIL_FIELDS, False))
                continue
            der = cert.public_bytes(serialization.Encoding.DER)
            rec.name = pki.common_name(cert)
            rec.subject = cert.subject.rfc4514_string()
            rec.issuer = cert.issuer.rfc4514_string()
            rec.serial_number = format(cert.serial_number, "X")
            rec.fingerprint = hashlib.sha256(der).hexdigest()
            rec.not_before = cert.not_valid_before_utc.replace(tzinfo=None)
            rec.not_after = cert.not_valid_after_utc.replace(tzinfo=None)

    def _compute_has_key(self):
        for rec in self:
            rec.has_key = bool(rec.sudo().pkcs12)

    @api.constrains("certificate", "owner", "user_id", "agency_id")
    def _check_certificate(self):
        for rec in self:
            if not rec._x509():
                raise ValidationError(self.env._("The certificate is not a PEM or DER file."))
            if (rec.owner == "user") != bool(rec.user_id) or (rec.owner == "agency") != bool(
                rec.agency_id
            ):
                raise ValidationError(
                    self.env._("A certificate belongs either to a person or to an agency.")
                )

    def _cchc_is_frozen(self):
        Signature = self.env["cchc.document.signature"].sudo()
        return bool(Signature.search_count([("certificate_id", "=", self.id)], limit=1))

    def _cchc_frozen_hint(self):
        return self.env._(
            "Documents were signed with it: it may only be archived, or given its key file."
        )

    def _x509(self):
        self.ensure_one()
        if not self.certificate:
            return None
        try:
            return load_certificate(base64.b64decode(self.certificate))
        except ValueError:
            return None

    def _signer(self, passphrase):
        """Unlock the key; a wrong passphrase or a mismatching file is a translated error.

        Wrong passphrases are counted per certificate and lock the key after
        ``MAX_FAILED_PASSPHRASES`` within ``FAILED_PASSPHRASE_WINDOW``."""
        self.ensure_one()
        cert = self.sudo()
        if cert.locked_on:
            raise UserError(
                self.env._(
                    "The key of %(name)s is locked after %(count)s wrong passphrases. An "
                    "administrator can unlock it, or its owner %(minutes)s minutes after it was "
                    "locked.",
                    name=cert.name,
                    count=MAX_FAILED_PASSPHRASES,
                    minutes=int(LOCK_COOL_DOWN.total_seconds() // 60),
                )
            )
        data = cert.pkcs12
        if not data:
            raise UserError(
                self.env._(
                    "The key of %(name)s is not on the server: sign with the USB token.",
                    name=self.name,
                )
            )
        try:
            signer = pki.load_signer(base64.b64decode(data), passphrase or "")
        except pki.SigningError as exc:
            message = sentence(translate(self.env, exc.args[0], "cchc_esign"))
            if cert._count_failed_passphrase() >= MAX_FAILED_PASSPHRASES:
                message += " " + self.env._("The key is now locked.")
            raise UserError(message) from None
        if signer.certificate != self._x509():
            raise UserError(self.env._("The key file does not match the certificate."))
        if cert.failed_attempts or cert.failed_since:
            with unlocked(cert):
                cert.write({"failed_attempts": 0, "failed_since": False})
        return signer

    def _count_failed_passphrase(self):
        """Count a wrong passphrase so that it survives the failed signing's rollback.

        The signing raises, and the request's transaction is rolled back with everything it
        wrote: a counter written there would never grow. So the count is written in a
        transaction of its own (``registry.cursor()``), opened when this one ends: after its
        rollback (``postrollback``, the usual case: the error reaches the client) or its commit
        (``postcommit``, when a caller caught the error). Each hook empties the other one, so
        the attempt is counted once. Opening the new cursor only after the request's own
        transaction ended also means the two never wait on each other's row lock. Returns the
        count this attempt reaches, for the message."""
        self.ensure_one()
        registry, cert_id, uid = self.env.registry, self.id, self.env.uid
        context = dict(self.env.context)

        def count():
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, uid, context)
                    certificate = env["cchc.certificate"].sudo().browse(cert_id).exists()
                    certificate._note_failed_passphrase()
            except Exception:
                _logger.exception("Could not count a wrong passphrase of certificate %s", cert_id)

        self.env.cr.postrollback.add(count)
        self.env.cr.postcommit.add(count)
        now = fields.Datetime.now()
        if self.failed_since and now - self.failed_since > FAILED_PASSPHRASE_WINDOW:
            return 1
        return self.failed_attempts + 1

    def _note_failed_passphrase(self):
        for cert in self:
            now = fields.Datetime.now()
            if not cert.failed_since or now - cert.failed_since > FAILED_PASSPHRASE_WINDOW:
                vals = {"failed_attempts": 1, "failed_since": now}
            else:
                vals = {"failed_attempts": cert.failed_attempts + 1}
            if vals["failed_attempts"] >= MAX_FAILED_PASSPHRASES and not cert.locked_on:
                vals["locked_on"] = now
            with unlocked(cert):
                cert.write(vals)
            if vals.get("locked_on"):
                _logger.warning("Certificate %s locked after wrong passphrases", cert.id)
                cert.message_post(
                    body=self.env._(
                        "Locked after %(count)s wrong passphrases (last attempt by %(user)s).",
                        count=vals["failed_attempts"],
                        user=self.env.user.name,
                    )
                )

    def action_unlock(self):
        """Unlock a key locked by wrong passphrases: an administrator at any time, the owner
        (the person, or a clerk of the agency for a seal) after the cool-down."""
        for cert in self:
            if not cert.locked_on:
                continue
            user = self.env.user
            if not (self.env.su or user.has_group("cchc_base.group_cchc_manager")):
                owner = (cert.owner == "user" and cert.user_id == user) or (
                    cert.owner == "agency"
                    and user.has_group("cchc_base.group_cchc_clerk")
                    and user.cchc_agency_id == cert.agency_id.sudo()._cchc_clerk_office()
                )
                if not owner:
                    raise AccessError(
                        self.env._("Only an administrator or the owner may unlock %s.", cert.name)
                    )
                ready = cert.locked_on + LOCK_COOL_DOWN
                if fields.Datetime.now() < ready:
                    raise UserError(
                        self.env._(
                            "%(name)s stays locked until %(time)s (UTC); an administrator can "
                            "unlock it sooner.",
                            name=cert.name,
                            time=ready.strftime("%H:%M %d/%m/%Y"),
                        )
                    )
            with unlocked(cert):
                cert.sudo().write({"locked_on": False, "failed_attempts": 0, "failed_since": False})
            cert.sudo().message_post(body=self.env._("Unlocked by %s.", self.env.user.name))
        return True
