"""A small reader of the PDF syntax our signed documents use, for the fast verification path.

pyHanko's reader tokenises byte by byte through file-like reads: parsing a two-signature
document took three quarters of a verification. :class:`LiteReader` reads the same objects
with a few regular expressions, each object once, and only those the fast path asks for.

The safety argument. The reader accepts a strict subset of the syntax pyHanko reads and, on
that subset, computes the values pyHanko's non-strict ``PdfFileReader`` computes; anything
outside it raises :class:`_Fallback`, which sends the document to the full path. The subset
(each rule mirrors the pyHanko 0.38 code named in brackets):

- the file starts with ``%PDF-d.d`` [``_read_header_version``]; ``startxref`` is found by
  pyHanko's own ``process_data_at_eof``;
- every revision has a classic cross-reference table exactly at its ``startxref`` (no
  whitespace skipped, no off-by-n correction), subsections ``first count`` and 20-byte entries
  ``oooooooooo ggggg n`` [``parse_xref_table``]; only object 0 may be free (pyHanko ignores
  object 0), every generation is 0, no object twice in one table; each ``/Prev`` is an integer
  before the table that names it (no loops); no ``/XRefStm`` (hybrid files) and no
  ``/Encrypt``; a trailer is a dictionary followed by ``startxref``. The end of a table (the
  ``end_location`` coverage uses) is where pyHanko's is: the ``<<`` after ``trailer``;
- an object is ``n g obj`` exactly at its offset, its number and generation those asked for,
  then a value, an optional stream, ``endobj`` [``_read_object``, ``read_object_header``];
- whitespace is space, tab, CR, LF; comments (``%`` to the end of the line) only where
  pyHanko's ``read_non_whitespace`` skips them (between the tokens of dictionaries and
  arrays, before an object's value and before ``stream``) [``misc.read_non_whitespace``];
- names without ``#`` escapes, of printable ASCII, ended by whitespace or a delimiter
  [``NameObject.read_from_stream``, ``_decode_name``]; no key twice in a dictionary;
- numbers ``[+-]digits[.digits]`` ended by whitespace or a delimiter (pyHanko reads the same
  characters: they end its ``[+,-.0-9]`` run), integers as ``int``, others as ``Decimal``
  [``NumberObject.read_from_stream``]; a reference is decided exactly as pyHanko decides it,
  with its ``INDIRECT_PATTERN`` on the next 20 bytes, and accepted only when its whitespace is
  ours, its number positive and what follows ``R`` a delimiter or whitespace
  [``read_object``, ``IndirectObject.read_from_stream``];
- literal strings decoded with pyHanko's escapes (an octal escape above 255 or with 8 or 9,
  or an unknown escape, falls back) [``_read_string_literal_bytes``]; hex strings of an even
  number of hex digits and nothing else [``read_hex_string_from_stream``];
- ``true``, ``false``, ``null`` ended by whitespace or a delimiter;
- a stream: a top-level dictionary with a direct integer ``/Length``, ``stream`` then CRLF or
  LF, exactly that many bytes, whitespace, ``endstream`` (pyHanko's look-back correction is
  never needed) [``_maybe_read_stream_payload``].

Values: dictionaries are ``dict`` keyed by :class:`Name`, arrays ``list``, references
:class:`Ref`, strings :class:`String` (the decoded bytes; :meth:`String.text` is pyHanko's
``pdf_string`` of them), streams :class:`Stream`, ``true``/``false``/``null`` the singletons
:data:`TRUE`, :data:`FALSE`, :data:`NULL`. Two values are equal here only if pyHanko's are
equal: equal decoded bytes give equal pyHanko strings, equal numbers equal numbers, and the
types never mix (a ``Name`` is never equal to a ``String``, a ``Ref`` to a list, ``TRUE`` to
1), where pyHanko's may compare equal (a name and a text string): a comparison that fails
here only sends a document to the full path.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import INDIRECT_PATTERN
from pyhanko.pdf_utils.reader import process_data_at_eof


class _Fallback(Exception):
    """The fast path does not cover this document: the full path decides."""


def _need(condition) -> None:
    if not condition:
        raise _Fallback


class Name(str):
    """A PDF name, with its slash (as pyHanko's ``NameObject``)."""

    __slots__ = ()


class String(bytes):
    """A PDF string: its decoded bytes. ``start``/``end`` are the token's span in the file."""

    start = end = -1

    def text(self):
        """pyHanko's value of this string (``TextStringObject`` or ``ByteStringObject``)."""
        return generic.pdf_string(bytes(self))


class Ref(tuple):
    """An indirect reference ``(number, generation)``."""

    __slots__ = ()


class _Keyword:
    __slots__ = ("word",)

    def __init__(self, word: str):
        self.word = word

    def __repr__(self):
        return self.word


TRUE, FALSE, NULL = _Keyword("true"), _Keyword("false"), _Keyword("null")
_KEYWORDS = {b"true": TRUE, b"false": FALSE, b"null": NULL}


@dataclass(eq=False)
class Stream:
    """A stream: its dictionary and its data as stored (still encoded)."""

    dictionary: dict
    encoded: bytes

    def __eq__(self, other):
        return (
            isinstance(other, Stream)
            and self.encoded == other.encoded
            and self.dictionary == other.dictionary
        )

    __hash__ = None


# Possessive (Python 3.11): no backtracking into whitespace and comments.
_SKIP = re.compile(rb"(?:[ \t\r\n]|%[^\r\n]*+)*+")
_SPACE = re.compile(rb"[ \t\r\n]*")
# One token after whitespace and comments. A name, number, reference or keyword must be
# followed by whitespace or a delimiter (what ends pyHanko's reading of it). A reference is
# tried before a number; a number starting with a digit must not look like a reference to
# pyHanko's INDIRECT_PATTERN (``\d+\s+\d+\s+R[^a-zA-Z]``, \s also VT and FF): one we do not
# take as a reference then matches no token, and falls back.
_END = rb"(?=[ \t\r\n()<>\[\]{}/%])"
_TOKEN = re.compile(
    rb"(?:[ \t\r\n]|%[^\r\n]*+)*+(?:"
    rb"(?P<name>/[^\x00-\x20\x7f-\xff()<>\[\]{}/%#]*)"
    + _END
    + rb"|(?P<ref>([0-9]+)[ \t\r\n]+([0-9]+)[ \t\r\n]+R)"
    + _END
    + rb"|(?P<number>(?![0-9]+[ \t\r\n\x0b\x0c]+[0-9]+[ \t\r\n\x0b\x0c]+R[^a-zA-Z])"
    rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))"
    + _END
    + rb"|(?P<open><<)|(?P<close>>>)|(?P<array>\[)|(?P<end>\])"
    rb"|(?P<hex><[0-9A-Fa-f]*+>)"
    rb"|(?P<literal>\()"
    rb"|(?P<keyword>true|false|null)" + _END + rb")"
)
# A literal string whose escapes are only three-digit octal (at most \377) and \n \r \t \b \f
# \( \) \\: the common case, decoded in one substitution. Others take _literal's loop.
_SIMPLE_LITERAL = re.compile(rb"\(((?:[^()\\]++|\\[0-3][0-7][0-7]|\\[nrtbf()\\])*+)\)")
_SIMPLE_ESCAPE = re.compile(rb"\\(?:([0-3][0-7][0-7])|(.))", re.S)
_LITERAL_SPECIAL = re.compile(rb"[()\\]")
_KEYWORDS = {b"true": TRUE, b"false": FALSE, b"null": NULL}
_ESCAPED_AS_IS = frozenset(b"() /%<>[]#_&$\\")
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
_SIMPLE_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_DIGITS = frozenset(b"0123456789")
_MAX_DEPTH = 32
# The pattern the lookahead above copies; another pyHanko may decide differently: then every
# document goes to the full path.
_PYHANKO_SAME = INDIRECT_PATTERN.pattern == rb"(\d+)\s+(\d+)\s+R[^a-zA-Z]"


