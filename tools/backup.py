"""Back up and restore a CCHC database: PostgreSQL and its filestore, as one file.

    python tools/backup.py backup  --db cchc_demo --data-dir ~/.local/share/Odoo --out FILE
    python tools/backup.py restore FILE --db cchc_restored --data-dir ~/.local/share/Odoo

A backup is a tar file holding ``database.dump`` (``pg_dump --format=custom``: compressed,
restorable table by table), ``filestore.tar`` (the attachments: issued PDFs, signatures,
packages) and ``manifest.json`` (database, time, PostgreSQL version, installed addons and their
versions, and the SHA-256 of the two other members). Restoring checks every checksum first —
a damaged backup is refused before anything is written — then creates the database, restores
it and puts the filestore in place; a failure drops what was half-restored. The connection
comes from the usual PG* variables (``tools/dev.py`` sets them).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def psql(db: str, sql: str) -> str:
    return subprocess.run(
        ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def backup(db: str, data_dir: Path, out: Path) -> dict:
    filestore = data_dir / "filestore" / db
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        dump = tmp / "database.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), db], check=True
        )
        files = tmp / "filestore.tar"
        with tarfile.open(files, "w") as tar:
            if filestore.is_dir():
                tar.add(filestore, arcname=".")
        addons = psql(
            db,
            "SELECT name || '=' || COALESCE(latest_version, '') FROM ir_module_module "
            "WHERE state = 'installed' ORDER BY name",
        ).splitlines()
        manifest = {
            "format": "cchc-backup-1",
            "database": db,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "postgresql": psql(db, "SHOW server_version"),
            "addons": dict(line.split("=", 1) for line in addons),
            "sha256": {"database.dump": sha256_file(dump), "filestore.tar": sha256_file(files)},
        }
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname="database.dump")
            tar.add(files, arcname="filestore.tar")
        partial.replace(out)  # never a half-written backup under the final name
    return manifest


def _safe_extract(tar: tarfile.TarFile, target: Path) -> None:
    for member in tar.getmembers():
        if not (member.isfile() or member.isdir()):
            raise ValueError(f"unexpected member in backup: {member.name}")
        path = (target / member.name).resolve()
        if not path.is_relative_to(target.resolve()):
            raise ValueError(f"member outside the target: {member.name}")
    tar.extractall(target, filter="data")


def restore(source: Path, db: str, data_dir: Path) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with tarfile.open(source) as tar:
            _safe_extract(tar, tmp)
        manifest = json.loads((tmp / "manifest.json").read_text())
        for name, expected in manifest["sha256"].items():
            if sha256_file(tmp / name) != expected:
                raise ValueError(f"{name} does not match its checksum: the backup is damaged")
        exists = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'")
        if exists:
            raise ValueError(f"database {db} exists already: restore into a new name")
        filestore = data_dir / "filestore" / db
        if filestore.exists():
            raise ValueError(f"filestore {filestore} exists already")
        subprocess.run(["createdb", db], check=True)
        try:
            subprocess.run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--exit-on-error",
                    "--dbname",
                    db,
                    str(tmp / "database.dump"),
                ],
                check=True,
            )
            filestore.mkdir(parents=True)
            with tarfile.open(tmp / "filestore.tar") as tar:
                _safe_extract(tar, filestore)
        except Exception:
            subprocess.run(["dropdb", "--if-exists", db], check=False)
            shutil.rmtree(filestore, ignore_errors=True)
            raise
    return manifest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_backup = sub.add_parser("backup")
    p_backup.add_argument("--db", required=True)
    p_backup.add_argument("--data-dir", required=True, type=Path)
    p_backup.add_argument("--out", required=True, type=Path)
    p_restore = sub.add_parser("restore")
    p_restore.add_argument("file", type=Path)
    p_restore.add_argument("--db", required=True)
    p_restore.add_argument("--data-dir", required=True, type=Path)
    opts = parser.parse_args(argv)
    try:
        if opts.command == "backup":
            manifest = backup(opts.db, opts.data_dir, opts.out)
            size = os.path.getsize(opts.out) / 1e6
            addons = len(manifest["addons"])
            print(f"backup of {opts.db}: {opts.out} ({size:.1f} MB, {addons} addons)")
        else:
            manifest = restore(opts.file, opts.db, opts.data_dir)
            print(f"restored {manifest['database']} of {manifest['created']} as {opts.db}")
    except (ValueError, OSError, subprocess.CalledProcessError, tarfile.TarError) as exc:
        print(f"{opts.command} failed: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
