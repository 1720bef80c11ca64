"""The verification panel of a document: who signed (name, position, agency), when (Vietnam
time), valid or not and why, for each signature, in the reader's language.

What the verification found is stored language-neutral (``verification_data``); the panel is
written from it when shown, so a document verified by the server (a received one) reads in
Vietnamese to a Vietnamese user, not in the language of whoever verified it."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from odoo import api, fields, models

from odoo.addons.cchc_base.tools.translate import sentence

from cchc_core import pades
from cchc_core.messages import Message

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# The signature fields the signing writes (``_sign_as_leader`` / ``_issue_with_seal``).
ROLE_OF_FIELD = {"ChuKyLanhDao": "leader", "ChuKyCoQuan": "seal"}
# Written by the verification only.
VERIFICATION_DATA_FIELDS = frozenset({"verification_data"})
VERDICT_CLASS = {"valid": "text-success", "invalid": "text-danger"}


def _message_data(message):
    if isinstance(message, Message):
        return {"template": message.template, "params": message.params}
    return {"template": str(message or ""), "params": {}}


def _organization(subject):
    """The organisation of a certificate's subject (``Organization: UBND tỉnh …``)."""
    for part in (subject or "").split(", "):
        key, _sep, value = part.partition(": ")
        if key == "Organization":
            return value
    return ""


def signature_data(sig):
    """What the panel needs of one verified signature, as JSON."""
    return {
        "kind": sig.kind,
        "field": sig.field_name,
        "signer": sig.signer,
        "organization": _organization(sig.subject),
        "signing_time": sig.signing_time.isoformat() if sig.signing_time else None,
        "timestamp": sig.timestamp.isoformat() if sig.timestamp else None,
        "verdict": sig.verdict,
        "modifications": sig.modifications,
        "explanation": _message_data(sig.explanation),
    }


class CchcDocument(models.Model):
    _inherit = "cchc.document"

    verification_data = fields.Json(string="Verification details", readonly=True, copy=False)
    verification_panel = fields.Html(
        string="Signatures", compute="_compute_verification_panel", sanitize=False
    )

    @api.depends("verification_data", "verdict", "verified_on")
    @api.depends_context("lang")
    def _compute_verification_panel(self):
        for doc in self:
            doc.verification_panel = doc._verification_panel()

    def _cchc_check_create(self, vals):
        protected = VERIFICATION_DATA_FIELDS & {name for name, value in vals.items() if value}
        if protected:
            self._cchc_refuse_protected(protected)
        return super()._cchc_check_create(vals)

    def _cchc_check_write(self, vals):
        protected = VERIFICATION_DATA_FIELDS & set(vals)
        if protected:
            self._cchc_refuse_protected(protected)
        return super()._cchc_check_write(vals)

    @api.model
    def _verification_vals(self, report, data):
        return dict(
            super()._verification_vals(report, data),
            verification_data={
                "explanation": _message_data(report.explanation),
                "signatures": [signature_data(sig) for sig in report.signatures],
            },
        )

    # ---------------------------------------------------------------- the panel

    def _verification_panel(self):
        self.ensure_one()
        if not self.verified_on or not self.verification_data:
            return Markup("<p class='text-muted'>%s</p>") % self.env._(
                "The signatures have not been verified yet: press “Verify signatures”."
            )
        data = self.verification_data
        verdicts = dict(self._fields["verdict"]._description_selection(self.env))
        summary = Markup(
            "<p class='o_cchc_verdict'><strong class='%s'>%s</strong> — %s<br/>"
            "<small class='text-muted'>%s</small></p>"
        ) % (
            VERDICT_CLASS.get(self.verdict, "text-warning"),
            verdicts.get(self.verdict, ""),
            self._summary(data),
            self.env._("Verified at %s", self._vietnam_time(self.verified_on)),
        )
        rows = Markup("").join(
            self._signature_panel(sig, verdicts) for sig in data.get("signatures", [])
        )
        return Markup("<div class='o_cchc_verification_panel'>%s%s</div>") % (summary, rows)

    def _signature_panel(self, sig, verdicts):
        role = ROLE_OF_FIELD.get(sig.get("field"))
        kind = sig.get("kind")
        if kind == pades.KIND_DOCUMENT_TIMESTAMP:
            title = self.env._("Archive time-stamp")
        elif kind == pades.KIND_REMOVED:
            title = self.env._("A signature removed or replaced after signing")
        elif role == "seal":
            title = self.env._("Signature of the agency (seal)")
        elif role == "leader":
            title = self.env._("Signature of the competent person")
        else:
            title = self.env._("Digital signature")
        lines = [(self.env._("Signed by"), sig.get("signer") or "-")]
        if role == "leader" or (role is None and kind == pades.KIND_SIGNATURE):
            position = self._signer_position_text()
            if position:
                lines.append((self.env._("Position"), position))
        agency = sig.get("organization") or (role != "seal" and self.agency_id.name) or ""
        if agency and agency != sig.get("signer"):
            lines.append((self.env._("Agency"), agency))
        when = sig.get("timestamp") or sig.get("signing_time")
        if when:
            lines.append(
                (self.env._("Signed at"), self._vietnam_time(datetime.fromisoformat(when)))
            )
        verdict = sig.get("verdict")
        row = Markup("<tr><th class='pe-3 text-nowrap'>%s</th><td class='%s'>%s</td></tr>")
        body = Markup("").join(row % (label, "", value) for label, value in lines)
        body += row % (
            self.env._("Result"),
            VERDICT_CLASS.get(verdict, "text-warning"),
            verdicts.get(verdict, ""),
        )
        body += row % (self.env._("Why"), "", self._signature_reason(sig))
        return Markup(
            "<div class='o_cchc_signature mt-2'><h6>%s</h6>"
            "<table class='table table-sm table-borderless mb-1'>%s</table></div>"
        ) % (escape(title), body)

    def _signature_reason(self, sig):
        if sig.get("verdict") == "valid" and sig.get("kind") == pades.KIND_SIGNATURE:
            reason = self.env._(
                "The document has not changed since it was signed, and the certificate was "
                "issued by a trusted authority, valid and not revoked."
            )
            if sig.get("modifications") == "annotations":
                reason += " " + self.env._("Comments were added to the PDF after this signature.")
            return reason
        return sentence(self._translated(sig.get("explanation")))

    def _signer_position_text(self):
        """The position lines of the signer (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH), one line."""
        if self.direction == "in":
            return self.signer_position or ""
        return " – ".join(self._signature_lines())

    def _summary(self, data):
        if self.verdict == "valid" or not data.get("signatures"):
            return sentence(self._translated(data.get("explanation")))
        # The core's summary names the signature field and nests an untranslated reason.
        return self.env._(
            "At least one signature is not valid or could not be confirmed: see below why."
        )

    def _translated(self, message):
        """A stored message of ``cchc_core`` (template and values) in the reader's language."""
        template = (message or {}).get("template")
        if not template:
            return ""
        return self.env._(template, **(message.get("params") or {}))

    def _vietnam_time(self, moment):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        local = moment.astimezone(VIETNAM)
        return self.env._(
            "%(time)s on %(date)s (Vietnam time)",
            time=local.strftime("%H:%M"),
            date=local.strftime("%d/%m/%Y"),
        )
