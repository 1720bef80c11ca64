"""The messages of cchc_core.pki and cchc_core.pades, listed to be extracted and translated.

The pure package speaks English and raises :class:`cchc_core.messages.Message` strings that keep
their template; ``cchc_base.tools.translate.translate(env, message, "cchc_esign")`` shows them in
the user's language. A pure test (tests/test_appendix_messages.py) checks that this list and the
package agree.
"""

from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)

SIGNING_MESSAGES = (
    _lt("the local time-stamping authority needs an RSA key"),
    _lt("a passphrase is required to protect the key"),
    _lt("could not prepare the signature template"),
    _lt("every signature is valid"),
    _lt("only RSA and ECDSA keys are supported"),
    _lt("revocation data (CRLs) are needed to embed them (B-LT)"),
    _lt("signature %(field)s: %(why)s"),
    _lt("the PDF cannot be signed: %(error)s"),
    _lt("the PDF file is damaged and cannot be read"),
    _lt("the PDF has no page %(page)s"),
    _lt("the PDF is encrypted; save it without a password before signing"),
    _lt("the PDF is larger than %(mb)s MB"),
    _lt("the PKCS#12 file holds no private key and certificate"),
    _lt("the certificate of %(name)s expired on %(date)s"),
    _lt(
        "the certificate of %(name)s is not meant for signatures (no digitalSignature or nonRepudiation key usage)"
    ),
    _lt("the certificate of %(name)s is not valid before %(date)s"),
    _lt("the certificate of %(name)s was revoked on %(date)s"),
    _lt("the cryptographic signature is not correct"),
    _lt("the document has no signature"),
    _lt("the document was modified after signing in a way that is not allowed: %(what)s"),
    _lt("the file is empty"),
    _lt("the file is not a PDF document"),
    _lt("the file is not a certificate revocation list"),
    _lt("the key file is not a PKCS#12 (.p12/.pfx) file"),
    _lt("the signature does not cover a whole revision"),
    _lt("the signature field %(field)s is already signed"),
    _lt("the PDF has no empty text field %(field)s to fill"),
    _lt("the signature image is not a readable PNG or JPEG"),
    _lt("the signature is valid"),
    _lt("the signature sent back is larger than the room reserved"),
    _lt("the signature sent back is not a CMS signature"),
    _lt("the signature sent back was made for another document"),
    _lt("the signature sent back was made with another certificate"),
    _lt("the signature text is too long"),
    _lt("the signatures of the PDF cannot be read: %(error)s"),
    _lt("the signed content was changed after signing"),
    _lt("the signer's certificate cannot be validated (%(why)s)"),
    _lt("the signer's certificate does not chain to a trusted authority"),
    _lt("the signer's certificate is expired or not yet valid at validation time"),
    _lt("the signer's certificate was revoked on %(date)s"),
    _lt("the time-stamp of the signature is not valid"),
    _lt("wrong passphrase for the key file, or the file is damaged"),
    _lt("the document time-stamp cannot be added: %(error)s"),
    _lt("the document time-stamp is valid"),
    _lt("the signature cannot be read (damaged or unsupported): %(error)s"),
    _lt(
        "the signature %(field)s of revision %(revision)s was removed or replaced by a later revision"
    ),
)
