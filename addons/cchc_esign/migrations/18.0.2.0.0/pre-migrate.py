"""The exchange moved to its own addon, cchc_exchange (issue 14).

Update with ``-u cchc_esign -i cchc_exchange`` in one command: the models, tables and columns
stay and cchc_exchange takes them over. The records kept across updates (record rules,
indicator sources: noupdate) change owner here, so that cchc_exchange finds them instead of
making a second copy (an indicator source's code is unique).
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


def migrate(cr, version):
    cr.execute(
        "UPDATE ir_model_data SET module = 'cchc_exchange' WHERE module = 'cchc_esign' "
        "AND name IN %s",
        [MOVED],
    )
