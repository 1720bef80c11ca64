"""Archival of documents at PAdES B-LTA: a document time-stamp over the whole signed PDF,
added again before the certificate of the last time-stamp's authority expires.

A daily cron queues one job per due document (``archive_renew_by`` is stored and indexed:
the cron never opens a PDF); the job adds the time-stamp with the TSA of
``cchc_esign.tsa_url`` and writes the new PDF, its hash and the next renewal date inside
``unlocked`` — the document stays frozen for every client.
"""

import base64
import logging
from datetime import UTC

from pyhanko.sign.timestamps.common_utils import TimestampRequestError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.cchc_base.tools.protect import unlocked
from odoo.addons.cchc_base.tools.translate import sentence, translate
from odoo.addons.queue_job.exception import RetryableJobError

from cchc_core import pades, pki

_logger = logging.getLogger(__name__)

ARCHIVE_CHANNEL = "root.cchc_exchange.archive"
# Documents kept as they were issued or received (a revoked one is kept too).
ARCHIVED_STATES = ("issued", "registered", "revoked")
# Written by the archival job only.
ARCHIVE_FIELDS = frozenset({"archive_timestamp", "archive_tsa", "archive_renew_by"})
# How many due documents one cron run queues (the next run takes the rest).
ARCHIVE_BATCH = 1000


