"""PAdES signatures of official documents: sign, seal, sign externally, verify.

A leader signs the PDF (:func:`sign_pdf`); the clerk then numbers it and applies the agency's
seal, a second signature whose box (:func:`seal_box`) covers the left third of the leader's, in
a new incremental revision so that the first signature stays valid. When the key is on a USB
token, :func:`prepare_external` writes the PDF with an empty signature and returns the digest
to sign; :func:`embed_external` puts the CMS made elsewhere into it. :func:`verify_pdf` reports
every signature and an overall verdict in ETSI EN 319 102-1 terms.

Speed: pyHanko's :class:`PdfSigner` reloads the key and builds the CMS twice per call (once
to estimate its size). Here the CMS of a signer is a byte template made once
(:class:`PreparedSigner`): per signature only the document digest and the RSA signature
change, and the appearance's font subset and image are cached. Verification takes a fast
path for such documents (:mod:`.fast_verify`) and pyHanko's full validation otherwise.

The modules, in the order they build on each other: ``pdf_io`` (reading the input), ``cms``
(certificates, CRLs, the signer's CMS template), ``appearance`` (what a signature shows),
``sign`` (signing, external signing, archive time-stamps), ``verify`` (the reports and
pyHanko's full validation), ``lite_pdf`` (the fast path's PDF reader), ``fast_verify``.
Everything callers use is importable from here.
"""

from cchc_core.pades.appearance import (
    VIETNAM,
    Appearance,
    Box,
    appearance_lines,
    fill_text_fields,
    seal_box,
    time_text,
    vietnam_time,
)
from cchc_core.pades.cms import (
    PreparedSigner,
    _crl_der,
    _roots,
    local_timestamper,
    prepare_signer,
    revocation_gaps,
)
from cchc_core.pades.fast_verify import _verify_fast
from cchc_core.pades.pdf_io import MAX_PDF_BYTES, PdfInputError, _reader, check_readable
from cchc_core.pades.sign import (
    ARCHIVE_RENEWAL_MARGIN,
    ArchiveState,
    ExternalState,
    add_archive_timestamp,
    archive_state,
    embed_external,
    prepare_external,
    sign_pdf,
)
from cchc_core.pades.verify import (
    INDETERMINATE,
    KIND_DOCUMENT_TIMESTAMP,
    KIND_REMOVED,
    KIND_SIGNATURE,
    TOTAL_FAILED,
    TOTAL_PASSED,
    Report,
    SignatureReport,
    _verify_full,
    verify_pdf,
)

__all__ = [
    "INDETERMINATE",
    "KIND_DOCUMENT_TIMESTAMP",
    "KIND_REMOVED",
    "KIND_SIGNATURE",
    "TOTAL_FAILED",
    "TOTAL_PASSED",
    "Appearance",
    "ExternalState",
    "PdfInputError",
    "PreparedSigner",
    "Report",
    "SignatureReport",
    "ARCHIVE_RENEWAL_MARGIN",
    "VIETNAM",
    "ArchiveState",
    "add_archive_timestamp",
    "appearance_lines",
    "archive_state",
    "check_readable",
    "embed_external",
    "fill_text_fields",
    "local_timestamper",
    "prepare_external",
    "prepare_signer",
    "revocation_gaps",
    "seal_box",
    "sign_pdf",
    "time_text",
    "verify_pdf",
    "vietnam_time",
    # Not the API: the tests compare the two verification paths and read inputs as signing
    # does with these.
    "Box",
    "MAX_PDF_BYTES",
    "_crl_der",
    "_reader",
    "_roots",
    "_verify_fast",
    "_verify_full",
]
