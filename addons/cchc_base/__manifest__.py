{
    "name": "CCHC Base",
    "summary": "Agencies, roles, reform areas, indicators and the Vietnamese working calendar "
    "for provincial administrative reform",
    "version": "18.0.1.0.0",
    "category": "Administrative Reform",
    "website": "https://github.com/cchc-suite/cchc",
    "author": "CCHC Suite",
    "license": "LGPL-3",
    "application": True,
    "depends": ["base", "mail", "resource", "report_xlsx"],
    "external_dependencies": {"python": ["cchc-core", "holidays", "xlsxwriter"]},
    "data": [
        "security/cchc_base_security.xml",
        "security/ir.model.access.csv",
        "data/resource_calendar_data.xml",
        "data/cchc_reform_area_data.xml",
        "data/cchc_agency_group_data.xml",
        "data/cchc_indicator_source_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_data.xml",
        "views/cchc_agency_views.xml",
        "views/cchc_agency_group_views.xml",
        "views/cchc_reform_area_views.xml",
        "views/cchc_indicator_views.xml",
        "views/cchc_holiday_views.xml",
        "views/res_users_views.xml",
        "views/cchc_base_menus.xml",
        "views/cchc_home_views.xml",
        "data/cchc_holiday_data.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "cchc_base/static/src/home/*",
            "cchc_base/static/src/fields/*",
        ],
        "web.assets_tests": [
            "cchc_base/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    # The company of the demo province only (see the file); every other demo record is in
    # cchc_demo.
    "demo": ["demo/res_company_demo.xml"],
    "installable": True,
}
