#!/usr/bin/env python3
"""Developer entry point behind `make demo` and `make test`.

Runs with the system Python (standard library only) so that a fresh clone can bootstrap itself:
it creates the virtual environment, finds or fetches an Odoo 18.0 source tree, finds or starts a
PostgreSQL server, then runs the demo server or the test suites.

    python3 tools/dev.py setup        # venv + dependencies (+ Odoo when a source tree is found)
    python3 tools/dev.py demo         # database cchc_demo with demo data, served on :8069
    python3 tools/dev.py demo --reset # drop and recreate cchc_demo first
    python3 tools/dev.py test         # lint + pure tests + Odoo tests, one closing summary line
    python3 tools/dev.py test --addons cchc_base --no-lint   # one addon
    python3 tools/dev.py odoo-bin -- <args>                   # odoo-bin with the project's options

Environment: ODOO_SRC, CCHC_VENV, CCHC_CACHE, PGHOST/PGPORT/PGUSER/PGPASSWORD, CCHC_HTTP_PORT,
CCHC_SECRET_KEY (the key that encrypts stored secrets; made once per cache dir when unset).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS_DIR = ROOT / "addons"
MIN_PYTHON = (3, 11)
ODOO_SERIES = "18.0"
ODOO_DOWNLOAD_URL = "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
# `CCHC_DEMO_DB` runs a second demo beside the first (another checkout, another port).
DEMO_DB = os.environ.get("CCHC_DEMO_DB", "cchc_demo")
DB_ROLE = "cchc"
PRIVATE_PG_PORT = 54329

# Lines of the Odoo log that fail the run even when every test passed.
ERROR_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")
ODOO_SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
ODOO_SKIPPED = re.compile(r" INFO \S+ \S+: skipped ")


def say(msg: str) -> None:
    print(f"[cchc] {msg}", flush=True)


def loud(msg: str) -> None:
    bar = "!" * 78
    print(f"\n{bar}\n!! {msg}\n{bar}\n", flush=True)


def die(msg: str, code: int = 2) -> None:
    print(f"\n[cchc] ERROR: {msg}\n", file=sys.stderr, flush=True)
    sys.exit(code)


def cache_dir() -> Path:
    base = os.environ.get("CCHC_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "cchc"
    )
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def ensure_secret_key() -> None:
    """The key that encrypts stored secrets (cchc_base.tools.secrets), kept outside the
    database: CCHC_SECRET_KEY, or one made once for this cache dir (demo, tests, benchmarks)."""
    if os.environ.get("CCHC_SECRET_KEY"):
        return
    path = cache_dir() / "secret_key"
    if not path.exists():
        path.write_text(base64.urlsafe_b64encode(os.urandom(32)).decode())
        path.chmod(0o600)
    os.environ["CCHC_SECRET_KEY"] = path.read_text().strip()


# ---------------------------------------------------------------- virtual environment


def venv_dir() -> Path:
    return Path(os.environ.get("CCHC_VENV") or ROOT / ".venv")


def venv_python() -> Path:
    return venv_dir() / "bin" / "python"


def run(cmd, check=True, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], check=check, **kw)


def ensure_venv(odoo_src: Path | None) -> Path:
    """Create the venv and install the pinned dependencies; reuse it when nothing changed."""
    if sys.version_info < MIN_PYTHON:
        die(
            f"Python >= {'.'.join(map(str, MIN_PYTHON))} is required, "
            f"this is {sys.version.split()[0]}"
        )
    vdir = venv_dir()
    py = venv_python()
    if not py.exists():
        say(f"creating virtual environment {vdir}")
        run([sys.executable, "-m", "venv", vdir])
        run([py, "-m", "pip", "install", "-q", "--upgrade", "pip", "wheel"])
    digest = hashlib.sha256()
    for name in ("requirements.txt", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    digest.update(str(odoo_src or "").encode())
    stamp = vdir / ".cchc-stamp"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return py
    if odoo_src:
        say(f"installing Odoo from {odoo_src}")
        # --no-deps: Odoo's own pins do not build on Python 3.11; constraints.txt replaces them.
        # First: OCA addons from the registry (queue_job) require odoo==18.0.* installed.
        # editable_mode=compat puts the source tree itself on sys.path: the OCA addons installed
        # from wheels (queue_job) add site-packages/odoo/addons, and with the default editable
        # finder that namespace directory would hide the odoo package from plain `import odoo`.
        run(
            [
                py,
                "-m",
                "pip",
                "install",
                "-q",
                "--no-deps",
                "-e",
                odoo_src,
                "--config-settings",
                "editable_mode=compat",
            ]
        )
    say("installing Python dependencies (constraints.txt, tested with Odoo 18.0 on Python 3.11)")
    requirements = ROOT / "requirements.txt"
    if not odoo_src:
        # Without Odoo only the pure core and its tests run: leave out the Odoo addons.
        lines = [
            line for line in requirements.read_text().splitlines() if "odoo-addon-" not in line
        ]
        requirements = cache_dir() / "requirements-pure.txt"
        requirements.write_text("\n".join(lines) + "\n")
    run([py, "-m", "pip", "install", "-q", "-r", requirements, "-c", ROOT / "constraints.txt"])
    run([py, "-m", "pip", "install", "-q", "--no-deps", "-e", ROOT])
    stamp.write_text(digest.hexdigest())
    return py


# ---------------------------------------------------------------- Odoo source


def default_odoo_locations() -> list[Path]:
    return [
        cache_dir() / "odoo-18.0",
        ROOT.parent / "odoo-18.0",
        Path("/opt/odoo-18.0"),
    ]


def is_odoo18(path: Path) -> bool:
    release = path / "odoo" / "release.py"
    if not (release.is_file() and (path / "odoo-bin").is_file()):
        return False
    return bool(re.search(r"version_info\s*=\s*\(\s*18\s*,\s*0\s*,", release.read_text()))


def download_odoo(target: Path) -> Path | None:
    """Fetch Odoo's official 18.0 source; None when the network does not allow it."""
    say(f"no Odoo source found; trying to download {ODOO_DOWNLOAD_URL}")
    tmp = Path(tempfile.mkdtemp(prefix="odoo-dl-", dir=target.parent))
    archive = tmp / "odoo.tar.gz"
    try:
        with (
            urllib.request.urlopen(ODOO_DOWNLOAD_URL, timeout=20) as resp,
            open(archive, "wb") as out,
        ):
            shutil.copyfileobj(resp, out)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        tops = [p for p in tmp.iterdir() if p.is_dir()]
        if len(tops) != 1 or not is_odoo18(tops[0]):
            say("the downloaded archive is not an Odoo 18.0 source tree")
            return None
        tops[0].rename(target)
        return target
    except (OSError, tarfile.TarError) as exc:
        say(f"download failed: {exc}")
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def find_odoo(download: bool = True) -> Path | None:
    env = os.environ.get("ODOO_SRC")
    if env:
        path = Path(env).expanduser().resolve()
        if not is_odoo18(path):
            die(
                f"ODOO_SRC={env} is not an Odoo 18.0 source tree "
                "(no odoo-bin, or odoo/release.py is not 18.0)"
            )
        return path
    for path in default_odoo_locations():
        if is_odoo18(path):
            return path.resolve()
    if download:
        return download_odoo(default_odoo_locations()[0])
    return None


