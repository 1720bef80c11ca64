"""PDF verification (pure): the fast path against the previous fast paths and pyHanko's full
validation, in the same run, on the documents this product makes.

    python benchmarks/bench_pdf_verify.py [--seconds 3] [--baseline REV] [--before-tsa REV]

Documents: a leader's signature then the agency's seal in a second incremental revision
(``bench_exchange.signed_pdf``), the same with /DSS (B-LT without time-stamps), and both
again with each signature time-stamped by a (local) TSA: B-T, and B-LT with a TSA, what
production makes when ``cchc_esign.tsa_url`` is set. Each path is timed in CPU seconds
(``time.process_time``): the rate per core, which a shared machine changes far less than the
wall-clock rate. The previous fast paths are the module ``cchc_core/pades/fast_verify.py`` of
git revision ``--baseline`` (before the lite reader) and ``--before-tsa`` (before time-stamped
signatures were covered: for those it falls back, and is timed with the full path behind it,
as ``verify_pdf`` then ran), loaded from this checkout's history; without git they are left
out. Every path's reports are checked equal before timing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASELINE = "e9f9b8c44318b0dcfa4a794136775a353e0662c1"  # the fast path on pyHanko's reader
BEFORE_TSA = "1003b145d113dc344c19ae810c76006f14c149db"  # the lite reader, no time-stamps


def previous_fast_path(revision: str):
    """The ``_verify_fast`` of ``fast_verify.py`` at ``revision``, or None."""
    try:
        source = subprocess.run(
            ["git", "show", f"{revision}:cchc_core/pades/fast_verify.py"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType(f"cchc_core.pades._fast_verify_{revision[:12]}")
    module.__file__ = f"{revision}:cchc_core/pades/fast_verify.py"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module._verify_fast


def rate(func, seconds: float) -> float:
    """Calls of ``func`` per CPU second."""
    func()
    count, start = 0, time.process_time()
    while (elapsed := time.process_time() - start) < seconds:
        func()
        count += 1
    return count / elapsed


def documents(demo) -> dict[str, bytes]:
    import io

    from bench_exchange import signed_pdf
    from reportlab.pdfgen import canvas

    from cchc_core import pades

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 760, "QUYET DINH benchmark")
    page.showPage()
    page.save()
    box = (320, 90, 540, 170)
    leader = pades.sign_pdf(
        out.getvalue(),
        demo.signer("leader"),
        field_name="ChuKyLanhDao",
        box=box,
        embed_revocation=True,
        crls=demo.crls,
    )
    b_lt = pades.sign_pdf(
        leader,
        demo.signer("seal"),
        field_name="ChuKyCoQuan",
        box=pades.seal_box(box),
        embed_revocation=True,
        crls=demo.crls,
    )
    tsa = pades.local_timestamper(demo.tsa_certificate, demo.tsa_key, demo.chain)
    b_t = pades.sign_pdf(
        pades.sign_pdf(
            out.getvalue(),
            demo.signer("leader"),
            field_name="ChuKyLanhDao",
            box=box,
            timestamper=tsa,
        ),
        demo.signer("seal"),
        field_name="ChuKyCoQuan",
        box=pades.seal_box(box),
        timestamper=tsa,
    )
    b_lt_tsa = pades.sign_pdf(
        pades.sign_pdf(
            out.getvalue(),
            demo.signer("leader"),
            field_name="ChuKyLanhDao",
            box=box,
            timestamper=tsa,
            embed_revocation=True,
            crls=demo.crls,
        ),
        demo.signer("seal"),
        field_name="ChuKyCoQuan",
        box=pades.seal_box(box),
        timestamper=tsa,
        embed_revocation=True,
        crls=demo.crls,
    )
    return {
        "leader + seal (B-B)": signed_pdf(demo),
        "leader + seal (B-LT, /DSS)": b_lt,
        "leader + seal (B-T, signature time-stamps)": b_t,
        "leader + seal (B-LT with a TSA)": b_lt_tsa,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds per measure")
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the old path")
    parser.add_argument(
        "--before-tsa", default=BEFORE_TSA, help="git revision before time-stamps were covered"
    )
    opts = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))

    from cchc_core import pades, pki

    paths = {
        "lite reader, no time-stamps": previous_fast_path(opts.before_tsa),
        "on pyHanko's reader": previous_fast_path(opts.baseline),
    }
    with tempfile.TemporaryDirectory() as directory:
        demo = pki.generate_demo_pki(directory, "bench")
        roots, seconds = pades._roots([demo.root.certificate]), opts.seconds
        crls = pades._crl_der([demo.crl])
        for name, pdf in documents(demo).items():
            new = pades._verify_fast(pdf, roots, crls, None)
            full = pades._verify_full(pdf, roots, crls, None)
            assert new is not None and new == full, "the fast path must cover and agree"
            print(f"{name}: {len(pdf) / 1024:.1f} KB, {len(new)} signatures, all {new[0].verdict}")
            new_rate = rate(lambda pdf=pdf: pades._verify_fast(pdf, roots, crls, None), seconds)
            full_rate = rate(lambda pdf=pdf: pades._verify_full(pdf, roots, crls, None), seconds)
            line = f"  fast path (this one):   {new_rate:8.0f} verifications per CPU-second"
            print(f"{line} ({1000 / new_rate:.2f} ms)")
            for label, previous in paths.items():
                if previous is None:
                    print(f"  previous fast path ({label}): not measured (no git revision)")
                    continue
                old = previous(pdf, roots, crls, None)
                assert old is None or old == new, "a previous fast path must agree"

                def before(pdf=pdf, previous=previous):
                    # As verify_pdf ran then: the fast path, else the full path.
                    return previous(pdf, roots, crls, None) or pades._verify_full(
                        pdf, roots, crls, None
                    )

                old_rate = rate(before, seconds)
                how = "" if old is not None else ", falls back to the full path"
                print(
                    f"  previous fast path ({label}{how}): {old_rate:8.0f} verifications per"
                    f" CPU-second ({1000 / old_rate:.2f} ms)"
                    f"   new/previous x{new_rate / old_rate:.2f}"
                )
            print(
                f"  full pyHanko path:       {full_rate:8.0f} verifications per CPU-second"
                f" ({1000 / full_rate:.2f} ms)   new/full x{new_rate / full_rate:.1f}"
            )
            verify = rate(
                lambda pdf=pdf: pades.verify_pdf(pdf, [demo.root.certificate], [demo.crl]),
                seconds,
            )
            print(f"  verify_pdf (public API): {verify:8.0f} verifications per CPU-second")


if __name__ == "__main__":
    main()
