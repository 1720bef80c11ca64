{
    "name": "CCHC Document Exchange",
    "summary": "edXML exchange of documents between agencies and systems (QCVN 102:2016): "
    "delivery on queue_job, receipt, statuses, recall, hash-chained message log",
    "version": "18.0.1.0.0",
    "category": "Administrative Reform",
    "website": "https://github.com/cchc-suite/cchc",
    "author": "CCHC Suite",
    "license": "LGPL-3",
    "depends": ["cchc_esign", "queue_job"],
    "external_dependencies": {"python": ["cchc-core", "lxml", "requests", "cryptography"]},
    "data": [
        "security/cchc_exchange_security.xml",
        "security/ir.model.access.csv",
        "data/cchc_exchange_data.xml",
        "wizards/cchc_document_assign_views.xml",
        "wizards/cchc_edxml_import_views.xml",
        "views/cchc_exchange_views.xml",
        "views/cchc_exchange_menus.xml",
    ],
    "demo": ["demo/cchc_exchange_demo.xml"],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