def _unescape(match) -> bytes:
    octal, char = match.groups()
    if octal is not None:
        return bytes((int(octal, 8),))
    return _SIMPLE_ESCAPES.get(char, char)


def _literal(data: bytes, pos: int) -> tuple[String, int]:
    """The literal string at ``pos`` (its ``(``), decoded as pyHanko decodes it."""
    simple = _SIMPLE_LITERAL.match(data, pos)
    if simple is not None:
        body = simple.group(1)
        if b"\\" in body:
            body = _SIMPLE_ESCAPE.sub(_unescape, body)
        return String(body), simple.end()
    out = bytearray()
    depth, i, n = 1, pos + 1, len(data)
    while True:
        special = _LITERAL_SPECIAL.search(data, i)
        _need(special is not None)
        j = special.start()
        out += data[i:j]
        char = data[j]
        if char == 0x28:  # (
            depth += 1
            out.append(char)
            i = j + 1
        elif char == 0x29:  # )
            depth -= 1
            if depth == 0:
                return String(out), j + 1
            out.append(char)
            i = j + 1
        else:  # a backslash
            _need(j + 1 < n)
            escaped = data[j + 1]
            i = j + 2
            if escaped in _ESCAPED_AS_IS:
                out.append(escaped)
            elif escaped in _ESCAPES:
                out.append(_ESCAPES[escaped])
            elif escaped in _DIGITS:
                digits = data[j + 1 : j + 2]
                while len(digits) < 3 and i < n and data[i] in _DIGITS:
                    digits += data[i : i + 1]
                    i += 1
                _need(b"8" not in digits and b"9" not in digits)
                value = int(digits, 8)
                _need(value <= 255)
                out.append(value)
            elif escaped in (0x0A, 0x0D):
                # An escaped line break: nothing. pyHanko takes any one more CR or LF with
                # it (CR LF, but also LF LF, LF CR, CR CR).
                if i < n and data[i] in (0x0A, 0x0D):
                    i += 1
            else:
                raise _Fallback


