from odoo import models


class QueueJob(models.Model):
    _inherit = "queue.job"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "failed":
            # A delivery that will not be tried again: shown where the clerk works.
            for job in self.filtered(
                lambda j: j.model_name == "cchc.exchange.message" and j.method_name == "_deliver"
            ):
                job.records.exists()._on_delivery_failed(exc_message=job.exc_message)
        return result
