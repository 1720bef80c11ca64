from . import cchc_onestop_report_receipt
