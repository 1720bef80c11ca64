"""The messages of cchc_core.edxml and cchc_core.msglog, listed to be extracted and translated.

Those that cchc_core.pki shares with edxml are listed once, in cchc_esign's
tools/signing_messages.py. A pure test (tests/test_exchange_messages.py) checks that the lists and
the package agree.
"""

from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)

EXCHANGE_MESSAGES = (
    _lt("%(element)s appears more than once"),
    _lt("%(element)s contains a character that XML cannot carry (U+%(code)s)"),
    _lt("%(element)s is not a date (yyyy/MM/dd): %(value)s"),
    _lt("%(element)s is not a number: %(value)s"),
    _lt("%(element)s is not a time (yyyy/MM/dd HH:mm:ss): %(value)s"),
    _lt("%(element)s is not valid base64"),
    _lt("%(element)s must be text"),
    _lt("a refusal needs its reason in the description"),
    _lt("a replacement must name the documents it replaces"),
    _lt("a revocation or an update concerns one document"),
    _lt("attachment %(name)s has no content"),
    _lt("attachment %(name)s is larger than %(mb)s MB"),
    _lt("attachment %(name)s is not valid base64"),
    _lt("attachment content id %(id)s is used twice"),
    _lt("entry %(seq)s does not follow the previous entry (one was removed or changed)"),
    _lt("entry %(seq)s is out of order"),
    _lt("entry %(seq)s was changed after it was logged"),
    _lt("missing element %(element)s"),
    _lt("only a revocation, an update or a replacement names other documents"),
    _lt("the certificate in the package signature cannot be read"),
    _lt("the certificate of %(name)s is not trusted"),
    _lt("the package cannot be canonicalized for its signature"),
    _lt("the package declares a DTD or entities, which are refused"),
    _lt("the package has more than one signature"),
    _lt("the package has no signature"),
    _lt("the package header must hold either a MessageHeader or a Status"),
    _lt("the package is already signed"),
    _lt("the package is empty"),
    _lt("the package is larger than %(mb)s MB"),
    _lt("the package is not an edXML envelope"),
    _lt("the package is not well-formed XML: %(error)s"),
    _lt("the package needs at least one recipient"),
    _lt("the package of entry %(seq)s does not match its logged hash"),
    _lt("the package signature carries no certificate"),
    _lt("the package signature does not match its content"),
    _lt("the package signature is not in the package header"),
    _lt("the package signature must be an enveloped signature of the whole package"),
    _lt('the package signature must sign the whole package (Reference URI="")'),
    _lt("the package signature uses an unsupported algorithm %(algorithm)s"),
    _lt("the package signature value is not correct"),
    _lt("unknown business type %(value)s"),
    _lt("unknown priority %(value)s"),
    _lt("unknown status code %(code)s"),
    _lt("unknown status layout %(value)s"),
    _lt("attachment %(name)s is a damaged zip archive"),
    _lt("attachment %(name)s is an encrypted zip archive"),
    _lt("attachment %(name)s unpacks to more than %(ratio)s times its size"),
    _lt("the package is signed with SHA-1, which this system no longer accepts"),
)