def _value(data: bytes, pos: int):
    """The value whose first token (after whitespace and comments) is at ``pos``, and the
    position after it. Containers are kept on a stack, not by recursion."""
    stack: list = []  # [list] or [dict, pending key or None]
    match_token = _TOKEN.match
    while True:
        token = match_token(data, pos)
        _need(token is not None)
        kind = token.lastgroup
        pos = token.end()
        if kind == "name":
            value = Name(token.group(kind).decode("ascii"))
        elif kind == "ref":
            idnum, generation = int(token.group(3)), int(token.group(4))
            # pyHanko takes it as a reference only if its pattern matches in 20 bytes.
            _need(idnum > 0 and pos - token.start(kind) < 20)
            value = Ref((idnum, generation))
        elif kind == "number":
            text = token.group(kind)
            value = Decimal(text.decode("ascii")) if b"." in text else int(text)
        elif kind == "open":
            _need(len(stack) < _MAX_DEPTH)
            stack.append([{}, None])
            continue
        elif kind == "array":
            _need(len(stack) < _MAX_DEPTH)
            stack.append([[]])
            continue
        elif kind == "close":
            _need(stack and len(stack[-1]) == 2 and stack[-1][1] is None)
            value = stack.pop()[0]
        elif kind == "end":
            _need(stack and len(stack[-1]) == 1)
            value = stack.pop()[0]
        elif kind == "hex":
            start = token.start(kind)
            _need(pos - start & 1 == 0)  # an even number of digits (and the two brackets)
            value = String(bytes.fromhex(data[start + 1 : pos - 1].decode("ascii")))
            value.start, value.end = start, pos
        elif kind == "literal":
            value, pos = _literal(data, token.start(kind))
        else:
            value = _KEYWORDS[token.group(kind)]
        if not stack:
            return value, pos
        top = stack[-1]
        if len(top) == 1:
            top[0].append(value)
        elif top[1] is None:
            _need(type(value) is Name)  # a key
            _need(value not in top[0])
            top[1] = value
        else:
            top[0][top[1]] = value
            top[1] = None


def _dictionary(data: bytes, pos: int) -> tuple[dict, int]:
    _need(data.startswith(b"<<", pos))
    return _value(data, pos)


_HEADER = re.compile(rb"%PDF-[0-9]\.[0-9]")
_OBJECT_HEADER = re.compile(rb"([0-9]+) ([0-9]+) obj")
_STREAM = re.compile(rb"stream(?:\r\n|\n)")
_ENDSTREAM = re.compile(rb"[ \t\r\n]*endstream")
_ENDOBJ = re.compile(rb"endobj")
_XREF = re.compile(rb"xref(?:\r\n|\r|\n)")
_SUBSECTION = re.compile(rb"([0-9]+) ([0-9]+)[ \t\r\n]*")
_ENTRY = re.compile(rb"([0-9]{10}) ([0-9]{5}) ([nf])(?: \r| \n|\r\n)")
_TRAILER = re.compile(rb"[ \t\r\n]*trailer[ \t\r\n]*")
_STARTXREF = re.compile(rb"startxref")


@dataclass
class Section:
    """One revision's cross-reference table, as pyHanko's ``XRefSection`` records it."""

    startxref: int  # declared (the table is exactly there)
    end: int  # pyHanko's ``end_location``: the trailer's "<<"
    offsets: dict[int, int]  # object number -> offset (generation 0)
    trailer: dict


