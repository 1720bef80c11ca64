from . import test_public, test_filing, test_indicators, test_access, test_kiosk, test_tour
