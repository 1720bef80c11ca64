from odoo import http
from odoo.http import content_disposition, request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CchcAssessmentController(http.Controller):
    """The ranking as XLSX, run as the user: record rules decide which scorecards appear."""

    @http.route("/cchc_assessment/campaign/<int:campaign_id>/xlsx", type="http", auth="user")
    def campaign_xlsx(self, campaign_id):
        campaign = request.env["cchc.assessment.campaign"].browse(campaign_id).exists()
        if not campaign:
            raise request.not_found()
        campaign.check_access("read")
        return request.make_response(
            campaign._xlsx_ranking(),
            headers=[
                ("Content-Type", XLSX),
                (
                    "Content-Disposition",
                    content_disposition(f"chi-so-cchc-{campaign.year}.xlsx"),
                ),
            ],
        )
