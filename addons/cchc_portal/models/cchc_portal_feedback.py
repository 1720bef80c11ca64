from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.cchc_base.tools.protect import unlocked

FEEDBACK_KINDS = [("feedback", "Feedback"), ("proposal", "Proposal"), ("complaint", "Complaint")]
FEEDBACK_STATES = [("new", "Waiting for an answer"), ("answered", "Answered")]
# Working days the agency has to answer (the province may change it).
DEFAULT_ANSWER_DAYS = 10


class CchcPortalFeedback(models.Model):
    """Feedback and proposals of citizens and businesses (phản ánh, kiến nghị) on a procedure
    or a desk: the agency answers within a number of working days; the answer is published."""

    _name = "cchc.portal.feedback"
    _description = "Feedback and proposal"
    _inherit = ["cchc.protected.mixin", "mail.thread"]
    _order = "received_date desc, id desc"

    _cchc_protected_fields = frozenset(
        {
            "state",
            "received_date",
            "deadline_date",
            "answered_date",
            "answered_by_id",
            "on_time",
            "author_name",
            "author_email",
            "content",
        }
    )

    name = fields.Char(string="Subject", required=True)
    kind = fields.Selection(FEEDBACK_KINDS, required=True, default="feedback")
    agency_id = fields.Many2one("cchc.agency", required=True, index=True, ondelete="restrict")
    procedure_id = fields.Many2one("cchc.onestop.procedure", ondelete="set null")
    content = fields.Text(required=True, readonly=True)
    author_name = fields.Char(readonly=True)
    author_email = fields.Char(readonly=True, groups="cchc_base.group_cchc_user")
    state = fields.Selection(FEEDBACK_STATES, required=True, default="new", readonly=True)
    received_date = fields.Date(required=True, readonly=True, index=True)
    deadline_date = fields.Date(string="Answer due", readonly=True, index=True)
    answer = fields.Text()
    answered_date = fields.Date(readonly=True, index=True)
    answered_by_id = fields.Many2one("res.users", readonly=True)
    on_time = fields.Boolean(string="Answered on time", readonly=True)
    website_published = fields.Boolean(
        string="Published", compute="_compute_website_published", store=True
    )

    @api.depends("state")
    def _compute_website_published(self):
        for feedback in self:
            feedback.website_published = feedback.state == "answered"

    def _cchc_is_frozen(self):
        return self.state == "answered"

    # ---------------------------------------------------------------- actions

    def action_answer(self):
        """Publish the answer typed in the form (the agency's users and the coordinator)."""
        for feedback in self:
            feedback._check_answerer()
            if feedback.state != "new":
                raise UserError(self.env._("This feedback has been answered already."))
            if not (feedback.answer or "").strip():
                raise UserError(self.env._("Write the answer before publishing it."))
            today = fields.Date.context_today(feedback)
            with unlocked(self):
                feedback.write(
                    {
                        "state": "answered",
                        "answered_date": today,
                        "answered_by_id": self.env.uid,
                        "on_time": today <= feedback.deadline_date,
                    }
                )
        return True

    def _check_answerer(self):
        user = self.env.user
        if self.env.su or user.has_group("cchc_base.group_cchc_coordinator"):
            return
        if user.cchc_agency_id and user.cchc_agency_id == self.agency_id:
            return
        raise AccessError(self.env._("Only the agency concerned answers this feedback."))

    # ---------------------------------------------------------------- public

    @api.model
    def _portal_create(self, values):
        """A feedback sent from the public form; its answer deadline in working days."""
        for key, label in (
            ("name", self.env._("the subject")),
            ("content", self.env._("the content")),
            ("agency_id", self.env._("the agency")),
        ):
            if not values.get(key):
                raise UserError(self.env._("Give %(what)s.", what=label))
        clock = self.env["cchc.onestop.dossier"]._clock()
        today = clock.local_date(fields.Datetime.now())
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("cchc_portal.feedback_answer_days", DEFAULT_ANSWER_DAYS)
        )
        deadline = clock.calendar.add_working_days(today, days)
        with unlocked(self):
            return self.sudo().create(
                {
                    "name": values["name"].strip()[:200],
                    "kind": values.get("kind")
                    if values.get("kind") in dict(FEEDBACK_KINDS)
                    else "feedback",
                    "agency_id": values["agency_id"],
                    "procedure_id": values.get("procedure_id") or False,
                    "content": values["content"].strip()[:5000],
                    "author_name": (values.get("author_name") or "").strip()[:120] or False,
                    "author_email": (values.get("author_email") or "").strip()[:120] or False,
                    "received_date": today,
                    "deadline_date": deadline,
                }
            )

    # ---------------------------------------------------------------- indicators

    @api.model
    def _cchc_indicator_feedback_on_time(self, agencies, date_from, date_to):
        """Indicator source: % of the feedback due in the period answered by its deadline
        (one still unanswered past its deadline counts as late)."""
        counts = defaultdict(lambda: [0, 0])
        for feedback in self.sudo().search(
            [
                ("agency_id", "in", agencies.ids),
                ("deadline_date", ">=", date_from),
                ("deadline_date", "<=", date_to),
            ]
        ):
            counts[feedback.agency_id.id][1] += 1
            if feedback.state == "answered" and feedback.on_time:
                counts[feedback.agency_id.id][0] += 1
        return {agency_id: 100.0 * good / total for agency_id, (good, total) in counts.items()}
