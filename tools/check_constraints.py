"""Check that constraints.txt installs on every Python the README promises.

pip evaluates environment markers against the interpreter it runs on, not against
``--python-version``, so the pins are filtered here for each target first; then pip resolves
each pin (``--no-deps``: the pins are the whole set) against the target's ``Requires-Python``
and available files, without installing anything.

    python tools/check_constraints.py [--python 3.11.2 --python 3.12.3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
# The oldest 3.11 of Debian 12 (bookworm) and the Python of Ubuntu 24.04 LTS (noble).
TARGETS = ("3.11.2", "3.12.3")


def pins_for(version: str) -> list[str]:
    env = {
        "python_version": ".".join(version.split(".")[:2]),
        "python_full_version": version,
    }
    pins = []
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(env):
            pins.append(f"{req.name}{req.specifier}")
    return pins


def check(version: str) -> bool:
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as reqs:
        reqs.write("\n".join(pins_for(version)) + "\n")
        reqs.flush()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--dry-run",
                "--quiet",
                "--no-deps",
                "--ignore-installed",
                "--python-version",
                version,
                "-r",
                reqs.name,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    ok = proc.returncode == 0
    print(f"constraints.txt on Python {version}: {'ok' if ok else 'FAILS'}")
    for line in errors[-3:]:
        print(f"  {line[:400]}")
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", help="target version (repeatable)")
    opts = parser.parse_args(argv)
    results = [check(v) for v in (opts.python or TARGETS)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
