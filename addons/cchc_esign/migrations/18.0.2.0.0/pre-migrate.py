"""The exchange moved to its own addon, cchc_exchange (issue 14).

Update with ``-u cchc_esign -i cchc_exchange`` in one command: the models, tables and columns
stay and cchc_exchange takes them over. The records kept across updates (record rules,
indicator sources: noupdate) change owner here, so that cchc_exchange finds them instead of
making a second copy (an indicator source's code is unique). The exchange's views go: the
document form would otherwise be checked, while cchc_esign updates, against buttons that only
cchc_exchange defines; cchc_exchange makes them again.
"""

MOVED = (
    "cchc_exchange_message_rule_clerk",
    "cchc_exchange_message_rule_manager",
    "cchc_document_dispatch_rule_user",
    "cchc_document_dispatch_rule_leader",
    "cchc_document_dispatch_rule_manager",
    "indicator_source_outgoing_electronic",
    "indicator_source_outgoing_signed",
    "indicator_source_incoming_on_time",
)


VIEWS = (
    "cchc_document_assign_view_form",
    "cchc_edxml_import_view_form",
    "cchc_document_view_form_exchange",
    "cchc_document_view_search_exchange",
    "cchc_agency_view_form_exchange",
    "cchc_exchange_partner_view_list",
    "cchc_exchange_partner_view_form",
    "cchc_exchange_key_view_list",
    "cchc_exchange_key_view_form",
    "cchc_exchange_message_view_list",
    "cchc_exchange_message_view_form",
    "cchc_exchange_message_view_search",
)


def migrate(cr, version):
    cr.execute(
        "DELETE FROM ir_ui_view WHERE id IN (SELECT res_id FROM ir_model_data "
        "WHERE module = 'cchc_esign' AND model = 'ir.ui.view' AND name IN %s)",
        [VIEWS],
    )
    cr.execute(
        "DELETE FROM ir_model_data WHERE module = 'cchc_esign' AND model = 'ir.ui.view' "
        "AND name IN %s",
        [VIEWS],
    )
    cr.execute(
        "UPDATE ir_model_data SET module = 'cchc_exchange' WHERE module = 'cchc_esign' "
        "AND name IN %s",
        [MOVED],
    )
