"""Mutated signed edXML packages: parse and verify return or raise EdxmlError, nothing else.

10,000 mutations in all (derandomized, so the run is the same everywhere): byte flips,
insertions, deletions, truncations, duplicated slices, hostile XML snippets (entities, DOCTYPE,
deep nesting, huge attributes, extra signatures), renamed elements and changed algorithms. A
package that still verifies must give back exactly the document that was signed. Each example
runs under a 10 s alarm; Python's memory (tracemalloc: the peak of every check, and what the
checks leave allocated, summed) and the process's peak RSS are checked over the whole run.
"""

from __future__ import annotations

import random
import re
import resource
import signal
import time
import tracemalloc
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc_core import edxml, pki

PASSPHRASE = "fuzz"
MAX_PYTHON_PEAK = 50 * 1024 * 1024
MAX_RSS_GROWTH_KB = 300 * 1024
EXAMPLE_SECONDS = 10

LAUGHS = (
    b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)
SNIPPETS = [
    b'<!DOCTYPE x [<!ENTITY a "b">]>',
    b'<!DOCTYPE x SYSTEM "file:///etc/passwd">',
    b'<!ENTITY xxe SYSTEM "file:///etc/passwd">',
    LAUGHS,
    b"&d;",
    b"&a;",
    b"&lt;&gt;&amp;&quot;&apos;",
    b"&#0;",
    b"&#x1F;",
    b"&#xD800;",
    b"&#x10FFFF;",
    b"&#13;",
    b"<a>" * 300 + b"</a>" * 300,
    b"<a>" * 3000,
    b'<a b="' + b"x" * 20_000 + b'"/>',
    b"<" + b"n" * 60_000 + b"/>",
    b"<![CDATA[<x>&amp;]]>",
    b"<?pi data?>",
    b"<!-- comment -->",
    b"<!--",
    b"]]>",
    b' xmlns="urn:x"',
    b' xmlns:edXML="urn:evil"',
    b' xmlns:ds=""',
    b' xmlns:p="relative/uri"',
    b' xml:lang="vi"',
    b' xml:base="http://evil.example/"',
    b' URI="#x"',
    b'<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>',
    b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature>',
    b"\x00",
    b"\xff\xfe",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"\r\n",
    b" \t",
    b"<edXML:Subject>x</edXML:Subject>",
    b"<edXML:To><edXML:OrganId>evil</edXML:OrganId></edXML:To>",
    b"<edXML:Attachment><edXML:ContentId>z</edXML:ContentId>"
    b"<edXML:ContentTransferEncoded>QUJD</edXML:ContentTransferEncoded></edXML:Attachment>",
    b"<edXML:Status><edXML:StatusCode>02</edXML:StatusCode></edXML:Status>",
    b"=",
    b"====",
    b"cid:",
    b"2024/13/45",
    b"99999999999",
]
ALGORITHMS = [
    "",
    "#x",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
    "http://www.w3.org/2006/12/xml-c14n11",
    "http://www.w3.org/2001/10/xml-exc-c14n#",
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
    "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    "http://www.w3.org/2000/09/xmldsig#sha1",
    "http://www.w3.org/2001/04/xmlenc#sha512",
    "http://www.w3.org/TR/1999/REC-xpath-19991116",
    "http://www.w3.org/TR/1999/REC-xslt-19991116",
    "http://www.w3.org/2000/09/xmldsig#base64",
]
PRINTABLE = b" abcdefghijklmnopqrstuvwxyzABCDEF0123456789+/=<>&;:#\"'-_\n\r\t"
ATTRIBUTE = re.compile(rb'(?:Algorithm|URI)="([^"]*)"')
START_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """Signed packages to mutate, with what they must verify to, and the trust root."""
    demo = pki.generate_demo_pki(tmp_path_factory.mktemp("pki"), PASSPHRASE)
    seal = demo.signer("seal")
    sender = edxml.Organization("000.00.00.H53", "UBND tỉnh Bến Tre", email="a@b.vn")
    doc = edxml.Document(
        sender=sender,
        recipients=(edxml.Organization("000.01.00.H53", "Sở Nội vụ"),),
        document_id="000.00.00.H53,2024/05/02,12/QĐ-UBND",
        code_number="12",
        code_notation="QĐ-UBND",
        place="Bến Tre",
        promulgation_date=date(2024, 5, 2),
        type_code=1,
        type_name="Quyết định",
        subject='Về việc <cải cách> & "hành chính"\r\n',
        content="x" * 600,  # a long text: the fast canonicalisation path
        due_date=date(2024, 6, 1),
        traces=(edxml.Trace("000.00.00.H53", datetime(2024, 5, 2, 1, 0, tzinfo=UTC)),),
        business_type=edxml.BUSINESS_REPLACEMENT,
        replaced_document_ids=("old-1",),
        attachments=(edxml.Attachment("a1", "qd.pdf", "application/pdf", bytes(range(256)) * 6),),
    )
    status = edxml.Status(
        sender=doc.recipients[0],
        recipient_organ_id=sender.organ_id,
        document_id=doc.document_id,
        code="12/QĐ-UBND",
        promulgation_date=doc.promulgation_date,
        status_code="02",
        timestamp=datetime(2024, 5, 2, 9, 0, tzinfo=edxml.VN_TZ),
        description="Sai thể thức",
    )
    signed_doc = edxml.sign_document(doc, seal)
    # The layout of the standard's samples: a default-namespace Signature. Renaming the prefix
    # changes SignedInfo, so this one never verifies, but it goes through every step first.
    default_ns = signed_doc.replace(b"ds:", b"").replace(
        b'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"',
        b'xmlns="http://www.w3.org/2000/09/xmldsig#"',
    )
    bases = [
        (signed_doc, doc),
        (edxml.sign_status(status, seal), status),
        (default_ns, None),
    ]
    for xml, expected in bases:
        if expected is not None:
            assert _content(edxml.verify(xml, trust_roots=[demo.root.certificate])) == expected
    return bases, [demo.root.certificate]


