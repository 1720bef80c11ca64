{
    "name": "CCHC Plans",
    "summary": "Reform plans, tasks assigned to agencies, periodic reports, targets, plan import "
    "and XLSX",
    "version": "18.0.1.1.0",
    "category": "Administrative Reform",
    "website": "https://github.com/cchc-suite/cchc",
    "author": "CCHC Suite",
    "license": "LGPL-3",
    "application": True,
    "depends": ["cchc_base", "project"],
    "external_dependencies": {"python": ["openpyxl", "python-docx", "xlsxwriter"]},
    "data": [
        "security/cchc_plan_security.xml",
        "security/ir.model.access.csv",
        "data/mail_template_data.xml",
        "data/project_task_type_data.xml",
        "data/ir_cron_data.xml",
        "wizards/cchc_plan_import_views.xml",
        "wizards/cchc_plan_close_views.xml",
        "wizards/cchc_plan_report_reopen_views.xml",
        "wizards/cchc_task_change_views.xml",
        "views/cchc_plan_views.xml",
        "views/project_task_views.xml",
        "views/cchc_plan_report_views.xml",
        "views/cchc_plan_agency_stat_views.xml",
        "views/cchc_plan_menus.xml",
    ],
    "demo": [
        "demo/cchc_plan_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "cchc_plan/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