def odoo_missing_message() -> str:
    places = "\n".join(f"    {p}" for p in default_odoo_locations())
    return (
        "No Odoo 18.0 source tree found and it could not be downloaded.\n"
        "  Set ODOO_SRC to an Odoo 18.0 source tree (the directory holding odoo-bin), e.g.\n"
        "    ODOO_SRC=$HOME/src/odoo-18.0 make demo\n"
        f"  or unpack Odoo's official 18.0 source ({ODOO_DOWNLOAD_URL}) at one of:\n{places}"
    )


# ---------------------------------------------------------------- browser

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    for name in BROWSERS:
        if path := shutil.which(name):
            return path
    return None


def apt_install(package: str, purpose: str) -> bool:
    """Install a Debian package when we may (root with apt-get); False otherwise."""
    apt = shutil.which("apt-get")
    if not (apt and os.geteuid() == 0):
        return False
    say(f"installing {package} for {purpose} (apt-get install {package})")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if run([apt, "install", "-y", "-qq", package], check=False, env=env).returncode == 0:
        return True
    # The package lists may be missing or stale on a fresh machine.
    run([apt, "update", "-qq"], check=False, env=env)
    return run([apt, "install", "-y", "-qq", package], check=False, env=env).returncode == 0


def ensure_browser() -> str | None:
    """Chromium for the tours (Odoo skips a tour when it finds no browser)."""
    if path := find_browser():
        return path
    if apt_install("chromium", "the browser tours") and (path := find_browser()):
        return path
    loud("NO CHROMIUM: the browser tours will be SKIPPED (install it: apt-get install chromium)")
    return None


def ensure_haproxy() -> str | None:
    """HAProxy in front of the two-node cluster (make cluster, and its check in make test)."""
    if path := shutil.which("haproxy") or (
        Path("/usr/sbin/haproxy").exists() and "/usr/sbin/haproxy"
    ):
        return str(path)
    if apt_install("haproxy", "the two-node cluster"):
        return shutil.which("haproxy") or "/usr/sbin/haproxy"
    return None


def ensure_wkhtmltopdf() -> None:
    """wkhtmltopdf, with which Odoo prints its PDF reports (the one-stop desk's forms)."""
    if shutil.which("wkhtmltopdf") or apt_install("wkhtmltopdf", "the printable forms"):
        return
    say("wkhtmltopdf not found: the forms open as HTML previews (apt-get install wkhtmltopdf)")