def _section(data: bytes, startxref: int) -> Section:
    _need(0 <= startxref < len(data))
    match = _XREF.match(data, startxref)
    _need(match is not None)
    pos, offsets = match.end(), {}
    while True:
        head = _SUBSECTION.match(data, pos)
        _need(head is not None)
        first, count = int(head.group(1)), int(head.group(2))
        pos = head.end()
        for idnum in range(first, first + count):
            entry = _ENTRY.match(data, pos)
            _need(entry is not None)
            pos = entry.end()
            if idnum == 0:  # pyHanko ignores object 0
                _need(entry.group(3) == b"f")
                continue
            _need(entry.group(3) == b"n" and entry.group(2) == b"00000")
            _need(idnum not in offsets)
            offsets[idnum] = int(entry.group(1))
        trailer = _TRAILER.match(data, pos)
        if trailer is not None:
            break
        pos = _SPACE.match(data, pos).end()
    end = trailer.end()
    _need(data.startswith(b"<<", end))
    dictionary, after = _dictionary(data, end)
    _need(_STARTXREF.match(data, _SKIP.match(data, after).end()) is not None)
    return Section(startxref, end, offsets, dictionary)


class LiteReader:
    """The revisions of a PDF and the objects the fast path reads, each parsed once."""

    def __init__(self, data: bytes):
        self.data = data
        _need(_PYHANKO_SAME)
        _need(_HEADER.match(data) is not None)
        stream = io.BytesIO(data)
        stream.seek(-1, io.SEEK_END)
        startxref = process_data_at_eof(stream)
        sections = []
        while True:
            section = _section(data, startxref)
            sections.append(section)
            trailer = section.trailer
            _need("/Encrypt" not in trailer and "/XRefStm" not in trailer)
            size = trailer.get("/Size")
            _need(type(size) is int)
            if "/Prev" not in trailer:
                break
            previous = trailer["/Prev"]
            _need(type(previous) is int and 0 <= previous < startxref)
            startxref = previous
        sections.reverse()  # oldest first, as pyHanko numbers revisions
        self.sections = sections
        self._objects: dict[tuple[int, int], object] = {}

    @property
    def revisions(self) -> int:
        return len(self.sections)

    def trailer(self, key: str, revision: int):
        """The trailer entry as pyHanko's ``trailer_view`` of ``revision`` has it (a key
        missing from a trailer is inherited from the revisions before); ``None`` if none."""
        for section in reversed(self.sections[: revision + 1]):
            if key in section.trailer:
                return section.trailer[key]
        return None

    def offset(self, ref: Ref, revision: int) -> int | None:
        """pyHanko's ``get_historical_ref``: where ``ref`` is as of ``revision``, or ``None``."""
        _need(isinstance(ref, Ref) and ref[1] == 0)
        for section in reversed(self.sections[: revision + 1]):
            found = section.offsets.get(ref[0])
            if found is not None:
                return found
        return None

    def last_change(self, ref: Ref) -> int:
        """pyHanko's ``get_last_change``: the last revision that writes ``ref``."""
        _need(isinstance(ref, Ref) and ref[1] == 0)
        for revision in range(len(self.sections) - 1, -1, -1):
            if ref[0] in self.sections[revision].offsets:
                return revision
        raise _Fallback

    def changed(self, revision: int) -> list[Ref]:
        """pyHanko's ``explicit_refs_in_revision`` (no free entries here)."""
        return [Ref((idnum, 0)) for idnum in self.sections[revision].offsets]

    def get(self, ref, revision: int | None = None):
        """The object ``ref`` as of ``revision`` (default the last)."""
        if revision is None:
            revision = len(self.sections) - 1
        offset = self.offset(ref, revision)
        _need(offset is not None)
        key = (offset, ref[0])
        found = self._objects.get(key)
        if found is None:
            found = self._objects[key] = self._read(offset, ref)
        return found

    def resolve(self, value, revision: int | None = None):
        """``value``, or the object it refers to."""
        return self.get(value, revision) if isinstance(value, Ref) else value

    def _read(self, offset: int, ref: Ref):
        data = self.data
        header = _OBJECT_HEADER.match(data, offset)
        _need(header is not None)
        _need((int(header.group(1)), int(header.group(2))) == ref)
        pos = _SKIP.match(data, header.end()).end()
        value, pos = _value(data, pos)
        _need(not isinstance(value, Ref))  # a reference to a reference: the full path
        pos = _SKIP.match(data, pos).end()
        if isinstance(value, dict) and data.startswith(b"stream", pos):
            keyword = _STREAM.match(data, pos)
            _need(keyword is not None)
            length = value.get("/Length")
            _need(type(length) is int and length >= 0)
            start = keyword.end()
            end = start + length
            _need(end <= len(data))
            close = _ENDSTREAM.match(data, end)
            _need(close is not None)
            value = Stream(value, data[start:end])
            pos = _SKIP.match(data, close.end()).end()
        _need(_ENDOBJ.match(data, pos) is not None)
        return value
