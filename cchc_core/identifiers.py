"""Electronic identifiers of agencies (mã định danh điện tử).

Two shapes are in use:

* QĐ 20/2020/QĐ-TTg (amended by QĐ 09/2025/QĐ-TTg) writes the top level first: ``H27.01``;
* QCVN 102:2016/BTTTT (edXML ``OrganId``) writes the lowest level first, every level present and
  zero-filled: ``000.00.01.H27``.

Level 1 is a capital letter and two digits (``H27`` a province, ``G22`` a ministry); level 2 and 3
are two digits, level 4 three digits; an all-zero level means "none at this level". We store the
top-first shape with the empty trailing levels dropped, which is short and sorts as the tree does.
"""

from __future__ import annotations

import re

LEVEL_PATTERNS = (
    re.compile(r"[A-Z]\d{2}"),
    re.compile(r"\d{2}"),
    re.compile(r"\d{2}"),
    re.compile(r"\d{3}"),
)
LEVEL_WIDTHS = (3, 2, 2, 3)


class IdentifierError(ValueError):
    """The text is not an agency identifier of either shape."""


def _levels(text: str) -> list[str]:
    """Levels top first, zero-filled to four, or IdentifierError."""
    raw = (text or "").strip().upper()
    groups = [g.strip() for g in raw.split(".")] if raw else []
    if not groups or any(not g for g in groups) or len(groups) > 4:
        raise IdentifierError(f"not an agency identifier: {text!r}")
    if len(groups) == 4 and LEVEL_PATTERNS[0].fullmatch(groups[3]) and groups[0].isdigit():
        groups.reverse()  # QCVN 102:2016 shape, lowest level first
    groups += ["0" * w for w in LEVEL_WIDTHS[len(groups) :]]
    for level, (group, pattern) in enumerate(zip(groups, LEVEL_PATTERNS, strict=True), start=1):
        if not pattern.fullmatch(group):
            raise IdentifierError(
                f"not an agency identifier: {text!r} (level {level} {group!r} has the wrong shape)"
            )
    return groups


def canonical(text: str) -> str:
    """The stored shape: top level first, empty trailing levels dropped (``H27.01``)."""
    levels = _levels(text)
    while len(levels) > 1 and set(levels[-1]) == {"0"}:
        levels.pop()
    return ".".join(levels)


def to_qcvn102(text: str) -> str:
    """The edXML shape of QCVN 102:2016: lowest level first, all four levels (``000.00.01.H27``)."""
    return ".".join(reversed(_levels(text)))


def is_valid(text: str) -> bool:
    try:
        _levels(text)
    except IdentifierError:
        return False
    return True


def parent_identifier(text: str) -> str | None:
    """Canonical identifier one level up, or None at level 1."""
    levels = canonical(text).split(".")
    return ".".join(levels[:-1]) if len(levels) > 1 else None