# Verifiers nobody here wrote, run by the pure tests on what the product signs: poppler's
# pdfsig on the PDFs, xmlsec1 on the edXML packages (pyHanko's CLI comes with the venv).
VERIFIERS = {"pdfsig": "poppler-utils", "xmlsec1": "xmlsec1"}


def ensure_verifiers() -> None:
    for tool, package in VERIFIERS.items():
        if shutil.which(tool) or (apt_install(package, f"the {tool} tests") and shutil.which(tool)):
            continue
        loud(f"NO {tool}: its tests will FAIL (install it: apt-get install {package})")


# ---------------------------------------------------------------- PostgreSQL


class Postgres:
    """Connection settings for Odoo, and a private cluster we may have started."""

    def __init__(self):
        self.host = os.environ.get("PGHOST", "")
        self.port = os.environ.get("PGPORT", "")
        self.user = os.environ.get("PGUSER", "") or DB_ROLE
        self.password = os.environ.get("PGPASSWORD", "")
        self.private_data: Path | None = None

    def odoo_args(self) -> list[str]:
        args = ["--db_user", self.user]
        if self.host:
            args += ["--db_host", self.host]
        if self.port:
            args += ["--db_port", self.port]
        if self.password:
            args += ["--db_password", self.password]
        return args

    def env(self, user: str | None = None) -> dict:
        env = dict(os.environ)
        env["PGUSER"] = user or self.user
        if self.host:
            env["PGHOST"] = self.host
        if self.port:
            env["PGPORT"] = self.port
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def psql(self, sql: str, db: str = "postgres", user: str | None = None, check=True):
        return run(
            ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
            check=check,
            env=self.env(user),
            capture_output=True,
            text=True,
        )

    def can_connect(self, user: str | None = None) -> tuple[bool, str]:
        res = self.psql("SELECT 1", user=user, check=False)
        return res.returncode == 0, (res.stderr or "").strip()

    def setup(self) -> Postgres:
        if self.user == "postgres":
            die("Odoo refuses to run as the 'postgres' role; set PGUSER to another role")
        if not shutil.which("psql"):
            die("PostgreSQL client binaries (psql) not found; install PostgreSQL >= 13")
        explicit = bool(self.host or self.port)
        if not explicit and not self._server_listening():
            self._start_private_cluster()
            return self
        ok, err = self.can_connect()
        if ok:
            return self
        if "does not exist" in err and "role" in err:
            for admin in ("postgres", os.environ.get("USER") or ""):
                if admin and self.can_connect(admin)[0]:
                    say(f"creating PostgreSQL role {self.user!r} (LOGIN CREATEDB)")
                    self.psql(f'CREATE ROLE "{self.user}" LOGIN CREATEDB', user=admin)
                    return self
        die(
            f"cannot connect to PostgreSQL as {self.user!r}: {err}\n"
            f"  Create the role (CREATE ROLE {self.user} LOGIN CREATEDB) or set PGUSER/PGPASSWORD."
        )
        return self

    def _server_listening(self) -> bool:
        for sock in ("/var/run/postgresql/.s.PGSQL.5432", "/tmp/.s.PGSQL.5432"):
            if os.path.exists(sock):
                return True
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 5432), timeout=1):
            self.host = "127.0.0.1"
            return True
        return False

    def _pg_bin(self, name: str) -> str:
        found = shutil.which(name)
        if found:
            return found
        for cand in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
            return str(cand)
        die(
            f"no PostgreSQL server is running and {name} was not found; install PostgreSQL's "
            "server binaries or point PGHOST/PGPORT at a server"
        )
        return name

    def _start_private_cluster(self) -> None:
        if os.geteuid() == 0:
            die(
                "no PostgreSQL server found, and a private cluster cannot be initialised as root "
                "(initdb refuses it). Start a server or run as an unprivileged user."
            )
        base = cache_dir() / "pg"
        data = base / "data"
        sock = base / "run"
        sock.mkdir(parents=True, exist_ok=True)
        if not (data / "PG_VERSION").exists():
            say(f"initialising a private PostgreSQL cluster in {data}")
            run(
                [
                    self._pg_bin("initdb"),
                    "-D",
                    data,
                    "-U",
                    self.user,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
                stdout=subprocess.DEVNULL,
            )
        self.host, self.port = str(sock), str(PRIVATE_PG_PORT)
        if self.can_connect()[0]:
            return  # started earlier and still running
        say(f"starting the private PostgreSQL cluster (socket {sock}, port {PRIVATE_PG_PORT})")
        run(
            [
                self._pg_bin("pg_ctl"),
                "-D",
                data,
                "-l",
                base / "server.log",
                "-w",
                "-o",
                f"-p {PRIVATE_PG_PORT} -k {sock} -c listen_addresses=''",
                "start",
            ],
            stdout=subprocess.DEVNULL,
        )
        self.private_data = data

    def stop_private(self) -> None:
        if self.private_data:
            say("stopping the private PostgreSQL cluster")
            run(
                [self._pg_bin("pg_ctl"), "-D", self.private_data, "-m", "fast", "-w", "stop"],
                check=False,
                stdout=subprocess.DEVNULL,
            )
            self.private_data = None

    def db_exists(self, name: str) -> bool:
        res = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        return res.stdout.strip() == "1"

    def db_initialised(self, name: str) -> bool:
        res = self.psql(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'ir_module_module'",
            db=name,
            check=False,
        )
        return res.returncode == 0 and res.stdout.strip() == "1"

    def drop_db(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# ---------------------------------------------------------------- Odoo invocation


def project_addons() -> list[str]:
    return sorted(p.parent.name for p in ADDONS_DIR.glob("*/__manifest__.py"))


def addons_digest() -> str:
    """A fingerprint of the addons' files, to know when a database needs updating."""
    digest = hashlib.sha256()
    for path in sorted(ADDONS_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ADDONS_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def odoo_cmd(py: Path, odoo_src: Path, pg: Postgres, *args: str) -> list[str]:
    addons_path = ",".join([str(odoo_src / "addons"), str(ADDONS_DIR)])
    return [
        str(py),
        str(odoo_src / "odoo-bin"),
        "--addons-path",
        addons_path,
        "--data-dir",
        str(cache_dir() / "filestore"),
        *pg.odoo_args(),
        *args,
    ]


# ---------------------------------------------------------------- test


def run_lint(py: Path) -> bool:
    say("lint: ruff")
    ok = run([py, "-m", "ruff", "check", "--no-cache", ROOT], check=False, cwd=ROOT).returncode == 0
    ok &= (
        run(
            [py, "-m", "ruff", "format", "--check", "--no-cache", ROOT], check=False, cwd=ROOT
        ).returncode
        == 0
    )
    say("lint: pylint-odoo mandatory checks")
    addons = [ADDONS_DIR / a for a in project_addons()]
    if addons:
        ok &= (
            run(
                [py, "-m", "pylint", "--rcfile", ROOT / ".pylintrc-mandatory", *addons],
                check=False,
                cwd=ROOT,
            ).returncode
            == 0
        )
    say("lint: every i18n/vi.po is a valid catalogue (msgfmt -c)")
    msgfmt = shutil.which("msgfmt") or (apt_install("gettext", "msgfmt") and shutil.which("msgfmt"))
    if msgfmt:
        for po in sorted(ADDONS_DIR.glob("*/i18n/vi.po")):
            ok &= run([msgfmt, "-c", "-o", os.devnull, po], check=False).returncode == 0
    else:
        loud("NO msgfmt: the translation catalogues were not checked (apt-get install gettext)")
        ok = False
    say("lint: every term of a vi.po is in its .pot (Odoo drops the others)")
    ok &= run([py, ROOT / "tools" / "check_pot.py"], check=False, cwd=ROOT).returncode == 0
    say("lint: constraints.txt resolves on every Python README promises")
    ok &= run([py, ROOT / "tools" / "check_constraints.py"], check=False, cwd=ROOT).returncode == 0
    return ok


def run_pure_tests(py: Path) -> tuple[int, int, int]:
    say("pure tests (pytest)")
    junit = Path(tempfile.mkstemp(suffix=".xml")[1])
    res = run(
        [py, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", ROOT / "tests"],
        check=False,
        cwd=ROOT,
    )
    passed = failed = skipped = 0
    try:
        root = ET.parse(junit).getroot()
        for suite in root.iter("testsuite"):
            total = int(suite.get("tests", 0))
            fail = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skip = int(suite.get("skipped", 0))
            passed += total - fail - skip
            failed += fail
            skipped += skip
    except (ET.ParseError, FileNotFoundError):
        failed += 1
    finally:
        junit.unlink(missing_ok=True)
    if res.returncode not in (0, 1, 5) or (res.returncode == 1 and not failed):
        failed += 1  # pytest itself broke (collection error, bad option)
    return passed, failed, skipped


def run_odoo_tests(py, odoo_src, pg, addons, test_tags=None) -> tuple[int, int, int, int]:
    db = f"cchc_test_{os.getpid()}"
    pg.drop_db(db)
    log = cache_dir() / f"odoo-test-{os.getpid()}.log"
    args = [
        "-d",
        db,
        "-i",
        ",".join(addons),
        "--test-enable",
        "--stop-after-init",
        "--without-demo=all",
        "--log-level=test",
        "--http-port",
        str(free_port()),
        "--max-cron-threads=0",
    ]
    # Only the project's tests: installing an addon would otherwise run those of its dependencies.
    args += ["--test-tags", test_tags or ",".join(f"/{addon}" for addon in addons)]
    say(f"Odoo tests of {', '.join(addons)} in a fresh database {db} (log: {log})")
    summary = None
    errors = skipped = 0
    with open(log, "w") as out:
        proc = subprocess.Popen(
            odoo_cmd(py, odoo_src, pg, *args),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=ROOT,
        )
        for line in proc.stdout:
            out.write(line)
            if ERROR_LINE.match(line):
                errors += 1
                sys.stdout.write(line)
            elif ODOO_SKIPPED.search(line):
                skipped += 1
            if m := ODOO_SUMMARY.search(line):
                summary = tuple(int(x) for x in m.groups())
                sys.stdout.write(line)
        proc.wait()
    prefork = (0, 0)
    if summary is not None and not test_tags:
        prefork = run_prefork_check(py, odoo_src, pg, db)
        i18n = run_i18n_check(py, odoo_src, pg, db, addons)
        # The load drives one-stop desks and plan officers: it needs both addons.
        cluster = (
            run_cluster_check(py, odoo_src, pg, db)
            if {"cchc_onestop", "cchc_plan"} <= set(addons)
            else (0, 0)
        )
        prefork = (
            prefork[0] + i18n[0] + cluster[0],
            prefork[1] + i18n[1] + cluster[1],
        )
    pg.drop_db(db)
    shutil.rmtree(cache_dir() / "filestore" / "filestore" / db, ignore_errors=True)
    if summary is None:
        say("Odoo printed no test summary: the run broke before the tests finished")
        return 0, max(errors, 1), skipped, errors
    failures, errs, ran = summary
    failed = failures + errs
    passed = ran - failed - skipped
    if proc.returncode and not failed:
        failed += 1
    return passed + prefork[0], failed + prefork[1], skipped, errors


def run_i18n_check(py, odoo_src, pg, db, addons) -> tuple[int, int]:
    """Every term of the addons, as Odoo exports them, has a Vietnamese translation."""
    say("translations: every exported term of the addons in i18n/vi.po")
    return run_checker(
        py,
        pg,
        [
            "tools/check_i18n.py",
            "--odoo-cmd",
            shlex.join(odoo_cmd(py, odoo_src, pg)),
            "--db",
            db,
            "--addons",
            ",".join(addons),
        ],
    )


def run_cluster_check(py, odoo_src, pg, db) -> tuple[int, int]:
    """Two prefork nodes behind HAProxy on the tests' database, under load through the proxy."""
    if not ensure_haproxy():
        loud("NO HAPROXY: the two-node cluster check FAILS (install it: apt-get install haproxy)")
        return 0, 1
    say(
        "two nodes behind HAProxy: desks, officers, a leader and clerks through the proxy at "
        "once, packages delivered by the job runners"
    )
    return run_checker(
        py,
        pg,
        [
            "tools/cluster.py",
            "--odoo-cmd",
            shlex.join(odoo_cmd(py, odoo_src, pg)),
            "--db",
            db,
            "--check",
            "--seconds",
            "20",
        ],
    )


def run_checker(py, pg, args) -> tuple[int, int]:
    """A checker script that prints ``N passed, N failed`` last."""
    proc = subprocess.run([str(py), *args], env=pg.env(), cwd=ROOT, capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    lines = proc.stdout.strip().splitlines()
    m = E2E_SUMMARY.match(lines[-1]) if lines else None
    if not m:
        sys.stdout.write(proc.stderr[-3000:])
        say(f"{args[0]} printed no summary: counted as failed")
        return 0, 1
    passed, failed = int(m.group(1)), int(m.group(2))
    if proc.returncode and not failed:
        failed = 1
    return passed, failed


def run_prefork_check(py, odoo_src, pg, db) -> tuple[int, int]:
    """The tests' database served in prefork mode: no worker or gevent process may restart."""
    log = cache_dir() / f"prefork-{os.getpid()}.log"
    return run_checker(
        py,
        pg,
        [
            "tools/check_prefork.py",
            "--odoo-cmd",
            shlex.join(odoo_cmd(py, odoo_src, pg)),
            "--db",
            db,
            "--log",
            str(log),
        ],
    )


E2E_SUMMARY = re.compile(r"^(\d+) passed, (\d+) failed$")


def run_e2e_exchange(py, odoo_src, pg) -> tuple[int, int]:
    """Two provinces (two databases, two Odoo servers with job runners) exchange a document."""
    log = cache_dir() / f"e2e-exchange-{os.getpid()}.log"
    say(f"end-to-end exchange test: two databases, two servers with job runners (log: {log})")
    cmd = [
        str(py),
        str(ROOT / "tools" / "e2e_exchange.py"),
        "--odoo-cmd",
        shlex.join(odoo_cmd(py, odoo_src, pg)),
        "--data-dir",
        str(cache_dir() / "filestore"),
        "--log",
        str(log),
    ]
    proc = subprocess.run(cmd, env=pg.env(), cwd=ROOT, capture_output=True, text=True)
    sys.stdout.write(proc.stdout)
    sys.stdout.write(proc.stderr[-3000:])
    lines = proc.stdout.strip().splitlines()
    m = E2E_SUMMARY.match(lines[-1]) if lines else None
    if not m:
        say("the end-to-end exchange test printed no summary: counted as failed")
        return 0, 1
    passed, failed = int(m.group(1)), int(m.group(2))
    if proc.returncode and not failed:
        failed = 1
    return passed, failed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cmd_test(opts) -> int:
    odoo_src = find_odoo(download=True)
    py = ensure_venv(odoo_src)
    lint_ok = True if opts.no_lint else run_lint(py)
    ensure_verifiers()
    passed, failed, skipped = (0, 0, 0) if opts.no_pure else run_pure_tests(py)
    error_lines = 0
    if odoo_src is None:
        loud(
            "ODOO TESTS SKIPPED: no Odoo 18.0 source found (set ODOO_SRC). Only the pure tests ran."
        )
    else:
        ensure_browser()
        pg = Postgres().setup()
        try:
            addons = opts.addons.split(",") if opts.addons else project_addons()
            o_passed, o_failed, o_skipped, error_lines = run_odoo_tests(
                py, odoo_src, pg, addons, opts.test_tags
            )
            if "cchc_exchange" in addons and not opts.test_tags:
                e_passed, e_failed = run_e2e_exchange(py, odoo_src, pg)
                o_passed += e_passed
                o_failed += e_failed
        finally:
            pg.stop_private()
        passed += o_passed
        failed += o_failed
        skipped += o_skipped
    if not lint_ok:
        say("lint FAILED")
    if error_lines:
        say(f"{error_lines} ERROR line(s) in the Odoo log: failing the run")
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line, flush=True)
    return 0 if (lint_ok and not failed and not error_lines) else 1


# ---------------------------------------------------------------- demo


DEMO_LOGINS = ROOT / "addons" / "cchc_demo" / "demo" / "LOGINS.txt"
# The job runner's channels (as config/odoo.conf.example): 2 jobs at a time on this machine.
QUEUE_JOB_CHANNELS = "root:2,root.cchc_exchange:2,root.cchc_exchange.internal:1"


def prepare_db(py, odoo_src, pg, db: str, demo: bool) -> None:
    """A database with every project addon: created once, updated when the addons change."""
    addons = project_addons()
    common = ["-d", db, "--stop-after-init", "--max-cron-threads=0", "--log-level=warn"]
    stamp = cache_dir() / f"{db}.addons-stamp"
    if demo and pg.db_initialised(db) and set(addons) - installed_addons(pg, db):
        # Odoo installs an addon added later without its demo data: start the demo afresh.
        say(f"new addons since {db} was made: recreating it")
        pg.drop_db(db)
    if not pg.db_initialised(db):
        pg.drop_db(db)  # a half-created database from an interrupted run
        say(f"creating database {db}" + (" with demo data and Vietnamese" if demo else ""))
        extra = ["--load-language", "vi_VN"] if demo else ["--without-demo=all"]
        run(odoo_cmd(py, odoo_src, pg, *common, "-i", ",".join(addons), *extra))
    elif not stamp.exists() or stamp.read_text() != addons_digest():
        # -u the installed addons and -i only the new ones: -i on an installed addon would
        # load its data (demo included) again as at installation.
        installed = installed_addons(pg, db)
        args = ["-u", ",".join(sorted(installed & set(addons)))]
        if set(addons) - installed:
            args += ["-i", ",".join(sorted(set(addons) - installed))]
        say(f"updating the addons of {db}")
        run(odoo_cmd(py, odoo_src, pg, *common, *args))
    # Odoo logs a failed install or update and still exits 0: check what it left.
    missing = set(addons) - installed_addons(pg, db)
    if missing:
        stamp.unlink(missing_ok=True)
        die(
            f"the addons {', '.join(sorted(missing))} could not be installed in {db}; "
            f"the Odoo log above says why (make demo-reset starts afresh)"
        )
    stamp.write_text(addons_digest())


def installed_addons(pg, db: str) -> set[str]:
    res = pg.psql("SELECT name FROM ir_module_module WHERE state = 'installed'", db=db)
    return set(res.stdout.split())


def odoo_environment() -> tuple[Path, Path, Postgres]:
    """Odoo's source, the venv's Python and a PostgreSQL server, or stop saying what is missing."""
    odoo_src = find_odoo(download=True)
    if odoo_src is None:
        die(odoo_missing_message())
    return odoo_src, ensure_venv(odoo_src), Postgres().setup()


def cmd_demo(opts) -> int:
    odoo_src, py, pg = odoo_environment()
    ensure_wkhtmltopdf()
    try:
        if opts.reset:
            say(f"dropping database {DEMO_DB}")
            pg.drop_db(DEMO_DB)
        prepare_db(py, odoo_src, pg, DEMO_DB, demo=True)
        port = os.environ.get("CCHC_HTTP_PORT", "8069")
        print(f"\n  CCHC Suite demo: http://localhost:{port}/web/login  (Ctrl-C stops)\n")
        if DEMO_LOGINS.exists():
            print(DEMO_LOGINS.read_text())
        # queue_job: loaded server-wide, its job runner delivers the exchange's packages.
        proc = subprocess.Popen(
            odoo_cmd(
                py,
                odoo_src,
                pg,
                "-d",
                DEMO_DB,
                "--db-filter",
                f"^{DEMO_DB}$",
                "--http-port",
                port,
                "--load",
                "base,web,queue_job",
            ),
            env=dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=QUEUE_JOB_CHANNELS),
        )
        return wait_server(proc)
    finally:
        pg.stop_private()


def wait_server(proc: subprocess.Popen) -> int:
    """Wait for the Odoo server; on Ctrl-C let it shut down gracefully, then stop it."""
    try:
        return proc.wait()
    except KeyboardInterrupt:
        # Ctrl-C in a terminal reaches Odoo too and starts its graceful shutdown; a second
        # SIGINT would force an immediate exit, so send one only if Odoo did not get it.
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=30)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        say("demo stopped")
        return 0


def cmd_setup(_opts) -> int:
    odoo_src = find_odoo(download=True)
    ensure_venv(odoo_src)
    ensure_browser()
    ensure_wkhtmltopdf()
    ensure_verifiers()
    if odoo_src is None:
        loud("Odoo not installed: " + odoo_missing_message())
    return 0


def cmd_odoo(opts) -> int:
    odoo_src, py, pg = odoo_environment()
    try:
        args = opts.args[1:] if opts.args[:1] == ["--"] else opts.args
        return run(odoo_cmd(py, odoo_src, pg, *args), check=False).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        pg.stop_private()


# `CCHC_BENCH_DB`: a benchmark beside another one (another checkout) on its own database.
BENCH_DB = os.environ.get("CCHC_BENCH_DB", "cchc_bench")
BENCHMARKS = {
    "calendar": "bench_workcal.py",
    "plan": "bench_plan.py",
    "budget": "bench_budget.py",
    "exchange": "bench_exchange.py",
    "onestop": "bench_onestop.py",
    "web": "bench_web.py",
    "portal": "bench_portal.py",
    "assessment": "bench_assessment.py",
}


# Benchmarks run several times, each on a new copy of the bench database: the first minutes of
# a database (no planner statistics, autovacuum at work) are where a plan can go wrong.
FRESH_DB_BENCHMARKS = {"plan": 5}
STEP_LINE = re.compile(r"^(?P<label>.+?)\s+(?P<seconds>\d+\.\d+) s\s+target")


def bench_on_fresh_databases(py, odoo_src, pg, script, args) -> int:
    runs = FRESH_DB_BENCHMARKS[script.stem.removeprefix("bench_")]
    times: dict[str, list[float]] = {}
    code = 0
    for i in range(1, runs + 1):
        db = f"{BENCH_DB}_run{i}"
        pg.drop_db(db)
        pg.psql(f'CREATE DATABASE "{db}" TEMPLATE "{BENCH_DB}"')
        say(f"run {i}/{runs} on a new database {db}")
        odoo_args = odoo_cmd(py, odoo_src, pg, "-d", db, "--log-level=warn")[2:]
        proc = subprocess.run(
            [py, script, *args, "--", *odoo_args], cwd=ROOT, capture_output=True, text=True
        )
        sys.stdout.write(proc.stdout)
        sys.stdout.write(proc.stderr[-2000:])
        code = code or proc.returncode
        for line in proc.stdout.splitlines():
            if m := STEP_LINE.match(line):
                times.setdefault(m["label"].strip(), []).append(float(m["seconds"]))
        pg.drop_db(db)
    print(f"\n{'step':<46} {'min':>8} {'median':>8} {'max':>8}   ({runs} new databases)")
    for label, values in times.items():
        values.sort()
        median = values[len(values) // 2]
        print(f"{label:<46} {values[0]:8.2f} {median:8.2f} {values[-1]:8.2f}")
    return code


def cmd_bench(opts) -> int:
    """Run a benchmark script against a database with every project addon, no demo data."""
    odoo_src, py, pg = odoo_environment()
    try:
        prepare_db(py, odoo_src, pg, BENCH_DB, demo=False)
        script = ROOT / "benchmarks" / BENCHMARKS[opts.name]
        if opts.name in FRESH_DB_BENCHMARKS:
            return bench_on_fresh_databases(py, odoo_src, pg, script, opts.args)
        odoo_args = odoo_cmd(py, odoo_src, pg, "-d", BENCH_DB, "--log-level=warn")[2:]
        return run([py, script, *opts.args, "--", *odoo_args], check=False, cwd=ROOT).returncode
    finally:
        pg.stop_private()


# ---------------------------------------------------------------- backup and restore


def cmd_backup(opts) -> int:
    """The database and its filestore as one file (tools/backup.py), e.g. from a nightly cron."""
    _odoo_src, py, pg = odoo_environment()
    try:
        db = opts.db or DEMO_DB
        stamp = time.strftime("%Y%m%d-%H%M%S")
        out = Path(opts.out) if opts.out else ROOT / "backups" / f"{db}-{stamp}.cchc-backup"
        return run(
            [
                py,
                ROOT / "tools" / "backup.py",
                "backup",
                "--db",
                db,
                "--data-dir",
                cache_dir() / "filestore",
                "--out",
                out,
            ],
            check=False,
            env=pg.env(),
        ).returncode
    finally:
        pg.stop_private()


def cmd_restore(opts) -> int:
    """Restore a backup into a new database, then prove what must still hold in it."""
    odoo_src, py, pg = odoo_environment()
    try:
        db = opts.db or f"{Path(opts.file).name.split('.')[0]}-restored"
        code = run(
            [
                py,
                ROOT / "tools" / "backup.py",
                "restore",
                opts.file,
                "--db",
                db,
                "--data-dir",
                cache_dir() / "filestore",
            ],
            check=False,
            env=pg.env(),
        ).returncode
        if code:
            return code
        passed, failed = run_restore_check(py, odoo_src, pg, db)
        say(f"restored into {db}: {passed} checks passed, {failed} failed")
        return 1 if failed else 0
    finally:
        pg.stop_private()


def run_restore_check(py, odoo_src, pg, db) -> tuple[int, int]:
    odoo_args = odoo_cmd(py, odoo_src, pg, "-d", db, "--log-level=warn")[2:]
    return run_checker(
        py,
        pg,
        [
            "tools/check_restore.py",
            "--filestore",
            str(cache_dir() / "filestore" / "filestore" / db),
            "--",
            *odoo_args,
        ],
    )


def cmd_cluster(opts) -> int:
    """The demo database served by two prefork nodes behind HAProxy (Ctrl-C stops)."""
    odoo_src, py, pg = odoo_environment()
    try:
        if not ensure_haproxy():
            die("HAProxy is needed: apt-get install haproxy")
        prepare_db(py, odoo_src, pg, DEMO_DB, demo=True)
        port = os.environ.get("CCHC_HTTP_PORT", "8069")
        print(f"\n  CCHC Suite on two nodes: http://localhost:{port}/web/login  (Ctrl-C stops)\n")
        return run(
            [
                py,
                ROOT / "tools" / "cluster.py",
                "--odoo-cmd",
                shlex.join(odoo_cmd(py, odoo_src, pg)),
                "--db",
                DEMO_DB,
                "--port",
                port,
            ],
            check=False,
            env=pg.env(),
        ).returncode
    finally:
        pg.stop_private()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("setup")
    p_demo = sub.add_parser("demo")
    p_demo.add_argument("--reset", action="store_true")
    p_test = sub.add_parser("test")
    p_test.add_argument("--addons", help="comma-separated addons (default: all project addons)")
    p_test.add_argument("--test-tags", help="Odoo --test-tags filter")
    p_test.add_argument("--no-lint", action="store_true")
    p_test.add_argument("--no-pure", action="store_true", help="skip the pure (pytest) tests")
    p_bench = sub.add_parser("bench")
    p_bench.add_argument("name", choices=sorted(BENCHMARKS))
    p_bench.add_argument("args", nargs=argparse.REMAINDER, help="passed to the benchmark script")
    sub.add_parser("cluster")
    p_backup = sub.add_parser("backup")
    p_backup.add_argument("--db", help=f"database (default {DEMO_DB})")
    p_backup.add_argument("--out", help="backup file (default backups/<db>-<time>.cchc-backup)")
    p_restore = sub.add_parser("restore")
    p_restore.add_argument("file")
    p_restore.add_argument("--db", help="new database (default <backup name>-restored)")
    p_odoo = sub.add_parser("odoo-bin")
    p_odoo.add_argument("args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    # A shell that starts us in the background may leave SIGINT ignored: restore Ctrl-C.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    ensure_secret_key()
    handler = {
        "setup": cmd_setup,
        "demo": cmd_demo,
        "test": cmd_test,
        "bench": cmd_bench,
        "odoo-bin": cmd_odoo,
        "backup": cmd_backup,
        "cluster": cmd_cluster,
        "restore": cmd_restore,
    }
    return handler[opts.cmd](opts)


if __name__ == "__main__":
    sys.exit(main())
