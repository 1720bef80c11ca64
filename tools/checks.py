"""What the checker scripts of tools/ share: counted checks and a free port.

Each checker prints ``ok``/``FAIL`` lines and ends with ``N passed, N failed``, the line
``tools/dev.py`` reads to count it in ``make test``.
"""

from __future__ import annotations

import socket


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"  ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"  FAIL {name} {detail}", flush=True)
        return condition


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