def _content(verified: edxml.Verified):
    return verified.document if verified.kind == "document" else verified.status


def _boundary(xml: bytes, at: int, choice: int) -> int:
    """``at``, or (every other time) the start of the next tag: inserting there keeps more
    mutants well-formed, so that they reach the signature checks."""
    if choice % 2:
        return at
    found = xml.find(b"<", at)
    return found if found >= 0 else at


def _element(xml: bytes, first: int) -> bytes:
    """A whole element of ``xml`` (the first one closing with the same name)."""
    starts = list(START_TAG.finditer(xml))
    if not starts:
        return b""
    match = starts[first % len(starts)]
    end = xml.find(b"</" + match.group(1) + b">", match.start())
    return xml[match.start() : end + len(match.group(1)) + 3] if end >= 0 else b""


def _mutate(xml: bytes, operations) -> bytes:
    for kind, first, second, blob, choice in operations:
        size = max(len(xml), 1)
        at, other = first % size, second % size
        if kind == "flip":
            xml = xml[:at] + bytes([xml[at] ^ (1 << (second % 8))]) + xml[at + 1 :] if xml else xml
        elif kind == "insert":
            at = _boundary(xml, at, choice)
            xml = xml[:at] + blob + xml[at:]
        elif kind == "delete":
            xml = xml[:at] + xml[at + 1 + second % 64 :]
        elif kind == "truncate":
            xml = xml[:at]
        elif kind == "duplicate":
            if choice % 3:
                piece = _element(xml, first)  # a sibling, or an element moved elsewhere
            else:
                start = min(at, other)
                piece = xml[start : start + 1 + second % 2048]
            other = _boundary(xml, other, choice // 3)
            xml = xml[:other] + piece + xml[other:]
        elif kind == "snippet":
            at = _boundary(xml, at, choice // len(SNIPPETS))
            xml = xml[:at] + SNIPPETS[choice % len(SNIPPETS)] + xml[at:]
        elif kind == "rename":
            # Every start and end tag of one name, so that the XML stays well-formed.
            names = sorted({match.group(1) for match in START_TAG.finditer(xml)})
            if names:
                name = names[first % len(names)]
                local = name.split(b":")[-1]
                replacement = [
                    name + b"x",
                    local,
                    b"ds:" + local,
                    b"edXML:" + local,
                    names[second % len(names)],
                    b"edXML:Signature",
                ][choice % 6]
                pattern = re.compile(rb"(</?)" + re.escape(name) + rb"(?=[\s/>])")
                xml = pattern.sub(rb"\g<1>" + replacement.replace(b"\\", b"\\\\"), xml)
        elif kind == "attribute":
            values = list(ATTRIBUTE.finditer(xml))
            if values:
                match = values[first % len(values)]
                value = ALGORITHMS[choice % len(ALGORITHMS)].encode()
                xml = xml[: match.start(1)] + value + xml[match.end(1) :]
    return xml


# Mutation kinds and their weights: a truncation always breaks the XML, so it comes seldom.
BYTE_KINDS = {"flip": 35, "insert": 30, "delete": 30, "truncate": 5}
ALL_KINDS = {
    "flip": 10,
    "insert": 10,
    "delete": 10,
    "truncate": 2,
    "duplicate": 15,
    "snippet": 20,
    "rename": 15,
    "attribute": 18,
}


def _operations(seed: int, count: int, kinds: dict[str, int]) -> list:
    """``count`` mutations drawn from ``seed``: Hypothesis draws three integers per example,
    which keeps its own work per example small next to the checks. Inserted bytes and flipped
    bits are mostly ASCII, so that more mutants stay well-formed and reach the signature."""
    rng = random.Random(seed)
    operations = []
    for _ in range(count):
        if rng.random() < 0.8:
            blob = bytes(rng.choice(PRINTABLE) for _ in range(rng.randrange(13)))
        else:
            blob = rng.randbytes(rng.randrange(13))
        bit = rng.randrange(7) if rng.random() < 0.85 else 7
        position = rng.getrandbits(31)
        operations.append(
            (
                rng.choices(list(kinds), list(kinds.values()))[0],
                position,
                rng.getrandbits(28) * 8 + bit,
                blob,
                rng.randrange(1000),
            )
        )
    return operations


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout(f"an example took more than {EXAMPLE_SECONDS} s")


def _check(xml: bytes, expected, roots) -> None:
    try:
        edxml.parse(xml)
    except edxml.EdxmlError:
        pass
    try:
        verified = edxml.verify(xml, trust_roots=roots)
    except edxml.EdxmlError:
        return
    # Whatever still verifies is exactly what was signed.
    assert expected is not None
    assert _content(verified) == expected


class _Run:
    """The memory, time and slowest example of a fuzz run.

    tracemalloc runs around each check only (it would slow Hypothesis's own bookkeeping down
    ninefold): the peak is the largest of any check, and what checks left allocated adds up
    to ``retained`` — a leak would make it grow with the run.
    """

    def __init__(self) -> None:
        self.slowest = 0.0
        self.examples = 0
        self.peak = 0
        self.retained = 0

    def __enter__(self):
        self.rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.started = time.perf_counter()
        self.previous = signal.signal(signal.SIGALRM, _alarm)
        return self

    def example(self, xml, expected, roots) -> None:
        begin = time.perf_counter()
        tracemalloc.start()
        signal.setitimer(signal.ITIMER_REAL, EXAMPLE_SECONDS)
        try:
            _check(xml, expected, roots)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        self.peak = max(self.peak, peak)
        self.retained += current
        self.slowest = max(self.slowest, time.perf_counter() - begin)
        self.examples += 1

    def __exit__(self, *exc):
        signal.signal(signal.SIGALRM, self.previous)
        self.rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - self.rss_before
        self.seconds = time.perf_counter() - self.started
        return False

    def check(self, minimum: int) -> None:
        print(
            f"\n{self.examples} packages in {self.seconds:.1f} s,"
            f" slowest {self.slowest * 1000:.0f} ms, Python peak {self.peak / 1e3:.0f} kB,"
            f" retained {self.retained / 1e6:.1f} MB, RSS growth {self.rss_growth / 1024:.0f} MB"
        )
        assert self.examples >= minimum
        assert self.peak < MAX_PYTHON_PEAK
        assert self.retained < MAX_PYTHON_PEAK
        assert self.rss_growth < MAX_RSS_GROWTH_KB


def _fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# Mutated certificates may carry negative serial numbers, which cryptography warns about.
pytestmark = pytest.mark.filterwarnings("ignore::cryptography.utils.CryptographyDeprecationWarning")


def _mutation_run(packages, examples: int, most_operations: int, kinds: dict) -> None:
    """``examples`` packages, each with 1 to ``most_operations`` mutations of ``kinds``."""
    bases, roots = packages

    @_fuzz(examples)
    @given(
        base=st.integers(min_value=0, max_value=len(bases) - 1),
        seed=st.integers(min_value=0, max_value=2**64),
        count=st.integers(min_value=1, max_value=most_operations),
    )
    def run(base, seed, count):
        xml, expected = bases[base]
        state.example(_mutate(xml, _operations(seed, count, kinds)), expected, roots)

    with _Run() as state:
        run()
    state.check(examples)


def test_byte_mutations(packages):
    _mutation_run(packages, 6000, 4, BYTE_KINDS)


def test_structural_mutations(packages):
    _mutation_run(packages, 4000, 3, ALL_KINDS)


def test_mutations_change_the_package(packages):
    # The fuzzer mutates for real: every kind of operation yields another package.
    bases, _ = packages
    xml = bases[0][0]
    for kind in ALL_KINDS:
        assert _mutate(xml, [(kind, 1234, 5678, b"zz", 0)]) != xml, kind
