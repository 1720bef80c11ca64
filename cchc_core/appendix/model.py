"""What an appendix reads into (:class:`Appendix`, :class:`AppendixRow`), its column
roles, its limits and its error."""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc_core.messages import Message
from cchc_core.tables import (
    check_file,
)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000

ROLES = (
    "number",
    "content",
    "lead",
    "coordinating",
    "monitoring",
    "completion",
    "output",
    "budget",
    "note",
)
ROLE_LABELS = {
    "number": "STT",
    "content": "Nội dung",
    "lead": "Cơ quan chủ trì",
    "coordinating": "Cơ quan phối hợp",
    "monitoring": "Cơ quan theo dõi",
    "completion": "Thời gian hoàn thành",
    "output": "Sản phẩm",
    "budget": "Kinh phí",
    "note": "Ghi chú",
}
REQUIRED = ("content", "lead")
# Content or lead plus one more label make a header: enough to be sure, and to say which one
# is missing.
ANCHORS = ("content", "lead")
# Cells a sub-row takes from its task when they are empty (merged in the published table).
INHERITABLE = ("content", "output", "completion", "monitoring", "budget", "note")


@dataclass
class AppendixRow:
    """One task of the appendix, cells verbatim (wrapped lines joined with spaces).

    ``parent`` is the number of the heading or task the row sits under ("1" for a task "a)"
    of area "1."), ``part`` numbers the sub-rows of one task (one per responsible agency, 2, 3…)
    and ``inherited`` names the cells copied from the row above because they were merged.
    """

    line: int
    section: str | None
    section_title: str | None
    number: str | None
    content: str
    lead: str
    coordinating: str
    completion: str
    output: str
    note: str
    problems: list[str] = field(default_factory=list)
    monitoring: str = ""
    budget: str = ""
    parent: str | None = None
    part: int = 0
    inherited: list[str] = field(default_factory=list)

    @property
    def key(self) -> str | None:
        """The row's number within its section, unique in a well-formed table: "1.a", "2/2"."""
        number = self.number
        # A dotted number ("2.1") already says where it sits: no parent put in front of it.
        if self.parent and number and "." not in number:
            number = f"{self.parent}.{number}"
        if number and self.part:
            number = f"{number}/{self.part}"
        return number


@dataclass
class Appendix:
    """The task rows of an appendix, its sections and whatever could not be read.

    ``tables`` lists the tables read: (line of the header, the roles found in it).
    """

    columns: dict[str, int]
    rows: list[AppendixRow]
    sections: list[tuple[str, str]]
    unreadable: list[tuple[int, str, str]] = field(default_factory=list)
    tables: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)


class AppendixError(ValueError):
    """The input is not a readable appendix table; the message (a :class:`Message`) says why."""


class NoHeader(AppendixError):
    """No header row: another sheet, table or delimiter may still have one."""


def check_bytes(data: bytes) -> None:
    check_file(data, AppendixError, MAX_BYTES)


def check_text(text: str) -> None:
    # Characters are at most 4 bytes: only long texts need encoding to be measured.
    too_big = len(text) > MAX_BYTES or (
        len(text) > MAX_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES
    )
    if too_big:
        raise AppendixError(
            Message("the text is larger than %(size)s MB", size=MAX_BYTES // (1024 * 1024))
        )


def check_rows(count: int) -> None:
    if count > MAX_ROWS:
        raise AppendixError(Message("the table has more than %(rows)s rows", rows=MAX_ROWS))
