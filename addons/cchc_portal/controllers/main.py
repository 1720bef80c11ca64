import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.cchc_base.tools.province_lang import province_lang

from ..models.cchc_portal_rating import FACTORS

PAGE_SIZE = 50
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CchcPortal(http.Controller):
    """The public addresses of the portal (kept stable: slips and QR codes link to them).

    Public routes read through ``sudo()`` only what is published (procedures) or what a secret
    unlocks (a dossier by code and secret, a rating by its token); everything else is behind
    ``auth="user"`` and the owner's check."""

    # ---------------------------------------------------------------- helpers

    def _lang(self):
        lang = province_lang(request.env)
        if request.env.lang != lang:
            request.update_context(lang=lang)

    def _render(self, template, values=None, status=200):
        self._lang()
        values = dict(values or {}, cchc_portal=True, no_breadcrumbs=True)
        return request.render(template, values, status=status)

    def _address(self):
        return request.httprequest.remote_addr or "-"

    def _limited(self, kind):
        """The 429 page when this address has used up its requests of ``kind``."""
        if request.env["cchc.portal.rate.limit"].sudo()._hit(kind, self._address()):
            return None
        response = self._render("cchc_portal.page_too_many", {}, status=429)
        response.headers["Retry-After"] = str(
            request.env["cchc.portal.rate.limit"].sudo()._limits(kind)[1]
        )
        return response

    def _procedure(self, code):
        procedure = request.env["cchc.onestop.procedure"].sudo()._portal_get(code)
        if not procedure:
            raise NotFound()
        return procedure

    # ---------------------------------------------------------------- catalogue

    @http.route("/dvc", type="http", auth="public", methods=["GET"], readonly=True, website=True)
    def home(self, **kw):
        self._lang()
        Procedure = request.env["cchc.onestop.procedure"].sudo()
        fields_count = Procedure._read_group(
            Procedure._portal_domain(), ["field_id"], ["__count"], order="field_id"
        )
        return self._render(
            "cchc_portal.page_home",
            {"fields_count": [(f, c) for f, c in fields_count if f]},
        )

    @http.route(
        "/dvc/thu-tuc", type="http", auth="public", methods=["GET"], readonly=True, website=True
    )
    def catalogue(self, q="", linh_vuc="", co_quan="", truc_tuyen="", trang="1", **kw):
        self._lang()
        Procedure = request.env["cchc.onestop.procedure"].sudo()
        field = request.env["cchc.onestop.field"].sudo().browse()
        if linh_vuc.isdigit():
            field = field.browse(int(linh_vuc)).exists()
        agency = request.env["cchc.agency"].sudo().browse()
        if co_quan:
            agency = agency.search([("identifier", "=", co_quan.strip()[:64])], limit=1)
        page = max(1, int(trang)) if trang.isdigit() else 1
        q = (q or "")[:200]
        procedures, total = Procedure._portal_search(
            q,
            field_id=field.id,
            agency_id=agency.id,
            online=bool(truc_tuyen),
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
        return self._render(
            "cchc_portal.page_catalogue",
            {
                "q": q,
                "field": field,
                "agency": agency,
                "online": bool(truc_tuyen),
                "procedures": procedures,
                "total": total,
                "page": page,
                "pages": max(1, -(-total // PAGE_SIZE)),
                "all_fields": request.env["cchc.onestop.field"].sudo().search([]),
            },
        )

    @http.route(
        "/dvc/thu-tuc/<string:code>",
        type="http",
        auth="public",
        methods=["GET"],
        readonly=True,
        website=True,
    )
    def procedure(self, code, **kw):
        self._lang()
        procedure = self._procedure(code)
        return self._render("cchc_portal.page_procedure", {"procedure": procedure})

    @http.route(
        "/dvc/thu-tuc/<string:code>/mau/<int:document_id>",
        type="http",
        auth="public",
        methods=["GET"],
        readonly=True,
        website=True,
    )
    def procedure_form(self, code, document_id, **kw):
        self._lang()
        procedure = self._procedure(code)
        document = procedure.document_ids.filtered(lambda d: d.id == document_id)
        attachment = document.form_attachment_id
        if not attachment:
            raise NotFound()
        return (
            request.env["ir.binary"]
            ._get_stream_from(attachment.sudo())
            .get_response(as_attachment=True)
        )

    # ---------------------------------------------------------------- tracking

    @http.route("/dvc/tra-cuu", type="http", auth="public", methods=["GET", "POST"], website=True)
    def track(self, ma="", bi_mat="", **kw):
        self._lang()
        if not ma and not bi_mat:
            return self._render("cchc_portal.page_track", {"asked": False})
        limited = self._limited("lookup")
        if limited:
            return limited
        dossier = request.env["cchc.onestop.dossier"].sudo()._portal_track(ma, bi_mat)
        if not dossier or dossier.state == "draft":
            # A wrong code and a wrong secret: the same page, the same status.
            return self._render("cchc_portal.page_track", {"asked": True}, status=404)
        return self._render("cchc_portal.page_track", {"asked": True, "dossier": dossier})

    # ---------------------------------------------------------------- sign-up

    @http.route("/dvc/dang-ky", type="http", auth="public", methods=["GET", "POST"], website=True)
    def signup(self, name="", email="", **kw):
        self._lang()
        if request.httprequest.method != "POST":
            return self._render("cchc_portal.page_signup", {})
        limited = self._limited("signup")
        if limited:
            return limited
        name, email = (name or "").strip()[:120], (email or "").strip().lower()[:120]
        if not name or not _EMAIL.match(email):
            return self._render(
                "cchc_portal.page_signup",
                {"error": True, "name": name, "email": email},
                status=400,
            )
        request.env["res.users"].sudo()._cchc_portal_signup(name, email)
        # The same answer whether the address had an account or not.
        return self._render("cchc_portal.page_signup", {"sent": True, "email": email})

    # ---------------------------------------------------------------- online filing

    @http.route(
        "/dvc/nop/<string:code>", type="http", auth="user", methods=["GET", "POST"], website=True
    )
    def file_online(self, code, **kw):
        self._lang()
        procedure = self._procedure(code)
        if not procedure.portal_online_filing:
            raise NotFound()
        Submission = request.env["cchc.portal.submission"]
        partner = request.env.user.partner_id
        draft = Submission._portal_draft(partner, procedure)
        values = {"procedure": procedure, "submission": draft}
        if request.httprequest.method == "POST":
            limited = self._limited("filing")
            if limited:
                return limited
            files = {}
            for key, storage in request.httprequest.files.items():
                if key.startswith("file_") and key[5:].isdigit() and storage.filename:
                    files[int(key[5:])] = (storage.filename, storage.read())
            try:
                with request.env.cr.savepoint():
                    draft._portal_save(kw, files)
                    if kw.get("action") == "submit":
                        draft._portal_submit()
            except (UserError, ValidationError) as exc:
                request.env.invalidate_all()
                values.update(error=exc.args[0])
                return self._render("cchc_portal.page_file", values, status=400)
            if kw.get("action") == "submit":
                return request.redirect(f"/my/ho-so/{draft.id}?nop=1")
            values["saved"] = True
        return self._render("cchc_portal.page_file", values)

    # ---------------------------------------------------------------- my dossiers

    def _my_submission(self, submission_id):
        submission = request.env["cchc.portal.submission"].sudo().browse(submission_id).exists()
        if not submission or submission.partner_id != request.env.user.partner_id:
            raise NotFound()
        return submission

    @http.route("/my/ho-so", type="http", auth="user", methods=["GET"], website=True)
    def my_dossiers(self, **kw):
        self._lang()
        submissions = (
            request.env["cchc.portal.submission"]
            .sudo()
            .search([("partner_id", "=", request.env.user.partner_id.id)])
        )
        return self._render("cchc_portal.page_my_list", {"submissions": submissions})

    @http.route(
        "/my/ho-so/<int:submission_id>", type="http", auth="user", methods=["GET"], website=True
    )
    def my_dossier(self, submission_id, **kw):
        self._lang()
        submission = self._my_submission(submission_id)
        return self._render(
            "cchc_portal.page_my_dossier",
            {"submission": submission, "dossier": submission.dossier_id, "sent": kw.get("nop")},
        )

    @http.route(
        "/my/ho-so/<int:submission_id>/bo-sung",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def my_supplement(self, submission_id, note="", **kw):
        self._lang()
        submission = self._my_submission(submission_id)
        limited = self._limited("filing")
        if limited:
            return limited
        files = [
            (storage.filename, storage.read())
            for storage in request.httprequest.files.getlist("files")
            if storage.filename
        ]
        try:
            with request.env.cr.savepoint():
                request.env["cchc.portal.submission"]._portal_answer_supplement(
                    submission.dossier_id, note, files
                )
        except (UserError, ValidationError) as exc:
            request.env.invalidate_all()
            return self._render(
                "cchc_portal.page_my_dossier",
                {
                    "submission": submission,
                    "dossier": submission.dossier_id,
                    "error": exc.args[0],
                },
                status=400,
            )
        return request.redirect(f"/my/ho-so/{submission.id}")

    # ---------------------------------------------------------------- satisfaction

    def _rated_dossier(self, token):
        if not token or len(token) > 64:
            raise NotFound()
        dossier = (
            request.env["cchc.onestop.dossier"]
            .sudo()
            .search([("portal_rating_token", "=", token)], limit=1)
        )
        if not dossier or dossier.state != "returned":
            raise NotFound()
        return dossier

    @http.route(
        "/dvc/danh-gia/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
    )
    def rate(self, token, quay="", **kw):
        self._lang()
        dossier = self._rated_dossier(token)
        Rating = request.env["cchc.portal.rating"]
        factors = [
            (name, Rating._fields[name]._description_string(request.env)) for name, _l in FACTORS
        ]
        values = {"dossier": dossier, "token": token, "factors": factors, "quay": quay[:64]}
        if dossier.portal_rating_id:
            return self._render("cchc_portal.page_rate", dict(values, done=True))
        if request.httprequest.method == "POST":
            limited = self._limited("rating")
            if limited:
                return limited
            channel = "kiosk" if quay else "online"
            try:
                with request.env.cr.savepoint():
                    request.env["cchc.portal.rating"]._portal_rate(
                        dossier, kw, kw.get("comment"), channel
                    )
            except UserError as exc:
                return self._render("cchc_portal.page_rate", dict(values, error=exc.args[0]), 400)
            return self._render("cchc_portal.page_rate", dict(values, done=True, thanks=True))
        return self._render("cchc_portal.page_rate", values)

    @http.route(
        "/dvc/quay/<string:identifier>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
    )
    def kiosk(self, identifier, ma="", bi_mat="", **kw):
        self._lang()
        agency = (
            request.env["cchc.agency"]
            .sudo()
            .search([("identifier", "=", (identifier or "")[:64])], limit=1)
        )
        if not agency:
            raise NotFound()
        values = {"agency": agency}
        if request.httprequest.method == "POST":
            limited = self._limited("lookup")
            if limited:
                return limited
            dossier = request.env["cchc.onestop.dossier"].sudo()._portal_track(ma, bi_mat)
            if dossier and dossier.agency_id == agency and dossier.state == "returned":
                return request.redirect(
                    f"/dvc/danh-gia/{dossier.portal_rating_token}?quay={agency.identifier}"
                )
            return self._render("cchc_portal.page_kiosk", dict(values, not_found=True), 404)
        return self._render("cchc_portal.page_kiosk", values)

    # ---------------------------------------------------------------- feedback

    @http.route("/dvc/phan-anh", type="http", auth="public", methods=["GET", "POST"], website=True)
    def feedback(self, **kw):
        self._lang()
        Feedback = request.env["cchc.portal.feedback"].sudo()
        values = {
            "answered": Feedback.search([("website_published", "=", True)], limit=30),
            "agencies": request.env["cchc.agency"]
            .sudo()
            .search([("identifier", "!=", False)], order="name"),
        }
        if request.httprequest.method == "POST":
            limited = self._limited("feedback")
            if limited:
                return limited
            agency = values["agencies"].filtered(lambda a: str(a.id) == kw.get("agency_id"))
            try:
                with request.env.cr.savepoint():
                    Feedback._portal_create(dict(kw, agency_id=agency.id, procedure_id=False))
            except UserError as exc:
                return self._render(
                    "cchc_portal.page_feedback", dict(values, error=exc.args[0]), 400
                )
            values["sent"] = True
        return self._render("cchc_portal.page_feedback", values)
