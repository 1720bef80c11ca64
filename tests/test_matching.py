"""Tests for cchc_core.matching (agency names as plans write them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc_core.appendix import parse_text
from cchc_core.matching import AgencyMatcher, Candidate, Match

BENTRE = (
    Path(__file__).parent.parent / "addons" / "cchc_demo" / "demo" / "bentre_1365_appendix.txt"
).read_text("utf-8")

PROVINCE = [
    Candidate("stttt", ("Sở Thông tin và Truyền thông", "Sở TT&TT")),
    Candidate("vp", ("Văn phòng UBND tỉnh", "VP.UBND tỉnh", "VP UBND tỉnh")),
    Candidate("snv", ("Sở Nội vụ",)),
    Candidate("skhcn", ("Sở Khoa học và Công nghệ", "Sở KH&CN")),
    Candidate("all_depts", ("Các sở, ban, ngành tỉnh",)),
    Candidate("districts", ("UBND cấp huyện",)),
    Candidate("communes", ("UBND cấp xã",)),
]


@pytest.fixture(scope="module")
def matcher() -> AgencyMatcher:
    return AgencyMatcher(PROVINCE)


def keys(matches: list[Match]) -> list[object]:
    return [m.key for m in matches]


# --------------------------------------------------------------------------------------------
# Bến Tre cells


def test_two_names_back_to_back(matcher):
    assert matcher.split_cell("Sở TT&TT VP.UBND tỉnh") == ["Sở TT&TT", "VP.UBND tỉnh"]
    matches = matcher.match_cell("Sở TT&TT VP.UBND tỉnh")
    assert keys(matches) == ["stttt", "vp"]
    assert [(m.how, m.score) for m in matches] == [("exact", 1.0), ("exact", 1.0)]


def test_bullet_list_cell(matcher):
    cell = "- Các sở, ban, ngành tỉnh;\n- UBND cấp huyện;\n- UBND cấp xã."
    assert matcher.split_cell(cell) == ["Các sở, ban, ngành tỉnh", "UBND cấp huyện", "UBND cấp xã"]
    assert keys(matcher.match_cell(cell)) == ["all_depts", "districts", "communes"]


def test_comma_inside_group_name_does_not_split(matcher):
    cell = "Các sở, ban, ngành tỉnh, UBND cấp huyện và UBND cấp xã"
    assert matcher.split_cell(cell) == ["Các sở, ban, ngành tỉnh", "UBND cấp huyện", "UBND cấp xã"]
    assert keys(matcher.match_cell(cell)) == ["all_depts", "districts", "communes"]


def test_every_bentre_agency_cell(matcher):
    appendix = parse_text(BENTRE)
    leads = [keys(matcher.match_cell(row.lead)) for row in appendix.rows]
    assert leads == [
        ["stttt", "vp"],
        ["snv"],
        ["stttt"],
        ["stttt", "vp"],
        ["snv"],
        ["stttt"],
        ["skhcn"],
        [None],  # Sở Tư pháp is not among the candidates
        ["snv"],
        ["snv"],
        ["stttt", "vp"],
    ]
    coordinating = [matcher.match_cell(row.coordinating) for row in appendix.rows]
    assert keys(coordinating[0]) == ["all_depts", "districts", "communes"]
    assert keys(coordinating[9]) == ["all_depts", "districts"]
    # Row 2 names particular districts and communes: left for the user to map.
    assert [(m.text, m.key) for m in coordinating[1]] == [
        ("Các sở, ban, ngành tỉnh", "all_depts"),
        ("UBND huyện Mỏ Cày Bắc, thành phố Bến Tre", None),
        ("UBND xã Tân Phú Tây, phường An Hội", None),
    ]


# --------------------------------------------------------------------------------------------
# Exact and fuzzy


@pytest.mark.parametrize("text", ["Sở Nôi vụ", "So Noi vu", "SỞ NỘI VỤ", "  Sở  Nội vụ. "])
def test_folded_spellings_are_exact(matcher, text):
    match = matcher.match(text)
    assert (match.key, match.how, match.score, match.text) == ("snv", "exact", 1.0, text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Văn phòng Ủy ban nhân dân tỉnh", "vp"),  # long form of the known "UBND"
        ("VPUBND tỉnh", "vp"),
        ("VP. UBND tỉnh", "vp"),
        ("Sở KH & CN", "skhcn"),
        ("Sở khoa hoc va cong nghe", "skhcn"),
    ],
)
def test_spacing_punctuation_and_long_forms_are_exact(matcher, text, key):
    match = matcher.match(text)
    assert (match.key, match.how) == (key, "exact")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Sở Nội vuj", "snv"),
        ("Sở Khoa học và Công ngệ", "skhcn"),
        ("Sở Thông tin và Truyền thôn", "stttt"),
        ("Các sở, ban, ngành", "all_depts"),
    ],
)
def test_typos_match_fuzzily(matcher, text, key):
    match = matcher.match(text)
    assert (match.key, match.how) == (key, "fuzzy")
    assert 0.85 <= match.score < 1.0
    assert key not in [k for k, _ in match.alternatives]


def test_unknown_agency_is_unmatched_with_alternatives(matcher):
    match = matcher.match("Sở Giao thông vận tải")
    assert (match.key, match.how, match.score) == (None, "none", 0.0)
    assert match.alternatives
    assert len(match.alternatives) <= 3
    scores = [score for _, score in match.alternatives]
    assert scores == sorted(scores, reverse=True)
    assert all(0.5 <= score < 0.85 for score in scores)
    assert match.alternatives[0][0] == "stttt"  # "Sở … thông …" is the closest


def test_extra_word_is_not_fuzzed_away(matcher):
    # 0.86 by characters alone, but "UBND tỉnh" is not the office of "VP UBND tỉnh".
    match = matcher.match("UBND tỉnh")
    assert match.key is None
    assert ("vp", 0.8) in match.alternatives


def test_threshold_is_respected():
    strict = AgencyMatcher(PROVINCE, fuzzy_threshold=0.99)
    match = strict.match("Sở Nội vuj")
    assert (match.key, match.how) == (None, "none")
    assert match.alternatives[0] == ("snv", 0.933)
    assert strict.match("Sở Nội vụ").key == "snv"


def test_same_name_for_two_candidates():
    matcher = AgencyMatcher(
        [Candidate(1, ("Phòng Tư pháp", "Phòng TP")), Candidate(2, ("Phòng Tư pháp",))]
    )
    match = matcher.match("phòng tư pháp")
    assert (match.key, match.alternatives) == (1, [(2, 1.0)])


def test_empty_inputs(matcher):
    assert matcher.split_cell("") == []
    assert matcher.split_cell(" - ;\n. ") == []
    match = matcher.match("")
    assert (match.key, match.how, match.alternatives) == (None, "none", [])
    assert AgencyMatcher([]).match("Sở Nội vụ").how == "none"


def test_results_are_independent_copies(matcher):
    first = matcher.match("Sở Giao thông vận tải")
    first.alternatives.clear()
    assert matcher.match("Sở Giao thông vận tải").alternatives


# --------------------------------------------------------------------------------------------
# Splitting


@pytest.mark.parametrize(
    ("cell", "fragments"),
    [
        (
            "Sở Nội vụ và các cơ quan, đơn vị có liên quan",
            ["Sở Nội vụ", "các cơ quan, đơn vị có liên quan"],
        ),
        ("Sở Giao thông vận tải, Sở Xây dựng", ["Sở Giao thông vận tải", "Sở Xây dựng"]),
        ("Sở Văn hóa, Thể thao và Du lịch", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Sở Tài chính Sở Xây dựng", ["Sở Tài chính", "Sở Xây dựng"]),
        ("Sở Tài chính UBND cấp huyện", ["Sở Tài chính", "UBND cấp huyện"]),
        ("Sở TT&TT, Sở Nội vụ và Sở KH&CN.", ["Sở TT&TT", "Sở Nội vụ", "Sở KH&CN"]),
        ("UBND cấp huyện,UBND cấp xã", ["UBND cấp huyện", "UBND cấp xã"]),
        ("+ UBND các huyện, thị xã, thành phố;", ["UBND các huyện, thị xã, thành phố"]),
        ("Sở Nội vụ\r\nVăn phòng UBND tỉnh", ["Sở Nội vụ", "Văn phòng UBND tỉnh"]),
    ],
)
def test_split_cell(matcher, cell, fragments):
    assert matcher.split_cell(cell) == fragments


def test_unknown_office_before_known_name_stays_whole():
    # Only "UBND tỉnh" is known: "Văn phòng" alone is not an agency, so nothing splits.
    matcher = AgencyMatcher([Candidate("ubnd", ("UBND tỉnh",))])
    assert matcher.split_cell("Văn phòng UBND tỉnh") == ["Văn phòng UBND tỉnh"]
    assert matcher.match("Văn phòng UBND tỉnh").key is None


def test_noise_fragment_is_unmatched(matcher):
    noise = matcher.match_cell("Sở Nội vụ và các cơ quan, đơn vị có liên quan")[1]
    assert (noise.text, noise.key, noise.how) == ("các cơ quan, đơn vị có liên quan", None, "none")


def test_many_rows(matcher):
    # 2,000 rows of the Bến Tre kind through one matcher: repeated cells come from the cache.
    cells = [f"Sở TT&TT VP.UBND tỉnh; Sở Nội vụ; Sở số {n % 50}" for n in range(2000)]
    results = [matcher.match_cell(cell) for cell in cells]
    assert all(keys(r)[:3] == ["stttt", "vp", "snv"] for r in results)
    assert {r[3].how for r in results} == {"none"}


# --------------------------------------------------------------------------------------------
# Fuzz


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=120),
        st.lists(
            st.sampled_from(
                [
                    "Sở",
                    "TT&TT",
                    "VP.UBND",
                    "tỉnh",
                    "Nội",
                    "vụ",
                    ",",
                    ";",
                    "và",
                    "-",
                    "\n",
                    "Các sở, ban, ngành tỉnh",
                    "UBND cấp xã",
                    " ",
                    ".",
                ]
            ),  # fmt: skip
            max_size=30,
        ).map(" ".join),
    )
)
def test_fuzz_split_and_match(matcher, cell):
    for match in matcher.match_cell(cell):
        assert match.text.strip()
        assert 0.0 <= match.score <= 1.0
        assert (match.key is None) == (match.how == "none")
        if match.how == "fuzzy":
            assert match.score >= matcher.fuzzy_threshold
        assert all(other != match.key for other, _ in match.alternatives)