class CchcDocument(models.Model):
    _inherit = "cchc.document"

    archive_timestamp = fields.Datetime(
        string="Archived (time-stamped) on",
        readonly=True,
        copy=False,
        help="The time certified by the last document time-stamp (PAdES B-LTA).",
    )
    archive_tsa = fields.Char(string="Time-stamp authority", readonly=True, copy=False)
    archive_renew_by = fields.Datetime(
        string="Archive renewal due",
        readonly=True,
        copy=False,
        index=True,
        help="A new document time-stamp is added before this time, ahead of the expiry of "
        "the certificate of the last time-stamp's authority.",
    )

    def _cchc_check_create(self, vals):
        protected = ARCHIVE_FIELDS & {name for name, value in vals.items() if value}
        if protected:
            self._cchc_refuse_protected(protected)
        return super()._cchc_check_create(vals)

    def _cchc_check_write(self, vals):
        protected = ARCHIVE_FIELDS & set(vals)
        if protected:
            self._cchc_refuse_protected(protected)
        return super()._cchc_check_write(vals)

    # ---------------------------------------------------------------- scheduling

    @api.model
    def _archive_due_domain(self, now=None):
        now = now or fields.Datetime.now()
        return [
            ("state", "in", ARCHIVED_STATES),
            ("verdict", "=", "valid"),
            "|",
            ("archive_renew_by", "=", False),
            ("archive_renew_by", "<=", now),
        ]

    @api.model
    def _cron_archive_timestamps(self):
        """Queue one archival job per due document (none yet, or renewal due)."""
        if not self._cchc_timestamper():
            _logger.warning(
                "Archival time-stamps: no TSA set (cchc_esign.tsa_url); nothing queued."
            )
            return 0
        docs = self.sudo().search(
            self._archive_due_domain(), order="archive_renew_by asc, id", limit=ARCHIVE_BATCH
        )
        for doc in docs:
            doc._enqueue_archive()
        return len(docs)

    def _enqueue_archive(self):
        self.ensure_one()
        return self.with_delay(
            channel=ARCHIVE_CHANNEL,
            identity_key=f"cchc_archive_timestamp:{self.id}",
            description=self.env._("Archival time-stamp of %s", self.code or self.name),
        )._archive_timestamp()

    # ---------------------------------------------------------------- on demand

    def action_add_archive_timestamp(self):
        """A clerk of the document's agency (or an administrator) archives it now."""
        for doc in self:
            doc._check_archivist()
            if doc.state not in ARCHIVED_STATES or doc.verdict != "valid":
                raise UserError(
                    self.env._(
                        "%s can be archived once it is issued or received with valid signatures.",
                        doc.display_name,
                    )
                )
            if doc.archive_renew_by and doc.archive_renew_by > fields.Datetime.now():
                raise UserError(
                    self.env._(
                        "%(doc)s is already archived; its next time-stamp is due by %(date)s.",
                        doc=doc.display_name,
                        date=fields.Datetime.to_string(doc.archive_renew_by),
                    )
                )
            try:
                doc.sudo()._archive_timestamp()
            except RetryableJobError as exc:
                raise UserError(str(exc)) from None
        return True

    def _check_archivist(self):
        user = self.env.user
        if self.env.su or user.has_group("cchc_base.group_cchc_manager"):
            return
        agency = self.receiving_agency_id if self.direction == "in" else self.agency_id
        if not (user.has_group("cchc_base.group_cchc_clerk") and user.cchc_agency_id == agency):
            raise AccessError(
                self.env._(
                    "Only a clerk of %(agency)s or an administrator may archive %(doc)s.",
                    agency=agency.name,
                    doc=self.display_name,
                )
            )

    # ---------------------------------------------------------------- the job

    def _archive_timestamp(self):
        """Add a document time-stamp (B-LTA) to the stored PDF. A TSA that does not answer
        raises a retryable error; whatever fails, nothing is written."""
        self.ensure_one()
        if self.state not in ARCHIVED_STATES or self.verdict != "valid" or not self.pdf:
            return False
        if self.archive_renew_by and self.archive_renew_by > fields.Datetime.now():
            return False  # archived meanwhile (on demand)
        timestamper = self._cchc_timestamper()
        if not timestamper:
            raise UserError(
                self.env._("No time-stamp authority is set (system parameter cchc_esign.tsa_url).")
            )
        data = self._pdf_checked()
        roots, _intermediates, crls = self.env["cchc.trust.anchor"]._material()
        try:
            stamped = pades.add_archive_timestamp(data, timestamper, trust_roots=roots, crls=crls)
        except TimestampRequestError as exc:
            raise RetryableJobError(
                self.env._("The time-stamp authority did not answer: %s", exc)
            ) from None
        except pki.SigningError as exc:
            raise UserError(
                sentence(translate(self.env, exc.args[0], "cchc_exchange", "cchc_esign"))
            ) from None
        try:
            report = pades.verify_pdf(stamped, roots, crls)
            state = pades.archive_state(stamped)
        except pki.SigningError as exc:
            raise UserError(
                sentence(translate(self.env, exc.args[0], "cchc_exchange", "cchc_esign"))
            ) from None
        if report.verdict != "valid" or state.timestamp is None:
            raise UserError(
                self.env._(
                    "The archived PDF would not be valid: %s",
                    translate(self.env, report.explanation, "cchc_exchange", "cchc_esign"),
                )
            )
        if state.due:
            # Its renewal would be due at once: the cron would stamp the document every day.
            raise UserError(
                self.env._(
                    "The certificate of the time-stamp authority %(tsa)s expires on %(date)s, "
                    "too soon for archiving: use a time-stamp authority with a renewed "
                    "certificate.",
                    tsa=state.tsa_name,
                    date=fields.Datetime.to_string(_naive(state.tsa_expires)),
                )
            )
        with unlocked(self):
            self.write(
                {
                    "pdf": base64.b64encode(stamped),
                    "archive_timestamp": _naive(state.timestamp),
                    "archive_tsa": state.tsa_name,
                    "archive_renew_by": _naive(state.renew_by),
                }
            )
        self._store_verification(report, stamped)
        self.message_post(
            body=self.env._(
                "Archived (PAdES B-LTA): document time-stamp of %(tsa)s at %(time)s UTC; "
                "the next one is due by %(renew)s UTC.",
                tsa=state.tsa_name,
                time=fields.Datetime.to_string(_naive(state.timestamp)),
                renew=fields.Datetime.to_string(_naive(state.renew_by)),
            )
        )
        return True


def _naive(moment):
    """A datetime as Odoo stores it: UTC, without time zone."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
