"""Every translated term of an addon's i18n/vi.po is in its i18n/<addon>.pot.

Odoo reads a vi.po merged with the .pot beside it (odoo.tools.translate.PoFileReader): an entry
the .pot lacks becomes obsolete and is dropped, and the .pot's comments decide whether a term
counts as Python or JavaScript code. So a term added to vi.po alone stays English on screen.

    python tools/check_pot.py [ADDON ...]

An entry without its ``#. module:`` comment (two entries glued together, say) makes Odoo's
reader fail on the whole catalogue. A ``#: code:`` reference must name a file of the project that
holds the term (as Odoo's export finds it in Python and JavaScript files): a file that moved or a
term that changed wording leaves a reference nobody can follow. Prints the problems per addon and
exits 1 when there are any.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib
from babel.messages import extract

ADDONS = Path(__file__).resolve().parent.parent / "addons"
CODE_KINDS = ("odoo-python", "odoo-javascript")
# How Odoo's export finds the terms of a file (odoo.tools.translate.TranslationModuleReader).
EXTRACTORS = {
    ".py": (extract.extract_python, {"_": None, "_lt": None}),
    ".js": (extract.extract_javascript, {"_t": None}),
}


def file_terms(path: Path, cache: dict) -> set[str] | None:
    """The terms of a Python or JavaScript file; None for another kind of file."""
    if path not in cache:
        method = EXTRACTORS.get(path.suffix)
        if method is None:
            cache[path] = None
        else:
            with path.open("rb") as source:
                found = extract.extract(
                    method[0], source, keywords=method[1], options={"encoding": "UTF-8"}
                )
                cache[path] = {m if isinstance(m, str) else m[0] for _line, m, *_rest in found}
    return cache[path]


def stale_references(addon: Path, kind: str, entries, cache: dict) -> list[str]:
    found = []
    for entry in entries:
        for ref, _line in entry.occurrences:
            if not ref.startswith("code:addons/"):
                continue
            path = addon.parent / ref.removeprefix("code:addons/")
            if not path.is_file():
                found.append(
                    f"the {kind} refers to a file that does not exist: {ref} {entry.msgid!r}"
                )
                continue
            terms = file_terms(path, cache)
            if terms is not None and entry.msgid not in terms:
                found.append(f"the {kind} refers to {ref}, which does not hold {entry.msgid!r}")
    return found


def problems(addon: Path) -> list[str]:
    po_path, pot_path = addon / "i18n" / "vi.po", addon / "i18n" / f"{addon.name}.pot"
    if not po_path.exists():
        return []
    entries = [e for e in polib.pofile(str(po_path)) if e.msgid and not e.obsolete]
    if not entries:
        return []
    if not pot_path.exists():
        return [f"{pot_path.name} is missing"]
    templates = [e for e in polib.pofile(str(pot_path)) if e.msgid]
    pot = {entry.msgid: entry for entry in templates}
    found = [
        f"no '#. module:' comment in the {kind}: {entry.msgid!r}"
        for kind, group in (("vi.po", entries), (".pot", templates))
        for entry in group
        if not entry.comment.startswith("module: ")
    ]
    cache = {}
    found += stale_references(addon, "vi.po", entries, cache)
    found += stale_references(addon, ".pot", templates, cache)
    for entry in entries:
        template = pot.get(entry.msgid)
        if template is None:
            found.append(f"not in the .pot: {entry.msgid!r}")
            continue
        for kind in CODE_KINDS:
            if kind in entry.comment and kind not in template.comment:
                found.append(f"the .pot does not mark it {kind}: {entry.msgid!r}")
    return found


def main(argv: list[str]) -> int:
    addons = [ADDONS / name for name in argv] or sorted(ADDONS.glob("cchc_*"))
    failed = 0
    for addon in addons:
        found = problems(addon)
        for line in found:
            print(f"{addon.name}: {line}")
        failed += bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
