"""Every translated term of an addon's i18n/vi.po is in its i18n/<addon>.pot.

Odoo reads a vi.po merged with the .pot beside it (odoo.tools.translate.PoFileReader): an entry
the .pot lacks becomes obsolete and is dropped, and the .pot's comments decide whether a term
counts as Python or JavaScript code. So a term added to vi.po alone stays English on screen.

    python tools/check_pot.py [ADDON ...]

An entry without its ``#. module:`` comment (two entries glued together, say) makes Odoo's
reader fail on the whole catalogue. Prints the problems per addon and exits 1 when there are any.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ADDONS = Path(__file__).resolve().parent.parent / "addons"
CODE_KINDS = ("odoo-python", "odoo-javascript")


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
