"""Match agency names as plans write them to the province's agencies.

Plans abbreviate ("Sở TT&TT", "VP.UBND tỉnh"), drop accents, run two names together without a
separator ("Sở TT&TT VP.UBND tỉnh") and write group names with commas ("Các sở, ban, ngành
tỉnh"). :class:`AgencyMatcher` splits a cell into agency fragments with the help of the known
names, then matches each fragment: exactly on folded names first, fuzzily only when that fails and
never below the threshold. Abbreviations are the caller's aliases, not a job for fuzz.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from cchc_core.text import fold

__all__ = ["GROUP_PHRASES", "AgencyMatcher", "Candidate", "Match", "names_an_agency"]

_WORDS = re.compile(r"[a-z0-9]+")
# Long and short forms plans use interchangeably; contracted before any comparison.
_CONTRACTIONS = (
    (" uy ban nhan dan ", " ubnd "),
    (" hoi dong nhan dan ", " hdnd "),
    (" van phong ", " vp "),
)
# Group phrases kept whole when splitting a cell, even when the caller does not know them.
GROUP_PHRASES = (
    "các sở, ban, ngành",
    "các sở, ban, ngành tỉnh",
    "các sở, ban, ngành, đoàn thể",
    "các sở, ngành",
    "sở, ban, ngành",
    "các cơ quan, đơn vị",
    "các cơ quan, đơn vị có liên quan",
    "các cơ quan, đơn vị liên quan",
    "cơ quan, đơn vị có liên quan",
    "các cơ quan có liên quan",
    "các cơ quan liên quan",
    "các đơn vị có liên quan",
    "các đơn vị liên quan",
    "UBND các huyện, thành phố",
    "UBND các huyện, thị xã",
    "UBND các huyện, thị xã, thành phố",
    "UBND các xã, phường, thị trấn",
    "các huyện, thị xã, thành phố",
)
# First words of an agency name: a comma or "và" splits a cell only between two of these.
_AGENCY_HEADS = (
    ("so",), ("ubnd",), ("uy", "ban"), ("vp",), ("van", "phong"), ("trung", "tam"), ("ban",),
    ("cac", "co", "quan"), ("co", "quan"), ("cac", "so"), ("cac", "don", "vi"), ("dai",),
    ("bao",), ("buu", "dien"), ("cong", "an"), ("bo", "chi", "huy"), ("thanh", "tra"),
    ("kho", "bac"), ("cuc",), ("chi", "cuc"), ("phong",), ("hoi",), ("lien", "doan"),
    ("tinh", "doan"), ("doan",), ("truong",), ("benh", "vien"), ("vien",), ("cong", "ty"),
    ("ngan", "hang"), ("toa", "an"), ("mat", "tran"), ("hdnd",), ("bo",), ("tinh", "uy"),
    ("huyen", "uy"), ("hiep", "hoi"), ("chi", "nhanh"), ("tong", "cong", "ty"),
)  # fmt: skip
_CONNECTORS = {"va", "hoac", "voi", "cung"}
# "Bộ Xây dựng, các địa phương": a group written in lower case after a named agency.
_LOWER_GROUPS = {
    ("cac", "dia"), ("cac", "bo"), ("cac", "so"), ("cac", "co"), ("cac", "don"),
    ("cac", "nganh"), ("cac", "tinh"),
}  # fmt: skip
_LEADING = re.compile(r"^(?:[-+•*–—>]+\s*|(?:và|hoặc|với)\s+)+", re.IGNORECASE)
_TRAILING = re.compile(r"[\s.,;:]+$")
_ALTERNATIVES = 3
# Below this a candidate is not worth showing to the user as an alternative.
_ALTERNATIVE_FLOOR = 0.5
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class Candidate:
    """An agency (or group) the caller knows: its (hashable) id and every name it goes by."""

    key: object
    names: tuple[str, ...]


@dataclass
class Match:
    """What a fragment of a cell matched, and what else the user might pick."""

    text: str
    key: object | None
    score: float
    how: str  # "exact" | "fuzzy" | "none"
    alternatives: list[tuple[object, float]] = field(default_factory=list)


def _words(text: str) -> list[str]:
    return _WORDS.findall(fold(text))


def _contract(words: list[str]) -> str:
    """Words with long forms contracted: "van phong uy ban nhan dan tinh" → "vp ubnd tinh"."""
    padded = f" {' '.join(words)} "
    for long, short in _CONTRACTIONS:
        padded = padded.replace(long, short)
    return padded.strip()


def _compact(words: list[str]) -> str:
    """The loose form without spaces, so "VP.UBND", "VP UBND" and "VPUBND" agree."""
    return _contract(words).replace(" ", "")


def _strip_fragment(text: str) -> str:
    """Without bullets, a leading "và", trailing punctuation and surrounding spaces."""
    previous = None
    text = text.strip()
    while text != previous:
        previous = text
        text = _TRAILING.sub("", _LEADING.sub("", text)).strip()
    return text


def _starts_with_head(words: list[str]) -> bool:
    return any(tuple(words[: len(head)]) == head for head in _AGENCY_HEADS)


def names_an_agency(text: str) -> bool:
    """Whether a cell opens with a word agency names start with ("Sở", "Bộ", "UBND", "Các cơ
    quan"…), bullets and "Các" aside: a hint, not a match."""
    words = _words(_LEADING.sub("", text.strip()))
    if words[:1] == ["cac"] and not _starts_with_head(words):
        words = words[1:]
    return _starts_with_head(words)


@lru_cache(maxsize=65536)
def _word_ratio(left: str, right: str) -> float:
    # Agency names share a small vocabulary, so word pairs repeat a lot.
    return SequenceMatcher(None, left, right).ratio()


def _token_score(left: list[str], right: list[str]) -> float:
    """Symmetric word agreement: an extra or missing word ("VP" in "VP UBND tỉnh") costs a lot."""
    if not left or not right:
        return 0.0

    def best(word: str, others: list[str]) -> float:
        if word in others:
            return 1.0
        return max(_word_ratio(word, other) for other in others)

    total = sum(best(w, right) for w in left) + sum(best(w, left) for w in right)
    return total / (len(left) + len(right))


class AgencyMatcher:
    """Split plan cells into agency fragments and match them to known candidates."""

    def __init__(self, candidates: Iterable[Candidate], fuzzy_threshold: float = 0.85) -> None:
        self.fuzzy_threshold = fuzzy_threshold
        self._exact: dict[str, list[object]] = {}
        self._compact: dict[str, list[object]] = {}
        self._entries: list[tuple[str, list[str], object]] = []
        # Compact keys of every name a cell may be segmented by (known names and group phrases).
        self._segments: set[str] = set()
        self._max_words = 1
        self._match_cache: dict[str, tuple[object | None, float, str, tuple]] = {}
        self._split_cache: dict[str, list[str]] = {}
        for candidate in candidates:
            for name in candidate.names:
                cleaned = _strip_fragment(unicodedata.normalize("NFC", name or ""))
                words = _words(cleaned)
                if not words:
                    continue
                for index, key in ((self._exact, fold(cleaned)), (self._compact, _compact(words))):
                    keys = index.setdefault(key, [])
                    if candidate.key not in keys:
                        keys.append(candidate.key)
                loose = _contract(words)
                self._entries.append((loose, loose.split(), candidate.key))
                self._segments.add(_compact(words))
                self._max_words = max(self._max_words, len(cleaned.split()))
        for phrase in GROUP_PHRASES:
            self._segments.add(_compact(_words(phrase)))
            self._max_words = max(self._max_words, len(phrase.split()))

    # ----------------------------------------------------------------------------------------
    # Matching

    def match(self, fragment: str) -> Match:
        """The best candidate for one agency fragment (exact, else fuzzy above the threshold)."""
        cleaned = _strip_fragment(unicodedata.normalize("NFC", fragment or ""))
        cached = self._match_cache.get(cleaned)
        if cached is None:
            cached = self._match(cleaned)
            if len(self._match_cache) >= _CACHE_LIMIT:
                self._match_cache.clear()
            self._match_cache[cleaned] = cached
        key, score, how, alternatives = cached
        return Match(text=fragment, key=key, score=score, how=how, alternatives=list(alternatives))

    def _match(self, cleaned: str) -> tuple[object | None, float, str, tuple]:
        words = _words(cleaned)
        if not words:
            return None, 0.0, "none", ()
        keys = self._exact.get(fold(cleaned)) or self._compact.get(_compact(words))
        if keys:
            return keys[0], 1.0, "exact", tuple((k, 1.0) for k in keys[1:])
        ranked = self._fuzzy(_contract(words))
        # Compare before rounding: 0.8496 is below a 0.85 threshold even if shown as 0.85.
        shown = tuple((key, round(score, 3)) for key, score in ranked)
        if ranked and ranked[0][1] >= self.fuzzy_threshold:
            return shown[0][0], shown[0][1], "fuzzy", shown[1 : 1 + _ALTERNATIVES]
        return None, 0.0, "none", shown[:_ALTERNATIVES]

    def _fuzzy(self, loose: str) -> list[tuple[object, float]]:
        """Candidates by similarity, best first, each key once.

        Only the best few are needed (the match and its alternatives): names are tried in order
        of difflib's cheap upper bound, and the search stops when that bound cannot beat them.
        """
        # Two or three letters match anything a little; only whole names are worth fuzzing.
        if len(loose.replace(" ", "")) < 4:
            return []
        tokens = loose.split()
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(loose)  # the fragment is compared with every name: cache it once
        bounds: list[tuple[float, int]] = []
        for position, (name, _tokens, _key) in enumerate(self._entries):
            matcher.set_seq1(name)
            if matcher.real_quick_ratio() < _ALTERNATIVE_FLOOR:
                continue
            bound = matcher.quick_ratio()
            if bound >= _ALTERNATIVE_FLOOR:
                bounds.append((bound, position))
        bounds.sort(key=lambda item: (-item[0], item[1]))
        best: dict[object, tuple[float, int]] = {}
        wanted = _ALTERNATIVES + 1
        for bound, position in bounds:
            if len(best) >= wanted:
                kth = sorted((score for score, _ in best.values()), reverse=True)[wanted - 1]
                if bound < kth:
                    break
            name, name_tokens, key = self._entries[position]
            matcher.set_seq1(name)
            score = matcher.ratio()
            if score < _ALTERNATIVE_FLOOR:
                continue
            # Characters alone would take "UBND tỉnh" for "VP UBND tỉnh" (0.86): words decide too.
            score = min(score, _token_score(tokens, name_tokens))
            if score < _ALTERNATIVE_FLOOR:
                continue
            if key not in best or score > best[key][0]:
                best[key] = (score, min(position, best.get(key, (0.0, position))[1]))
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1]))
        return [(key, score) for key, (score, _) in ranked]

    def match_cell(self, cell: str) -> list[Match]:
        """Split a cell and match each fragment."""
        return [self.match(fragment) for fragment in self.split_cell(cell)]

    # ----------------------------------------------------------------------------------------
    # Splitting

    def split_cell(self, cell: str) -> list[str]:
        """A cell as agency fragments, in order, trimmed of bullets and trailing punctuation.

        Splits on line breaks and ";"; on "," and " và " only between two agency names; and
        between two known names written back to back. Known names with commas stay whole.
        Noise such as "các cơ quan, đơn vị có liên quan" comes back as a fragment of its own.
        """
        if not cell:
            return []
        cached = self._split_cache.get(cell)
        if cached is None:
            text = unicodedata.normalize("NFC", cell)
            cached = []
            for piece in re.split(r"[\r\n\v\u2028;]+", text):
                stripped = _strip_fragment(piece)
                if stripped:
                    cached.extend(self._segment(stripped))
            if len(self._split_cache) >= _CACHE_LIMIT:
                self._split_cache.clear()
            self._split_cache[cell] = cached
        return list(cached)

    def _longest_known(self, words: list[list[str]], start: int) -> int | None:
        """End (exclusive) of the longest known name starting at token ``start``."""
        if not words[start]:
            return None
        found = None
        joined: list[str] = []
        for end in range(start, min(len(words), start + self._max_words + 3)):
            joined.extend(words[end])
            if _compact(joined) in self._segments:
                found = end + 1
        return found

    def _segment(self, piece: str) -> list[str]:
        # "tỉnh,UBND" → "tỉnh, UBND": a missing space must not glue two names into one token.
        piece = re.sub(r"([,;])(?=[^\s\d])", r"\1 ", piece)
        tokens = list(re.finditer(r"\S+", piece))
        words = [_words(token.group()) for token in tokens]
        spans: list[tuple[int, int, bool]] = []
        pending: int | None = None
        index = 0
        while index < len(tokens):
            end = self._longest_known(words, index)
            if end is not None and (
                pending is None or self._can_end(tokens, words, pending, index)
            ):
                if pending is not None:
                    spans.append((pending, index, False))
                    pending = None
                spans.append((index, end, True))
                index = end
                continue
            if pending is None:
                pending = index
            index += 1
        if pending is not None:
            spans.append((pending, len(tokens), False))

        fragments: list[str] = []
        for start, end, known in spans:
            text = piece[tokens[start].start() : tokens[end - 1].end()]
            parts = [text] if known else self._split_unknown(text)
            for part in parts:
                cleaned = _strip_fragment(part)
                if cleaned and not set(_words(cleaned)) <= _CONNECTORS:
                    fragments.append(cleaned)
        return fragments

    @staticmethod
    def _can_end(tokens: list[re.Match[str]], words: list[list[str]], start: int, end: int) -> bool:
        """Whether unknown text ``tokens[start:end]`` may end where a known name begins.

        Yes after a separator (",", ";", "và") or when it is an agency name of its own ("Sở Tài
        chính" before "UBND cấp huyện"); no when it is only a head ("Văn phòng" before "UBND
        tỉnh" is one name the caller does not know).
        """
        last = tokens[end - 1].group()
        if last[-1:] in ",;" or (words[end - 1] and words[end - 1][-1] in _CONNECTORS):
            return True
        flat = [w for ws in words[start:end] for w in ws]
        heads = [h for h in _AGENCY_HEADS if tuple(flat[: len(h)]) == h]
        return bool(heads) and len(flat) > max(len(h) for h in heads)

    @staticmethod
    def _split_unknown(text: str) -> list[str]:
        """Split text of unknown agencies at ",", "và" and a back-to-back "Sở" between agencies.

        "Sở Giao thông vận tải, Sở Xây dựng" splits; "Sở Văn hóa, Thể thao và Du lịch" does not,
        because "Thể thao" and "Du lịch" do not start an agency name.
        """
        tokens = list(re.finditer(r"\S+", text))
        parts: list[str] = []
        begin = 0
        index = 1
        while index < len(tokens):
            previous = tokens[index - 1].group()
            word = tokens[index].group()
            current = _words(text[tokens[begin].start() : tokens[index - 1].end()])
            after_start = index
            split = False
            if fold(word) in _CONNECTORS and index + 1 < len(tokens):
                after_start = index + 1
                split = True
            elif previous[-1:] == ",":
                split = True
            elif word == "Sở" and len(current) > 1:
                split = True  # "Sở Tài chính Sở Xây dựng": two names without a separator
            elif word.startswith(("VP.", "VP ")) or word == "VP":
                # "Sở TT&TT VP.UBND tỉnh": the Office comes second ("thuộc VP" is one name).
                split = len(current) > 1 and fold(previous) not in ("thuoc", "cua", "tai", "voi")
            if split and after_start < len(tokens):
                following = tokens[after_start].group()
                rest = _words(text[tokens[after_start].start() :])
                if _starts_with_head(current) and (
                    (following[:1].isupper() and _starts_with_head(rest))
                    or (
                        previous.endswith(",")
                        and tuple(rest[:2]) in _LOWER_GROUPS
                        and "lien quan" not in " ".join(rest)
                    )
                ):
                    parts.append(text[tokens[begin].start() : tokens[index - 1].end()])
                    begin = after_start
                    index = after_start + 1
                    continue
            index += 1
        parts.append(text[tokens[begin].start() :] if tokens else text)
        return parts


def split_names(text: str) -> list[str]:
    """Agency names run together in a cell ("Sở Tài chính, Sở Xây dựng"), without knowing any.

    Only a comma, "và" or a second "Sở" between two agency-looking names splits: a comma
    inside one name ("Sở Văn hóa, Thể thao và Du lịch") does not.
    """
    return [part.strip(" ,;") for part in AgencyMatcher._split_unknown(text) if part.strip(" ,;")]
