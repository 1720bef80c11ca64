import base64
import binascii
import io
import zipfile

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.cchc_base.tools.translate import translate

from cchc_core import archives

MAX_FILE_MB = 50
# A ZIP of packages (a folder exported from another system, a hub's download): at most this
# many packages, and what check_archive allows once decompressed.
MAX_PACKAGES = 500
ZIP_LIMITS = archives.ArchiveLimits(
    max_total_bytes=4 * MAX_FILE_MB * 1024 * 1024, max_entries=MAX_PACKAGES
)
PACKAGE_SUFFIXES = (".edxml", ".xml")
ZIP_MAGIC = b"PK\x03\x04"
# Refusals listed one by one in the summary; the others are counted.
LISTED_REFUSALS = 10


class CchcEdxmlImport(models.TransientModel):
    """An edXML package received as a file (e-mail, USB), or a ZIP of packages: verified and
    registered like those that came through the exchange, the packages of a ZIP together."""

    _name = "cchc.edxml.import"
    _description = "Import an edXML package"

    package = fields.Binary(
        string="Package (.edxml or .zip)",
        required=True,
        help="One edXML package, or a ZIP archive of packages (.edxml or .xml files).",
    )
    package_name = fields.Char()
    partner_id = fields.Many2one(
        "cchc.exchange.partner",
        string="From the partner",
        help="The system the sending agency belongs to; empty for an agency of this system.",
    )

    def action_import(self):
        self.ensure_one()
        try:
            data = base64.b64decode(self.package, validate=True)
        except (binascii.Error, TypeError):
            raise UserError(self.env._("The file could not be read.")) from None
        if len(data) > MAX_FILE_MB * 1024 * 1024:
            raise UserError(self.env._("The file is larger than %s MB.", MAX_FILE_MB))
        named = self._packages(data)
        answers = (
            self.env["cchc.exchange.message"]
            .sudo()
            ._receive_many([package for _name, package in named], self.partner_id, "file")
        )
        if not data.startswith(ZIP_MAGIC):
            return self._notify_one(answers[0])
        return self._notify_many(named, answers)

    def _packages(self, data):
        """``(name, package)``: the file itself, or the packages of a ZIP in name order."""
        if not data.startswith(ZIP_MAGIC):
            return [(self.package_name or "", data)]
        try:
            archives.check_archive(data, UserError, ZIP_LIMITS)
        except UserError as exc:
            raise UserError(
                self.env._(
                    "The ZIP archive was refused: %s",
                    translate(self.env, exc.args[0], "cchc_base", "cchc_exchange"),
                )
            ) from None
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = sorted(
                (
                    info
                    for info in archive.infolist()
                    if not info.is_dir() and info.filename.lower().endswith(PACKAGE_SUFFIXES)
                ),
                key=lambda info: info.filename,
            )
            if not infos:
                raise UserError(self.env._("The ZIP archive holds no .edxml or .xml package."))
            return [(info.filename, archive.read(info)) for info in infos]

    def _notify(self, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": kind,
                "sticky": kind != "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _notify_one(self, answer):
        if answer["result"] == "refused":
            return self._notify(
                self.env._("The package was refused: %s", answer["reason"]), "danger"
            )
        if answer["result"] == "duplicate":
            return self._notify(
                self.env._("This package was already received and registered."), "warning"
            )
        return self._notify(self.env._("The package was verified and registered."), "success")

    def _notify_many(self, named, answers):
        counts = {"accepted": 0, "duplicate": 0, "refused": 0}
        refused = []
        for (name, _package), answer in zip(named, answers, strict=True):
            counts[answer["result"]] += 1
            if answer["result"] == "refused":
                refused.append(f"{name}: {answer['reason']}")
        message = self.env._(
            "%(total)s packages: %(accepted)s verified and registered, %(duplicate)s already "
            "received, %(refused)s refused.",
            total=len(named),
            **counts,
        )
        if refused:
            # One line of text in the notification: the refusals after the counts.
            listed = refused[:LISTED_REFUSALS]
            if len(refused) > LISTED_REFUSALS:
                listed.append(self.env._("… and %s more.", len(refused) - LISTED_REFUSALS))
            message = " — ".join([message, "; ".join(listed)])
        kind = "danger" if counts["refused"] else "warning" if counts["duplicate"] else "success"
        return self._notify(message, kind)
