"""C14N 1.0 for edXML packages: the escaping the writer uses to emit the canonical form
itself, and the canonicalisation of a parsed package with its long texts set aside."""

from __future__ import annotations

import re
import secrets

from lxml import etree

from cchc_core.edxml.model import EdxmlError
from cchc_core.messages import Message

# What XML 1.0 cannot carry in a text or an attribute.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def escape_text(value: str) -> str:
    """``value`` escaped as C14N escapes text nodes: ``& < >`` and CR. Four ``str.find`` scans
    when, as with base64, there is nothing to escape."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "\r" in value:
        value = value.replace("\r", "&#xD;")
    return value


def xml_text(value: str, element: str) -> str:
    """``value`` escaped as C14N escapes text nodes; refuses what XML cannot carry."""
    if not isinstance(value, str):
        raise EdxmlError(Message("%(element)s must be text", element=element))
    bad = NOT_XML.search(value)
    if bad:
        raise EdxmlError(
            Message(
                "%(element)s contains a character that XML cannot carry (U+%(code)s)",
                element=element,
                code=f"{ord(bad.group()):04X}",
            )
        )
    return escape_text(value)


def xml_attribute(value: str) -> str:
    """``value`` escaped as C14N escapes attribute values."""
    for char, entity in (
        ("&", "&amp;"),
        ("<", "&lt;"),
        ('"', "&quot;"),
        ("\t", "&#x9;"),
        ("\n", "&#xA;"),
        ("\r", "&#xD;"),
    ):
        value = value.replace(char, entity)
    return value


_LONG_TEXT = 512


def canonical(
    tree, *, exclusive: bool = False, prefixes=None, mark=None, restore: bool = True
) -> tuple[list[bytes], int, list[tuple[etree._Element, str]]]:
    """The canonical form of ``tree`` without comments, as chunks, the index of the chunk
    that starts at the end of ``mark``'s content (where a signature goes), and the long texts.

    Long texts are swapped for a random token while libxml2 canonicalises the rest, then
    escaped here: the same bytes, without libxml2's slow per-character text escaping. Putting
    a 1.4 MB text back into the tree costs more than the rest (lxml checks every character):
    with ``restore=False`` the long texts are returned instead and the tree keeps the token.
    """
    token = secrets.token_hex(16)
    swapped = []
    for element in tree.getroot().iter(etree.Element):
        text = element.text
        if text is not None and len(text) >= _LONG_TEXT:
            swapped.append((element, text))
            element.text = token
    mark_token = secrets.token_hex(16) if mark is not None else ""
    if mark is not None:
        holder = mark[-1] if len(mark) else None
        marked = holder.tail if holder is not None else mark.text
        if holder is not None:
            holder.tail = (marked or "") + mark_token
        else:
            mark.text = (marked or "") + mark_token
    try:
        small = etree.tostring(
            tree,
            method="c14n",
            exclusive=exclusive,
            with_comments=False,
            inclusive_ns_prefixes=prefixes or None,
        )
    except (etree.C14NError, ValueError, TypeError):
        small = None
    finally:
        if mark is not None:
            if holder is not None:
                holder.tail = marked
            else:
                mark.text = marked
        if restore:
            for element, text in swapped:
                element.text = text
    pieces = small.split(token.encode()) if small is not None else ()
    if len(pieces) != len(swapped) + 1:
        raise EdxmlError(Message("the package cannot be canonicalized for its signature"))
    chunks = [pieces[0]]
    for (_element, text), piece in zip(swapped, pieces[1:], strict=True):
        chunks.append(escape_text(text).encode())
        chunks.append(piece)
    insert_at = len(chunks)
    if mark is not None:
        needle = mark_token.encode()
        for index in range(0, len(chunks), 2):
            found = chunks[index].find(needle)
            if found >= 0:
                chunk = chunks[index]
                chunks[index : index + 1] = [chunk[:found], chunk[found + len(needle) :]]
                insert_at = index + 1
                break
        else:
            raise EdxmlError(Message("the package cannot be canonicalized for its signature"))
    return chunks, insert_at, swapped
