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
    # Every record here is demo data: a production database (--without-demo) gets none of it.
    "demo": [],
    "installable": True,
}
