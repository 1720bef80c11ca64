{
    "name": "CCHC Budget",
    "summary": "State-budget lines for reform tasks: estimate, allocation, spending from "
    "accounting, guard, year-end settlement and carry-over",
    "version": "18.0.1.0.0",
    "category": "Administrative Reform",
    "website": "https://github.com/cchc-suite/cchc",
    "author": "CCHC Suite",
    "license": "LGPL-3",
    # A bridge: provinces that do not keep their accounts in Odoo run plans without it.
    "depends": ["cchc_plan", "account", "report_xlsx"],
    "external_dependencies": {"python": ["cchc-core"]},
    "data": [
        "security/cchc_budget_security.xml",
        "security/ir.model.access.csv",
        "data/res_users_data.xml",
        "data/account_analytic_plan_data.xml",
        "data/cchc_budget_code_data.xml",
        "views/cchc_budget_line_views.xml",
        "views/cchc_budget_code_views.xml",
        "views/cchc_budget_report_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/cchc_budget_settle_views.xml",
        "views/cchc_budget_menus.xml",
        "report/cchc_budget_reports.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "cchc_budget/static/src/analytic/*",
        ],
    },
    "installable": True,
}
