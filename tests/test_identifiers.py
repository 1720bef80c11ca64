import pytest

from cchc_core.identifiers import (
    IdentifierError,
    canonical,
    is_valid,
    parent_identifier,
    to_qcvn102,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H27.01", "H27.01"),
        ("000.00.01.H27", "H27.01"),
        ("000.00.00.H27", "H27"),
        ("H27", "H27"),
        (" h27.01.05 ", "H27.01.05"),
        ("001.05.01.H27", "H27.01.05.001"),
        ("H27.01.00.000", "H27.01"),
        ("G22.03", "G22.03"),
        ("000.05.00.H27", "H27.00.05"),
    ],
)
def test_canonical_accepts_both_shapes(text, expected):
    assert canonical(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("H27.01", "000.00.01.H27"), ("H27", "000.00.00.H27"), ("H27.01.05.001", "001.05.01.H27")],
)
def test_qcvn102_shape(text, expected):
    assert to_qcvn102(text) == expected
    assert canonical(to_qcvn102(text)) == canonical(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "H27.",
        "H2.01",
        "27.01",
        "H27.1",
        "H27.01.05.01",
        "H27.01.05.001.01",
        "000.00.01.27H",
        "00.00.01.H27",
        "H27..01",
        "Sở Nội vụ",
        "HH7.01",
    ],
)
def test_wrong_shapes_are_refused(text):
    assert not is_valid(text)
    with pytest.raises(IdentifierError):
        canonical(text)


def test_parent_identifier():
    assert parent_identifier("000.05.01.H27") == "H27.01"
    assert parent_identifier("H27.01") == "H27"
    assert parent_identifier("H27") is None
