{
    "name": "CCHC Documents and Digital Signatures",
    "summary": "Official documents and registers (Nghị định 30/2020), leader and agency "
    "signatures (PAdES), certificates and trust, verification",
    "version": "18.0.3.0.0",
    "category": "Administrative Reform",
    "website": "https://github.com/cchc-suite/cchc",
    "author": "CCHC Suite",
    "license": "LGPL-3",
    "depends": ["cchc_base", "report_xlsx"],
    "external_dependencies": {
        "python": ["cchc-core", "pyhanko", "pyhanko-certvalidator", "lxml", "requests"]
    },
    "data": [
        "security/cchc_esign_security.xml",
        "security/ir.model.access.csv",
        "data/cchc_document_type_data.xml",
        "wizards/cchc_document_sign_views.xml",
        "wizards/cchc_document_revoke_views.xml",
        "views/cchc_document_views.xml",
        "views/cchc_certificate_views.xml",
        "views/cchc_esign_menus.xml",
        "report/cchc_esign_reports.xml",
    ],
    "assets": {"web.assets_tests": ["cchc_esign/static/tests/tours/*.js"]},
    "installable": True,
}
