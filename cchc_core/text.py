"""Text helpers for matching Vietnamese names as people type them."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT_SPACE = re.compile(r"\s*([.,&/-])\s*")


def fold(text: str | None) -> str:
    """Lower case, no diacritics (``đ`` → ``d``), single spaces, tight punctuation.

    ``"Sở  TT & TT"`` and ``"so tt&tt"`` fold to the same key, so a name typed without accents,
    or written with other spacing in a plan, still finds its agency.
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = _SPACES.sub(" ", text.lower()).strip()
    return _PUNCT_SPACE.sub(r"\1", text)
