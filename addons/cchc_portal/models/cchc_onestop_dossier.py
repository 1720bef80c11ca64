import hmac
import secrets

from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from odoo.addons.cchc_base.tools.protect import is_unlocked, unlocked
from odoo.addons.cchc_base.tools.refs import data_record

# No 0/O, 1/I/L: the secret is typed from a paper slip. 10 of 31 symbols ≈ 49.5 bits; with the
# lookup limit (cchc_portal.lookup_limit per address and window) guessing is hopeless.
SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SECRET_LENGTH = 10
ONLINE_LEVELS = [("full", "Fully online"), ("partial", "Partly online")]
# Written only by this addon's server code (inside ``unlocked``).
PORTAL_PROTECTED = frozenset(
    {"portal_secret", "portal_rating_token", "portal_partner_id", "portal_paper_step"}
)
# What the public tracking page shows of each state: nothing personal.
PUBLIC_STATES = ("received", "processing", "supplement", "resolved", "returned", "refused")
# The context value with which the portal's own controller says "answered online": an object a
# JSON-RPC client cannot send (it only marks the answer, it grants nothing).
ONLINE_ANSWER = object()


def new_secret():
    return "".join(secrets.choice(SECRET_ALPHABET) for _i in range(SECRET_LENGTH))


def normalise_secret(value):
    """What a person typed from the slip: spaces, dashes and case do not matter."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())[:32]


class CchcOnestopDossier(models.Model):
    """The public side of a dossier: the tracking secret of the receipt slip, the citizen
    account that filed it online, the rating link, and the notices sent to the applicant."""

    _inherit = "cchc.onestop.dossier"

    portal_secret = fields.Char(
        string="Tracking secret",
        readonly=True,
        copy=False,
        help="Printed on the receipt slip: with the dossier code it opens the public tracking "
        "page.",
    )
    portal_rating_token = fields.Char(readonly=True, copy=False, index="btree_not_null")
    portal_partner_id = fields.Many2one(
        "res.partner",
        string="Filed online by",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    portal_paper_step = fields.Boolean(
        string="A step on paper",
        readonly=True,
        copy=False,
        help="A supplement was handed in at the desk instead of online.",
    )
    portal_online_level = fields.Selection(
        ONLINE_LEVELS,
        string="Processed online",
        compute="_compute_portal_online_level",
        store=True,
        precompute=True,
        help="Fully online: filed online, every supplement answered online and the result "
        "returned as a file. Partly online: filed online, but a step happened on paper.",
    )
    portal_rating_id = fields.One2many("cchc.portal.rating", "dossier_id", string="Rating")

    @api.depends("channel", "portal_paper_step", "state", "result_attachment_ids")
    def _compute_portal_online_level(self):
        for dossier in self:
            if dossier.channel != "online":
                dossier.portal_online_level = False
            elif dossier.portal_paper_step or (
                dossier.state == "returned" and not dossier.result_attachment_ids
            ):
                dossier.portal_online_level = "partial"
            else:
                dossier.portal_online_level = "full"

    # ---------------------------------------------------------------- CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not is_unlocked(self):
            for vals in vals_list:
                if PORTAL_PROTECTED & {name for name, value in vals.items() if value}:
                    self._portal_refuse()
        return super().create(vals_list)

    def write(self, vals):
        if PORTAL_PROTECTED & set(vals) and not is_unlocked(self):
            self._portal_refuse()
        return super().write(vals)

    def _portal_refuse(self):
        raise AccessError(
            self.env._(
                "The tracking secret, the rating link and the citizen account of a dossier are "
                "set by the system only."
            )
        )

    # ---------------------------------------------------------------- transitions

    def _receive(self, skip_document_check=False, at=None):
        # A dossier filed online was received by the system when the citizen submitted it:
        # the clock counts from that moment (the next working period after hours), whenever
        # the desk gets to it.
        online = self.browse()
        if at is None:
            online = self.filtered(lambda d: d.channel == "online" and d.received_datetime)
        for dossier in online:
            super(CchcOnestopDossier, dossier)._receive(
                skip_document_check, at=dossier.received_datetime
            )
        res = super(CchcOnestopDossier, self - online)._receive(skip_document_check, at=at)
        self._portal_notify("cchc_portal.mail_template_dossier_received")
        return res

    def _receipt_vals(self):
        # The tracking secret of the slip, in the receipt's own UPDATE.
        vals = super()._receipt_vals()
        if not self.portal_secret:
            vals["portal_secret"] = new_secret()
        return vals

    def _refuse_at_receipt(self, reason, at=None):
        res = super()._refuse_at_receipt(reason, at)
        self._portal_notify("cchc_portal.mail_template_dossier_refused")
        return res

    def _request_supplement(self, reason, documents=False, at=None):
        res = super()._request_supplement(reason, documents, at)
        self._portal_notify("cchc_portal.mail_template_dossier_supplement")
        return res

    def _resume_after_supplement(self, at=None):
        online = self.env.context.get("cchc_portal_online_answer") is ONLINE_ANSWER
        res = super()._resume_after_supplement(at)
        if self.channel == "online" and not online:
            with unlocked(self):
                self.sudo().write({"portal_paper_step": True})
        return res

    def _apologise(self, reason, new_date, agency=None, at=None):
        res = super()._apologise(reason, new_date, agency, at)
        self._portal_notify("cchc_portal.mail_template_dossier_apology")
        return res

    def _resolve(self, result, note=False, at=None):
        res = super()._resolve(result, note, at)
        self._portal_notify("cchc_portal.mail_template_dossier_resolved")
        return res

    def _return(self, at=None):
        res = super()._return(at)
        with unlocked(self):
            for dossier in self.sudo().filtered(lambda d: not d.portal_rating_token):
                dossier.write({"portal_rating_token": secrets.token_urlsafe(24)})
        return res

    @api.model
    def _portal_backfill(self, batch=10_000):
        """Secrets for the dossiers received, and rating links for those returned, before the
        portal was installed (one UPDATE per batch: a province has a million dossiers)."""
        self.env.flush_all()
        cr = self.env.cr
        for column, where, make in (
            ("portal_secret", "state != 'draft'", new_secret),
            ("portal_rating_token", "state = 'returned'", lambda: secrets.token_urlsafe(24)),
        ):
            while True:
                cr.execute(
                    SQL(
                        "SELECT id FROM cchc_onestop_dossier WHERE %s IS NULL AND %s LIMIT %s",
                        SQL.identifier(column),
                        SQL(where),
                        batch,
                    )
                )
                ids = [row[0] for row in cr.fetchall()]
                if not ids:
                    break
                cr.execute(
                    SQL(
                        "UPDATE cchc_onestop_dossier d SET %s = v.value "
                        "FROM unnest(%s::int[], %s::text[]) AS v(id, value) WHERE d.id = v.id",
                        SQL.identifier(column),
                        ids,
                        [make() for _id in ids],
                    )
                )
        self.invalidate_model(["portal_secret", "portal_rating_token"])

    # ---------------------------------------------------------------- public reads

    @api.model
    def _portal_track(self, code, secret):
        """The dossier whose code and secret both match, or an empty recordset: a wrong code
        and a wrong secret are not told apart (the caller answers both alike)."""
        code = (code or "").strip().upper()[:64]
        secret = normalise_secret(secret)
        if not code or not secret:
            return self.browse()
        dossier = self.sudo().with_context(active_test=False).search([("name", "=", code)], limit=1)
        expected = dossier.portal_secret or new_secret()  # compare something either way
        if dossier and hmac.compare_digest(expected.encode(), secret.encode()):
            return dossier
        return self.browse()

    def _portal_timeline(self):
        """What the public may see of the dossier, oldest first: ``[(when, label, detail)]``."""
        self.ensure_one()
        fmt = self._format_moment
        events = []
        if self.received_datetime and self.state not in ("draft",):
            events.append(
                (
                    self.effective_received_datetime or self.received_datetime,
                    self.env._("Received"),
                    self.env._("Appointment: %(date)s", date=fmt(self.first_appointment_datetime)),
                )
            )
        for request in self.supplement_ids.sorted("requested_datetime"):
            events.append(
                (
                    request.requested_datetime,
                    self.env._("Supplement requested"),
                    "\n".join(filter(None, [request.reason, request.documents])),
                )
            )
            if request.received_datetime:
                events.append(
                    (
                        request.received_datetime,
                        self.env._("Supplement received"),
                        self.env._(
                            "New appointment: %(date)s", date=fmt(request.new_appointment_datetime)
                        ),
                    )
                )
        for letter in self.apology_ids.sorted("issued_datetime"):
            events.append(
                (
                    letter.issued_datetime,
                    self.env._("Apology letter: the result is late"),
                    self.env._(
                        "New date to return the result: %(date)s",
                        date=self._format_day(letter.new_date),
                    ),
                )
            )
        if self.resolved_datetime:
            events.append(
                (
                    self.resolved_datetime,
                    self.env._("Result ready"),
                    self.env._("The result can be collected."),
                )
            )
        if self.returned_datetime:
            events.append((self.returned_datetime, self.env._("Result returned"), ""))
        if self.state == "refused" and self.closed_datetime:
            events.append(
                (self.closed_datetime, self.env._("Refused at receipt"), self.refusal_reason or "")
            )
        if self.state in ("stopped", "withdrawn") and self.closed_datetime:
            events.append((self.closed_datetime, self._selection_label(self, "state"), ""))
        return sorted(events, key=lambda event: event[0])

    def _portal_track_url(self):
        """The tracking address printed as a QR code on the receipt slip."""
        self.ensure_one()
        query = url_encode({"ma": self.name or "", "bi_mat": self.sudo().portal_secret or ""})
        return f"{self.get_base_url()}/dvc/tra-cuu?{query}"

    def _portal_rating_url(self):
        self.ensure_one()
        token = self.sudo().portal_rating_token
        return f"{self.get_base_url()}/dvc/danh-gia/{token}" if token else ""

    @api.model
    def _portal_qr_src(self, value):
        """An image of ``value`` as a QR code (Odoo's barcode route, also for wkhtmltopdf)."""
        return "/report/barcode/?" + url_encode(
            {"barcode_type": "QR", "value": value, "width": 180, "height": 180}
        )

    def _portal_state_label(self):
        self.ensure_one()
        return self._selection_label(self, "state")

    # ---------------------------------------------------------------- indicators

    def _portal_share(self, domain, agencies, date_from, date_to, hit):
        """``{agency_id: % of the dossiers received in the period (and matching ``domain``)
        for which ``hit`` (a domain) holds}``."""
        base = [*self._received_domain(agencies, date_from, date_to), *domain]
        totals = dict(self.sudo()._read_group(base, ["agency_id"], ["__count"]))
        hits = dict(self.sudo()._read_group([*base, *hit], ["agency_id"], ["__count"]))
        return {
            agency.id: 100.0 * hits.get(agency, 0) / total
            for agency, total in totals.items()
            if total
        }

    @api.model
    def _cchc_indicator_portal_online_share(self, agencies, date_from, date_to):
        """Indicator source: % of the dossiers received in the period that were filed online."""
        return self._portal_share([], agencies, date_from, date_to, [("channel", "=", "online")])

    @api.model
    def _cchc_indicator_portal_full_level_share(self, agencies, date_from, date_to):
        """Indicator source: of the dossiers received for procedures offered fully online, %
        processed fully online (filed online, supplements online, result as a file)."""
        return self._portal_share(
            [("online_mode", "=", "full")],
            agencies,
            date_from,
            date_to,
            [("portal_online_level", "=", "full")],
        )

    @api.model
    def _cchc_indicator_portal_partial_level_share(self, agencies, date_from, date_to):
        """Indicator source: of the dossiers received for procedures offered partly online, %
        filed online."""
        return self._portal_share(
            [("online_mode", "=", "partial")],
            agencies,
            date_from,
            date_to,
            [("channel", "=", "online")],
        )

    @api.model
    def _cchc_indicator_qd766_online_points(self, agencies, date_from, date_to):
        """Indicator source: QĐ 766 online service points (of 22), see README."""
        Procedure = self.env["cchc.onestop.procedure"]
        offered = Procedure._portal_offered_shares(agencies)
        filed = self._portal_share(
            [("online_mode", "in", ("full", "partial"))],
            agencies,
            date_from,
            date_to,
            [("channel", "=", "online")],
        )
        return {
            agency_id: 22.0
            * (0.5 * offered.get(agency_id, 0.0) + 0.5 * filed.get(agency_id, 0.0))
            / 100.0
            for agency_id in set(offered) | set(filed)
        }

    @api.model
    def _cchc_indicator_qd766_satisfaction_points(self, agencies, date_from, date_to):
        """Indicator source: QĐ 766 satisfaction points (of 18): 18 × SIPAS overall / 100."""
        overall = self.env["cchc.portal.rating"]._cchc_indicator_sipas_overall(
            agencies, date_from, date_to
        )
        return {
            agency_id: dict(measure, factor=18.0, model="cchc.portal.rating")
            for agency_id, measure in overall.items()
        }

    # ---------------------------------------------------------------- notices

    def _portal_email(self):
        """Where the applicant is told: the e-mail given with the dossier, else the account's."""
        self.ensure_one()
        dossier = self.sudo()
        return dossier.applicant_id.email or dossier.portal_partner_id.email or False

    def _portal_notify(self, xmlid):
        """Queue the notice to the applicants who gave an address (one batch render)."""
        template = data_record(self.env, xmlid)
        if not template:
            return
        dossiers = self.sudo()
        dossiers.applicant_id.fetch(["email"])
        to_notify = dossiers.filtered(lambda d: d._portal_email())
        if to_notify:
            template.sudo().send_mail_batch(to_notify.ids)
