"""Best effort for an appendix whose table a PDF viewer flattened to text."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cchc_core.appendix.model import (
    ROLES,
    Appendix,
    AppendixError,
    AppendixRow,
    NoHeader,
    check_rows,
    check_text,
)
from cchc_core.messages import Message
from cchc_core.tables import (
    normalise_text,
)
from cchc_core.text import fold

_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(slots=True)
class _Tok:
    text: str
    line: int
    gap: int  # spaces before the token; 99 at a line start
    joined: bool  # only no-break spaces before it: the same line of the same cell
    key: str  # folded letters and digits only
    word: str  # lower case with accents, surrounding punctuation stripped
    cont: bool = False  # continues the previous token's cell line (set once the text is known)


_PAGE_LINE = re.compile(r"^\s{0,8}(\d{1,4})\.\s(.*)$")
_WORD_PUNCT = ",.;:()[]\"'“”"
_HEADER_VOCAB = {
    "stt", "tt", "so", "noi", "dung", "nhiem", "vu", "co", "quan", "chu", "tri", "phoi", "hop",
    "thoi", "gian", "han", "hoan", "thanh", "ghi", "san", "pham", "ket", "qua", "don", "vi",
    "thuc", "hien", "tien", "do", "du", "kien",
}  # fmt: skip
# A number after these words is a reference ("Nghị quyết số 18"), not an STT. Accents matter:
# "số 18" is a reference, "các sở, 9" is not.
_REF_WORDS = {"số", "độ", "khoản", "điểm", "điều", "mục", "chương"}
# A capitalised word after these continues a name ("Sở Giáo dục và Đào tạo", "theo Kế hoạch").
_NAME_LINKS = {"và", "của", "với", "theo", "tại", "cho", "thuộc"}
_ROMANS = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
]  # fmt: skip
_AGENCY_STARTS = (
    ("so",), ("cac", "so"), ("ubnd",), ("uy", "ban"), ("van", "phong"), ("vpubnd",),
    ("trung", "tam"), ("cac", "co", "quan"), ("co", "quan"), ("cac", "don", "vi"), ("don", "vi"),
    ("ban", "chi", "dao"), ("dai",), ("bao",), ("buu", "dien"), ("nganh",), ("quan",),
    ("cap", "huyen"), ("cap", "xa"), ("cap", "tinh"),
    ("huyen",), ("xa",), ("tinh",), ("thong",), ("va", "cac"), ("hoi", "dong"), ("cong", "an"),
    ("thanh", "tra"), ("kho", "bac"), ("co", "lien", "quan"), ("lien", "quan"),
)  # fmt: skip
_AGENCY_WORDS = ("cap huyen", "cap xa", "lien quan", "ubnd", "truyen thong", "dau tu")
_COMPLETION_STARTS = (("trong", "nam"), ("quy",), ("hang", "quy"), ("cuoi", "nam"))
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_QUARTER = re.compile(r"^(?:i|ii|iii|iv|[1-4])$")
_QUARTER_YEAR = re.compile(r"^(?:i|ii|iii|iv|[1-4])/(?:19|20)\d\d$")

# Bounds on how far a row's words spread in the flattened text; they keep the search linear.
_MAX_LINE_TOKENS = 40
_MAX_ROW_TOKENS = 400
_MAX_CONTENT_LINES = 30

_Predicate = Callable[[_Tok], bool]


def _w(expected: str) -> _Predicate:
    """The word with its accents, any case; capitalised when ``expected`` is.

    A deadline cell starts with a capital ("Trong năm 2018"), which tells it from the same
    words inside the content ("… trong năm 2018"); accents tell "Quý" from "quy phạm".
    """
    lower = expected.lower()
    if expected[:1].isupper():
        return lambda tok: tok.word == lower and tok.text[:1].isupper()
    return lambda tok: tok.word == lower


def _re(pattern: re.Pattern[str]) -> _Predicate:
    return lambda tok: bool(pattern.match(tok.word))


def _phrase(*parts: str | re.Pattern[str]) -> tuple[_Predicate, ...]:
    """Predicates for the words of a phrase; a pattern stands for one word."""
    out: list[_Predicate] = []
    for part in parts:
        out.extend([_w(word) for word in part.split()] if isinstance(part, str) else [_re(part)])
    return tuple(out)


# Completion phrases the tables use, most specific first; their words end up scattered among
# the other columns, in order.
_COMPLETION_PATTERNS = (
    _phrase("Thường xuyên trong năm"),
    _phrase("Quý", _QUARTER, _QUARTER_YEAR),
    _phrase("Quý", _QUARTER_YEAR),
    _phrase("Trong năm", _YEAR),
    _phrase("Cuối năm", _YEAR),
    _phrase("Định kỳ hoặc đột xuất"),
    _phrase("Hàng quý 6 tháng và năm hoặc đột xuất"),
    _phrase("Thường xuyên"),
)
# First words of task contents: they tell a row's first line from the other columns' words.
_CONTENT_VERBS = {
    "trien khai", "xay dung", "tiep tuc", "thuc hien", "to chuc", "tang cuong", "day manh",
    "kiem tra", "ra soat", "ban hanh", "cap nhat", "xu ly", "cong bo", "cong khai", "chi dao",
    "thuong xuyen", "tham muu", "phat trien", "nang cap", "khai thac", "dinh ky", "phoi hop",
    "hoan thien", "hoan thanh", "doi moi", "nang cao", "tu cham", "xac dinh", "tuyen truyen",
    "theo doi", "danh gia", "huong dan", "duy tri", "ap dung", "ung dung", "sap xep",
    "kien toan", "chuan hoa", "so hoa", "cung cap", "thi diem", "tong ket", "so ket", "bao cao",
    "dao tao", "boi duong", "tap huan", "khao sat", "do luong", "ho tro", "cai cach",
    "quan triet", "pho bien", "tham dinh", "dang tai", "phan cap", "tinh gian", "thanh lap",
    "giai quyet", "tiep nhan", "nghien cuu", "de xuat", "van hanh", "ket noi", "tich hop",
    "lien thong", "thong ke", "rut gon", "don gian", "mo", "giam", "tang", "lap", "giao",
}  # fmt: skip


def _tokens(text: str) -> list[_Tok]:
    lines = text.split("\n")
    selected: list[tuple[int, str]] = []
    # Viewer dumps number their pages "  12. …" with a whole page on one line: keep only those.
    expected = None
    for number, line in enumerate(lines, start=1):
        match = _PAGE_LINE.match(line)
        if not match:
            continue
        page = int(match.group(1))
        if expected is None and len(line) > 200:
            expected = page
        if expected is not None and page == expected:
            selected.append((number, match.group(2)))
            expected += 1
    if len(selected) < 2:
        selected = list(enumerate(lines, start=1))
    tokens: list[_Tok] = []
    folded_words: dict[str, tuple[str, str]] = {}  # a page repeats its vocabulary: fold once
    for number, line in selected:
        end = None
        for match in re.finditer(r"\S+", line):
            gap = 99 if end is None else match.start() - end
            separator = "" if end is None else line[end : match.start()]
            end = match.end()
            text = match.group()
            keys = folded_words.get(text)
            if keys is None:
                keys = ("".join(_WORDS.findall(fold(text))), text.lower().strip(_WORD_PUNCT))
                folded_words[text] = keys
            tokens.append(
                _Tok(
                    text=text,
                    line=number,
                    gap=gap,
                    joined=bool(separator) and not separator.strip("\xa0"),
                    key=keys[0],
                    word=keys[1],
                )
            )
    # Some converters join the words of one cell line with no-break spaces and put a plain
    # space between cells: then that is the boundary. Otherwise a single space continues a line.
    by_nbsp = sum(tok.joined for tok in tokens) >= 0.3 * max(1, len(tokens))
    for tok in tokens:
        tok.cont = tok.joined if by_nbsp else tok.gap == 1
    return tokens


def _titlecase(tok: _Tok) -> bool:
    text = tok.text.lstrip("(\"'“")
    return bool(text) and text[0].isupper() and not (len(text) > 1 and text.isupper())


def _join(tokens: Sequence[_Tok]) -> str:
    return " ".join(tok.text for tok in tokens).strip()


def _starts_with(keys: list[str], starts: tuple[tuple[str, ...], ...]) -> bool:
    return any(tuple(keys[: len(start)]) == start for start in starts)


def _agency_like(tokens: Sequence[_Tok]) -> bool:
    keys = [tok.key for tok in tokens if tok.key]
    if _starts_with(keys, _AGENCY_STARTS):
        return True
    folded = " ".join(keys)
    return len(folded) < 30 and any(word in folded for word in _AGENCY_WORDS)


def _flat_section_at(body: list[_Tok], at: int) -> tuple[str, int, int] | None:
    """(title, first token, token after title) when ``body[at]`` opens a section row."""
    count = len(body)
    # "I Cải cách thể chế" then the wide gap of the empty cells.
    if at + 1 < count and body[at + 1].gap == 1:
        end = at + 1
        while end < count and (end == at + 1 or body[end].gap == 1) and end - at <= 20:
            end += 1
        if end == count or body[end].gap >= 4:
            return _join(body[at + 1 : end]), at, end
    # "Xây dựng … đội  IV         ngũ cán bộ, công chức": the numeral sits inside its title.
    if at + 1 < count and body[at + 1].gap >= 4 and body[at].gap >= 2 and at > 0:
        start = at - 1
        while start > 0 and body[start].gap == 1 and at - start < 15:
            start -= 1
        capitals = [i for i in range(start, at) if _titlecase(body[i])]
        first = capitals[-1] if capitals else start
        end = at + 1
        while end < count and (end == at + 1 or body[end].gap == 1) and not _titlecase(body[end]):
            end += 1
        title = _join([*body[first:at], *body[at + 1 : end]])
        if title:
            return title, first, end
    return None


def _number_positions(body: list[_Tok]) -> dict[int, list[int]]:
    """Where each bare number (a possible STT) stands, in order."""
    positions: dict[int, list[int]] = {}
    for index, tok in enumerate(body):
        text = tok.text
        # "05" is a count ("05 cơ quan"), not an STT.
        if text.isascii() and text.isdecimal() and len(text) <= 4 and text[0] != "0":
            if index == 0 or body[index - 1].text.lower() not in _REF_WORDS:
                positions.setdefault(int(tok.text), []).append(index)
    return positions


def _find_number(positions: dict[int, list[int]], start: int, end: int, number: int) -> int | None:
    found = positions.get(number, [])
    at = bisect_left(found, start)
    return found[at] if at < len(found) and found[at] < end else None


def _opens_fragment(body: list[_Tok], index: int, low: int, skip: int) -> bool:
    """Whether a cell's line can start at ``body[index]``.

    A new line starts after a wide gap or the STT, or where a capitalised word follows a
    lower-case one on the same visual line ("… huyện Thường xuyên kiểm tra": two columns).
    """
    if index == low or not body[index].cont or index - 1 == skip:
        return True
    previous = body[index - 1].text
    return previous[-1:].islower() and previous.lower() not in _NAME_LINKS


def _fragment_end(body: list[_Tok], index: int, high: int, skip: int) -> int:
    # A cell line holds a dozen words; the cap keeps run-on text from costing quadratic time.
    high = min(high, index + _MAX_LINE_TOKENS)
    end = index + 1
    while end < high and end != skip and body[end].cont:
        end += 1
    return end


def _content_verb(keys: list[str]) -> bool:
    return " ".join(keys[:2]) in _CONTENT_VERBS or (bool(keys) and keys[0] in _CONTENT_VERBS)


def _content_start(body: list[_Tok], low: int, at: int, high: int) -> int | None:
    """Where row content starts: a capitalised fragment near the STT token ``at``.

    The STT sits on the middle line of its row, so the content's first line is usually between
    the previous STT and this one; a task verb ("Triển khai", "Xây dựng") makes it certain.
    """

    def candidates(start: int, stop: int) -> list[tuple[int, bool]]:
        found = []
        for index in range(start, stop):
            if index == at or not _titlecase(body[index]):
                continue
            if not _opens_fragment(body, index, start, at):
                continue
            fragment = body[index : _fragment_end(body, index, high, at)]
            keys = [tok.key for tok in fragment if tok.key]
            if len(_join(fragment)) < 15 or _agency_like(fragment):
                continue
            if _starts_with(keys, _COMPLETION_STARTS):
                continue
            found.append((index, _content_verb(keys)))
        return found

    before = candidates(max(low, at - _MAX_ROW_TOKENS), at)
    after = candidates(at + 1, min(high, at + 11))
    for pool, verb_only in ((before, True), (after, True), (before, False), (after, False)):
        for index, verb in pool:
            if verb or not verb_only:
                return index
    return None


def _flat_content(body: list[_Tok], start: int, high: int, skip: int) -> tuple[str, int]:
    """The content cell's lines from ``start`` and the token after them.

    Lower-case fragments after the first line are its wrapped lines; short and agency-like
    fragments belong to the narrow columns and are passed over.
    """
    first_end = _fragment_end(body, start, high, skip)
    parts = [_join(body[start:first_end])]
    index = last = first_end
    while index < high and len(parts) < _MAX_CONTENT_LINES:
        if index == skip:
            index += 1
            continue
        end = _fragment_end(body, index, high, skip)
        fragment = body[index:end]
        text = _join(fragment)
        index = end
        if len(text) < 12 or _agency_like(fragment):
            continue
        if not text[0].islower():
            break
        # A later row's first words may share this visual line: stop in front of them.
        cut = next(
            (
                i
                for i in range(1, len(fragment))
                if _titlecase(fragment[i])
                and fragment[i - 1].text[-1:].islower()
                and fragment[i - 1].text.lower() not in _NAME_LINKS
                and _content_verb([t.key for t in fragment[i:] if t.key])
            ),
            None,
        )
        if cut is not None:
            parts.append(_join(fragment[:cut]))
            last = end - len(fragment) + cut
            break
        parts.append(text)
        last = end
    return " ".join(parts), last


def _flat_completion(tokens: list[_Tok]) -> str:
    """The first known phrase whose words occur in order, other words in between."""
    for pattern in _COMPLETION_PATTERNS:
        # Greedy from the left finds the phrase if any choice of its words does.
        matched: list[_Tok] = []
        for tok in tokens:
            if pattern[len(matched)](tok):
                matched.append(tok)
                if len(matched) == len(pattern):
                    return _join(matched).rstrip(".,;:")
    return ""


def _flat_header(tokens: list[_Tok]) -> tuple[int, int, set[str]] | None:
    """(first, end, words) of the flattened header around "STT" next to "Nội dung"."""
    for index, tok in enumerate(tokens):
        if tok.key == "stt" or (tok.key == "tt" and index and tokens[index - 1].key == "so"):
            low = index
            while low > 0 and tokens[low - 1].key in _HEADER_VOCAB:
                low -= 1
            high = index + 1
            while high < len(tokens) and tokens[high].key in _HEADER_VOCAB:
                high += 1
            words = {t.key for t in tokens[low:high]}
            if {"noi", "dung"} <= words or {"nhiem", "vu"} <= words:
                return low, high, words
    return None


def _flat_sections(body: list[_Tok]) -> list[tuple[str, str, int, int]]:
    """(roman, title, first token, token after title); numerals must come in order."""
    sections: list[tuple[str, str, int, int]] = []
    index = 0
    while index < len(body) and len(sections) < len(_ROMANS):
        # Requiring I, then II, then III… rules out "Quý I", "cấp II" and the like.
        if body[index].text == _ROMANS[len(sections)]:
            head = _flat_section_at(body, index)
            if head is not None:
                title, first, end = head
                sections.append((_ROMANS[len(sections)], title, first, end))
                index = end
                continue
        index += 1
    return sections


def _flat_numbers(positions: dict[int, list[int]], start: int, stop: int) -> list[tuple[int, int]]:
    """(number, token) of the STT numbers 1, 2, 3… found in order between start and stop."""
    found: list[tuple[int, int]] = []
    expected, position = 1, start
    while True:
        at = _find_number(positions, position, stop, expected)
        number = expected
        if at is None:
            # A number may be missing or misprinted ("10" then "13"): accept a small skip.
            later = [
                (i, n)
                for n in range(expected + 1, expected + 4)
                if (i := _find_number(positions, position, stop, n)) is not None
            ]
            if not later:
                return found
            at, number = min(later)
        found.append((number, at))
        check_rows(len(found))
        expected, position = number + 1, at + 1


def parse_flattened_pdf_text(text: str) -> Appendix:
    """Best effort for an appendix whose table was flattened to text by a PDF viewer.

    The columns come out interleaved, so only what can be told apart is kept: section rows,
    STT numbers (in sequence within each section), a content fragment and a completion phrase
    reassembled from its scattered words. Agencies are never guessed: ``lead`` stays empty with
    a problem. The text around each row goes to ``unreadable`` for the user to read.
    """
    check_text(text)
    tokens = _tokens(normalise_text(text))
    header = _flat_header(tokens)
    if header is None:
        raise NoHeader(Message("no appendix table found in the text (no 'STT' next to 'Nội dung')"))
    low, high, words = header
    found = {"number", "content"}
    for role, needs in (
        ("lead", ({"chu", "tri"},)),
        ("coordinating", ({"phoi", "hop"},)),
        ("completion", ({"thoi", "gian"}, {"thoi", "han"})),
        ("output", ({"san", "pham"}, {"ket", "qua"})),
        ("note", ({"ghi", "chu"},)),
    ):
        if any(need <= words for need in needs):
            found.add(role)
    # The flattened header has no column order to offer: the usual order of the found roles.
    result = Appendix(
        columns={role: i for i, role in enumerate(r for r in ROLES if r in found)},
        rows=[],
        sections=[],
    )
    result.unreadable.append(
        (
            tokens[low].line,
            _join(tokens[low:high]),
            Message("table header flattened from a PDF; its columns could not be separated"),
        )
    )
    result.tables.append((tokens[low].line, tuple(result.columns)))
    body = tokens[high:]
    sections = _flat_sections(body)
    result.sections = [(roman, title) for roman, title, _, _ in sections]
    spans: list[tuple[str | None, str | None, int, int]] = []
    if not sections or sections[0][2] > 0:
        spans.append((None, None, 0, sections[0][2] if sections else len(body)))
    for position, (roman, title, _first, end) in enumerate(sections):
        stop = sections[position + 1][2] if position + 1 < len(sections) else len(body)
        spans.append((roman, title, end, stop))

    positions = _number_positions(body)
    for roman, title, start, stop in spans:
        numbers = _flat_numbers(positions, start, stop)
        check_rows(len(result.rows) + len(numbers))
        if not numbers:
            if stop > start:
                label = roman or "-"
                result.unreadable.append(
                    (
                        body[start].line,
                        _join(body[start:stop]),
                        Message(
                            "section %(section)s: no numbered rows could be recognised",
                            section=label,
                        ),
                    )
                )
            continue
        starts: list[int | None] = []
        floor = start
        for k, (_number, at) in enumerate(numbers):
            low_k = max(floor, numbers[k - 1][1] + 1 if k else start)
            high_k = numbers[k + 1][1] if k + 1 < len(numbers) else stop
            begin = _content_start(body, low_k, at, high_k)
            starts.append(begin)
            if begin is not None:
                floor = begin + 1
        next_start: list[int | None] = [None] * len(numbers)
        for k in range(len(numbers) - 2, -1, -1):
            after_k = starts[k + 1]
            next_start[k] = after_k if after_k is not None else next_start[k + 1]
        previous = 0
        # The raw text of a row runs from its content's first line to the next row's. Its
        # deadline is looked for from the end of the previous row's content: cells taller than
        # the content start above the content's first line.
        window_start = search_start = start
        for k, (number, at) in enumerate(numbers):
            begin = starts[k]
            following = [] if next_start[k] is None else [next_start[k]]
            next_at = numbers[k + 1][1] if k + 1 < len(numbers) else stop
            content_end = following[0] if following else next_at
            content, after = ("", at + 1)
            if begin is not None:
                content, after = _flat_content(body, begin, max(content_end, begin + 1), at)
            window_end = max(at + 1, min([next_at, *following]))
            row_start, window_start = window_start, window_end
            completion_start, search_start = search_start, max(after, at + 1)
            raw = _join(body[row_start:window_end])
            label = f"{roman}.{number}" if roman else str(number)
            problems = []
            if number != previous + 1:
                problems.append(
                    Message(
                        "expected number %(expected)s before %(number)s",
                        expected=previous + 1,
                        number=number,
                    )
                )
            previous = number
            if begin is None:
                result.unreadable.append(
                    (
                        body[at].line,
                        raw,
                        Message("row %(row)s: number found but no content recognised", row=label),
                    )
                )
                continue
            # The content's own first words ("Thường xuyên kiểm tra…") are not its deadline.
            skip = {at, begin, begin + 1}
            completion = _flat_completion(
                [
                    body[i]
                    for i in range(completion_start, min(window_end, at + _MAX_ROW_TOKENS))
                    if i not in skip
                ]
            )
            problems += [
                Message(
                    "flattened PDF text: the columns are interleaved, content is only a fragment"
                ),
                Message("lead agency not recovered (columns interleaved): set it by hand"),
                Message("completion reassembled from words scattered in the text")
                if completion
                else Message("completion not recovered"),
            ]
            result.rows.append(
                AppendixRow(
                    line=body[at].line,
                    section=roman,
                    section_title=title,
                    number=str(number),
                    content=content,
                    lead="",
                    coordinating="",
                    completion=completion,
                    output="",
                    note="",
                    problems=problems,
                )
            )
            result.unreadable.append(
                (
                    body[at].line,
                    raw,
                    Message(
                        "row %(row)s: agencies and the other cells could not be separated",
                        row=label,
                    ),
                )
            )
    if not result.rows and not result.sections:
        raise AppendixError(
            Message("an appendix header was found but no section or row could be read")
        )
    return result
