from cchc_core.text import fold


def test_fold_removes_diacritics_and_d():
    assert fold("Sở Nội vụ") == "so noi vu"
    assert fold("Đoàn ĐBQH") == "doan dbqh"


def test_fold_spacing_and_punctuation():
    assert fold("  Sở  TT & TT ") == fold("sở tt&tt") == "so tt&tt"
    assert fold("VP. UBND tỉnh") == fold("VP.UBND tỉnh") == "vp.ubnd tinh"


def test_fold_empty():
    assert fold(None) == ""
    assert fold("") == ""


def test_fold_keeps_distinct_names_distinct():
    assert fold("Sở Tư pháp") != fold("Sở Tài chính")
