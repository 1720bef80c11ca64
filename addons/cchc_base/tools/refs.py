"""A record of the module's own data by its XML id, without a query.

``env.ref`` checks that the record still exists (one query per call, every request). The id
behind an XML id is cached by the registry, and deleting a record through the ORM deletes its
XML id and clears that cache, so the project's code on hot paths (a receipt, a form) takes the
id as it is.
"""


def data_record(env, xmlid):
    """The record of ``xmlid``, or None when the XML id is not in the database."""
    model, res_id = env["ir.model.data"]._xmlid_to_res_model_res_id(xmlid)
    return env[model].browse(res_id) if model and res_id else None
