{
    "name": "CCHC Reform Index",
    "summary": "The yearly reform index of agencies (Chỉ số CCHC): criteria sets, self-assessment "
    "with evidence, appraisal by a council, ranking and improvement tasks",
    "version": "18.0.1.0.0",
    "category": "Administrative Reform",
    "website": "https://github.com/cchc-suite/cchc",
    "author": "CCHC Suite",
    "license": "LGPL-3",
    "depends": ["cchc_plan"],
    "external_dependencies": {"python": ["cchc-core", "openpyxl", "xlsxwriter"]},
    "data": [
        "security/cchc_assessment_security.xml",
        "security/ir.model.access.csv",
        "data/cchc_indicator_source_data.xml",
        "report/cchc_assessment_reports.xml",
        "report/cchc_assessment_report_templates.xml",
        "views/cchc_assessment_set_views.xml",
        "views/cchc_assessment_criterion_views.xml",
        "views/cchc_assessment_campaign_views.xml",
        "views/cchc_assessment_scorecard_views.xml",
        "views/cchc_assessment_score_views.xml",
        "views/cchc_assessment_log_views.xml",
        "wizards/cchc_assessment_adjust_views.xml",
        "wizards/cchc_assessment_set_import_views.xml",
        "wizards/cchc_assessment_improve_views.xml",
        "views/cchc_assessment_menus.xml",
    ],
    "demo": [
        "demo/cchc_assessment_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "cchc_assessment/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
