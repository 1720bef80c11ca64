"""Cells of a plan's appendix that carry more than one thing: agency lists and budget cells.

Agency cells come as lists (``;``, ``,``, ``-`` bullets, new lines), as "agency: what it does"
parts (``Sở Xây dựng: chủ trì …; UBND cấp huyện: …``), as a group with abbreviations
(``Các Sở: NV, TP, TC``) and with parenthesised qualifiers (``(thuộc Văn phòng UBND tỉnh)``).
:func:`split_agencies` returns the agencies as written, each with its action and notes; words
that are not agencies (``tham mưu``, ``có liên quan``) are never returned as one.

Budget cells (``45 tr/ huyện``, ``NS tỉnh``, ``Kinh phí tự chủ``) are read by
:func:`parse_budget` into an amount, a unit it is counted per and a funding source, when the cell
says so; otherwise only the text is kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from cchc_core.matching import split_names
from cchc_core.text import fold

__all__ = ["AgencyPart", "Budget", "parse_budget", "split_agencies"]


@dataclass
class AgencyPart:
    """One agency of a cell: its name as written, what it does there, and its qualifiers."""

    name: str
    action: str = ""
    notes: list[str] = field(default_factory=list)


# Words that say what an agency does, never who: cut from the end of a name into its action.
_ROLE_WORDS = (
    "tham muu", "chu tri", "phoi hop", "thuc hien", "theo doi", "huong dan", "thuc day",
)  # fmt: skip
# "Các đơn vị được giao thực hiện TTHC": after "được giao" the role word names the group.
_ASSIGNED = ("giao", "duoc")
# Fragments that are not agencies at all once the role words are gone.
_NOT_AGENCIES = {
    "", "tham muu", "co lien quan", "lien quan", "va cac co quan lien quan", "chu tri",
    "phoi hop", "thuc hien", "cac", "va", "khac", "cac don vi khac", "theo doi",
}  # fmt: skip
# "Các Sở: NV, TP, TC" — a group head whose list items are abbreviations of its members.
_GROUP_HEADS = {
    "cac so": "Sở",
    "so": "Sở",
    "ubnd": "UBND",
    "ubnd cac huyen": "UBND huyện",
    "ubnd huyen": "UBND huyện",
    "cac ban": "Ban",
    "phong": "Phòng",
    "cac phong": "Phòng",
}
_ABBREVIATION = re.compile(r"^[A-ZĐ][A-ZĐ&.]{0,9}$")
_PARENS = re.compile(r"\(([^()]*)\)")
_BULLET = re.compile(r"^\s*[-+•*–—]\s*")
_LIST_SPLIT = re.compile(r"[;\n]+")
_SPACES = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _BULLET.sub("", text)).strip(" ,.;:-–")


def _role_split(name: str) -> tuple[str, str]:
    """("Sở Nội vụ", "tham mưu") for "Sở Nội vụ tham mưu"; the name alone otherwise."""
    words = name.split()
    folded = [fold(w).strip(",.;:") for w in words]
    for index in range(1, len(words)):
        tail = " ".join(folded[index:])
        if folded[index - 1] in _ASSIGNED:
            continue
        if any(tail == role or tail.startswith(role + " ") for role in _ROLE_WORDS):
            return " ".join(words[:index]), " ".join(words[index:])
    return name, ""


# "Các Cục: Di sản văn hóa, Bản quyền tác giả": a group of one kind of body, its members
# listed by the rest of their names.
_KIND_GROUP = re.compile(
    r"^(?:các|những)\s+(?P<kind>cục|vụ|sở|bộ|ban|phòng|trường|viện|trung tâm|chi cục)\s*:\s*"
    r"(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# "… Du lịch Quốc gia Việt Nam. Vụ Kế hoạch, Tài chính": a sentence break before a new name.
_SENTENCE_BREAK = re.compile(r"\.\s+(?=[A-ZĐÀ-Ỹ])")
# "Bộ Công an với các tiêu chuẩn …": the agencies, then what they do it for.
_WITH_WHAT = re.compile(r"\s+với\s+(?=(?:các|những)\s)", re.IGNORECASE)


def _kind_group(line: str) -> tuple[list[str], str] | None:
    """(["Cục Di sản văn hóa", "Cục Bản quyền tác giả"], text after the list) for a group
    cell; None when the line is not one (its items are not names)."""
    match = _KIND_GROUP.match(line)
    if not match:
        return None
    kind = match["kind"][:1].upper() + match["kind"][1:]
    rest = match["rest"].strip()
    after = ""
    broken = _SENTENCE_BREAK.search(rest)
    if broken:
        rest, after = rest[: broken.start()], rest[broken.end() :]
    items = [_clean(item) for item in re.split(";" if ";" in rest else ",", rest)]
    items = [item for item in items if item]
    if len(items) < 2 or not all(item[:1].isupper() and len(item.split()) <= 12 for item in items):
        return None
    return [f"{kind} {item}" for item in items], after


# "… và các cơ quan có liên quan": whoever is concerned, not an agency anyone can be assigned.
_CONCERNED = re.compile(
    r"(?:^(?:các|những)\s+|\s*(?:,|\bvà\b)\s*)[^,;]{0,40}?(?:có\s+)?liên\s+quan\s*$",
    re.IGNORECASE,
)


def _is_agency(name: str) -> bool:
    key = fold(name)
    return bool(key) and key not in _NOT_AGENCIES and any(ch.isalpha() for ch in key)


def _without_concerned(name: str) -> tuple[str, str]:
    """The name and the "… và các cơ quan có liên quan" tail cut from it."""
    match = _CONCERNED.search(name)
    if not match:
        return name, ""
    return name[: match.start()].strip(" ,"), name[match.start() :].strip(" ,")


def _expand_group(head: str, rest: str) -> list[str] | None:
    """["Sở NV", "Sở TP"] for ("Các Sở", "NV, TP"); None when ``rest`` is not such a list."""
    prefix = _GROUP_HEADS.get(fold(head))
    if prefix is None:
        return None
    items = [item.strip(" .;") for item in re.split(r"[,;]", rest)]
    items = [item for item in items if item]
    if len(items) < 2 or not all(_ABBREVIATION.match(item) for item in items):
        return None
    return [f"{prefix} {item}" for item in items]


def split_agencies(cell: str) -> list[AgencyPart]:
    """The agencies a cell names, as written, with their actions and qualifiers."""
    if not cell or not cell.strip():
        return []
    text = unicodedata.normalize("NFC", cell)
    lines: list[str] = []
    groups: dict[int, list[str]] = {}
    for block in text.split("\n"):
        grouped = _kind_group(_clean(block))
        if grouped is None:
            lines.extend(_LIST_SPLIT.split(block))
            continue
        groups[len(lines)] = grouped[0]
        lines.append("")
        lines.extend(_LIST_SPLIT.split(grouped[1]))
    parts: list[AgencyPart] = []
    for position, line in enumerate(lines):
        if position in groups:
            parts.extend(AgencyPart(name=name) for name in groups[position])
            continue
        line = _clean(line)
        if not line:
            continue
        notes = [note.strip() for note in _PARENS.findall(line) if note.strip()]
        line = _clean(_PARENS.sub(" ", line))
        action = ""
        names: list[str]
        if with_what := _WITH_WHAT.search(line):
            line, action = line[: with_what.start()], line[with_what.start() :].strip()
        if ":" in line:
            head, _, rest = line.partition(":")
            head, rest = _clean(head), _clean(rest)
            expanded = _expand_group(head, rest)
            if expanded is not None:
                names = expanded
            else:
                names, action = [head], rest
        else:
            names = split_names(line) or [line]
        for raw in names:
            name, concerned = _without_concerned(_clean(raw))
            name, role = _role_split(_clean(name))
            name = _clean(name)
            if not _is_agency(name):
                continue
            parts.append(
                AgencyPart(
                    name=name,
                    action="; ".join(x for x in (role, action) if x),
                    notes=[*notes, concerned] if concerned else list(notes),
                )
            )
    return parts


# --------------------------------------------------------------------------------------------
# Budget


@dataclass
class Budget:
    """A budget cell: the text, and what could be read from it (``None`` when not said)."""

    text: str
    amount: int | None = None  # in đồng
    per: str | None = None  # "huyện": the amount is for each such unit
    source: str | None = None  # "provincial", "district", "central", "own", "other"


_AMOUNT = re.compile(
    r"(?P<n>[0-9]{1,3}(?:[.,][0-9]{3})+|[0-9]+(?:[.,][0-9]+)?)\s*"
    r"(?P<unit>ty dong|ty|trieu dong|trieu|tr\.?|nghin dong|ngan dong|dong|d)?"
    r"(?:\s*/\s*(?P<per>[a-z ]{2,20}?))?(?=$|[\s,;()])"
)
_UNITS = {
    "ty dong": 1_000_000_000, "ty": 1_000_000_000, "trieu dong": 1_000_000, "trieu": 1_000_000,
    "tr": 1_000_000, "tr.": 1_000_000, "nghin dong": 1_000, "ngan dong": 1_000, "dong": 1, "d": 1,
}  # fmt: skip
_SOURCES = (
    ("kinh phi tu chu", "own"),
    ("tu chu", "own"),
    ("ngan sach tinh", "provincial"),
    ("ns tinh", "provincial"),
    ("nst", "provincial"),
    ("ngan sach huyen", "district"),
    ("ns huyen", "district"),
    ("ngan sach xa", "commune"),
    ("ns xa", "commune"),
    ("ngan sach trung uong", "central"),
    ("ns trung uong", "central"),
    ("nstw", "central"),
    ("xa hoi hoa", "other"),
    ("nguon khac", "other"),
)


def _number(raw: str, scale: int) -> int | None:
    if re.fullmatch(r"[0-9]{1,3}(?:[.,][0-9]{3})+", raw) and scale == 1:
        return int(re.sub(r"[.,]", "", raw))
    # Vietnamese decimals use a comma: "1,5 tỷ"; a dot in "1.5 tỷ" is read the same way.
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return None
    return round(value * scale)


def parse_budget(cell: str) -> Budget | None:
    """Amount, unit and source of a budget cell; None for an empty cell."""
    if not cell or not cell.strip():
        return None
    text = " ".join(cell.split())
    folded = fold(text).replace("/ ", "/").replace(" /", "/")
    budget = Budget(text=text)
    for phrase, source in _SOURCES:
        if re.search(rf"(?<![a-z0-9]){phrase}(?![a-z0-9])", folded):
            budget.source = source
            break
    amounts = []
    for match in _AMOUNT.finditer(folded):
        unit = match["unit"]
        if unit is None:
            continue  # a bare figure ("2 lớp") is not money
        value = _number(match["n"], _UNITS[unit.rstrip(".") if unit != "tr." else "tr"])
        if value is not None:
            amounts.append((value, (match["per"] or "").strip() or None))
    # One amount only: two figures in one cell are a breakdown a person has to read.
    if len(amounts) == 1:
        budget.amount, budget.per = amounts[0]
        if budget.per is not None:
            # Keep the unit as written (with accents): find it back in the verbatim text.
            written = re.search(r"/\s*([^\s,;()][^,;()]*)", text)
            budget.per = written.group(1).strip() if written else budget.per
    return budget
