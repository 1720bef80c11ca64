"""Every user-facing string of the project's addons is translated into Vietnamese.

    python tools/check_i18n.py --odoo-cmd '<python> <odoo-bin> --addons-path … --db_user …' \
        --db DATABASE --addons cchc_base,cchc_plan [--write-pot]

Odoo itself exports what it would show a user (field labels and help, selections, views,
menus, actions, QWeb, messages of Python code marked for translation) for the installed addons;
each term must have a non-empty, non-fuzzy ``msgstr`` in the addon's ``i18n/vi.po``. With
``--write-pot`` the addons' ``i18n/<addon>.pot`` files are rewritten from the export. Prints
the missing terms per addon and ``N passed, N failed`` (one check per addon) last.
"""

from __future__ import annotations

import argparse
import io
import shlex
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"


def export(odoo_cmd: str, db: str, addons: list[str]) -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "terms.tgz"
        cmd = shlex.split(odoo_cmd) + [
            "-d",
            db,
            "--i18n-export",
            str(out),
            "--modules",
            ",".join(addons),
            "--log-level=warn",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode or not out.exists():
            raise RuntimeError(f"Odoo could not export the terms:\n{proc.stderr[-3000:]}")
        pots = {}
        with tarfile.open(out) as tgz:
            for member in tgz.getmembers():
                parts = Path(member.name).parts
                if member.isfile() and member.name.endswith(".pot"):
                    pots[parts[0]] = tgz.extractfile(member).read()
        return pots


def missing_entries(addon: str, pot: bytes) -> list:
    """The exported entries (with their references) that vi.po does not translate."""
    missing = set(missing_terms(addon, pot))
    return [e for e in polib.pofile(pot.decode()) if e.msgid in missing]


def missing_terms(addon: str, pot: bytes) -> list[str]:
    po_path = ADDONS / addon / "i18n" / "vi.po"
    translated = set()
    if po_path.exists():
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr.strip() and "fuzzy" not in entry.flags and not entry.obsolete:
                translated.add(entry.msgid)
    return [
        entry.msgid
        for entry in polib.pofile(io.BytesIO(pot).read().decode())
        if entry.msgid and entry.msgid not in translated
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--odoo-cmd", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons", required=True, help="comma-separated")
    parser.add_argument("--write-pot", action="store_true", help="rewrite i18n/<addon>.pot")
    parser.add_argument(
        "--missing-po",
        type=Path,
        help="write the untranslated entries, with their references, to <dir>/<addon>.po",
    )
    opts = parser.parse_args(argv)
    addons = opts.addons.split(",")
    pots = export(opts.odoo_cmd, opts.db, addons)
    passed = failed = 0
    for addon in addons:
        pot = pots.get(addon, b"")
        if opts.write_pot and pot:
            (ADDONS / addon / "i18n" / f"{addon}.pot").write_bytes(pot)
        missing = missing_terms(addon, pot)
        if missing and opts.missing_po:
            opts.missing_po.mkdir(parents=True, exist_ok=True)
            out = polib.POFile()
            out.extend(missing_entries(addon, pot))
            out.save(str(opts.missing_po / f"{addon}.po"))
        if missing:
            failed += 1
            print(f"  FAIL {addon}: {len(missing)} term(s) without a Vietnamese translation")
            for msgid in missing[:40]:
                print(f"         {msgid[:110]!r}")
            if len(missing) > 40:
                print(f"         … and {len(missing) - 40} more")
        else:
            passed += 1
            print(f"  ok   {addon}: every term translated")
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
