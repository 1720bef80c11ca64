{
    "name": "CCHC Demo",
    "summary": "The demo province of the CCHC Suite: agencies, users, a demo CA, plans, budget, "
    "documents, dossiers, ratings and an assessment — installed by `make demo` only",
    "version": "18.0.1.0.0",
    "category": "Administrative Reform",
    "website": "https://github.com/cchc-suite/cchc",
    "author": "CCHC Suite",
    "license": "LGPL-3",
    "depends": [
        "cchc_base",
        "cchc_plan",
        "cchc_budget",
        "cchc_esign",
        "cchc_exchange",
        "cchc_onestop",
        "cchc_portal",
        "cchc_assessment",
    ],
    "external_dependencies": {"python": ["cchc-core", "cryptography"]},
    # Every record here is demo data: a production database (--without-demo) gets none of it.
    # In the order Odoo installed the addons that held them before (base → esign → exchange →
    # onestop → plan → budget → portal): each file builds on the ones before it, and the
    # figures measured along the way (indicators) stay those of that order. The assessment
    # comes last: its campaign measures this year's records, the portal's dossiers included.
    "demo": [
        "demo/res_company_demo.xml",
        "demo/cchc_agency_demo.xml",
        "demo/res_users_demo.xml",
        "demo/cchc_indicator_demo.xml",
        "demo/cchc_esign_demo.xml",
        "demo/cchc_exchange_demo.xml",
        "demo/cchc_onestop_demo.xml",
        "demo/cchc_plan_demo.xml",
        "demo/cchc_budget_demo.xml",
        "demo/cchc_portal_demo.xml",
        "demo/cchc_assessment_demo.xml",
    ],
    "installable": True,
}
