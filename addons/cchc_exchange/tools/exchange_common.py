"""What the exchange models share: selections, the request signature, refusals, secrets."""

import hashlib
import hmac
import json
import re

from odoo.exceptions import UserError

from odoo.addons.cchc_base.tools import secrets as cchc_secrets

from cchc_core import identifiers

# Requests older or newer than this (seconds) are refused; nonces are kept this long and more.
REPLAY_WINDOW = 300
# Larger requests are refused before they are read (headers) and while they are read.
MAX_REQUEST_BYTES = 60 * 1024 * 1024
# Of a refused package only its hash and its first bytes are kept.
REFUSED_KEEP_BYTES = 4096
# Refused packages logged one by one per partner and day; beyond, only counted.
REFUSED_LOG_PER_DAY = 200
STATUS_SELECTION = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Not delivered"),
    ("01", "Arrived"),
    ("02", "Refused"),
    ("03", "Registered"),
    ("04", "Assigned"),
    ("05", "Processing"),
    ("06", "Completed"),
    ("13", "Recall requested"),
    ("15", "Recalled"),
    ("16", "Recall refused"),
]
BUSINESS_SELECTION = [
    ("0", "New"),
    ("1", "Revocation"),
    ("2", "Update"),
    ("3", "Replacement"),
]


def request_signature(secret, timestamp, nonce, body_sha256):
    """The HMAC a partner puts on an HTTP request: over the time, the nonce and the SHA-256 of
    the body (hex), which travels in the X-CCHC-Content-SHA256 header too, so that the request
    is authenticated from its headers before its body is read."""
    message = f"{timestamp}\n{nonce}\n{body_sha256}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def request_headers(code, secret, timestamp, nonce, body):
    """The headers of a request carrying ``body``."""
    sha = hashlib.sha256(body).hexdigest()
    return {
        "Content-Type": "application/xml",
        "X-CCHC-Partner": code,
        "X-CCHC-Timestamp": timestamp,
        "X-CCHC-Nonce": nonce,
        "X-CCHC-Content-SHA256": sha,
        "X-CCHC-Signature": request_signature(secret, timestamp, nonce, sha),
    }


class ExchangeRefusal(Exception):
    """A package refused: ``reason`` is shown to people and sent back in status 02."""

    def __init__(self, reason, status=None):
        super().__init__(reason)
        self.reason = reason
        self.status = status  # the status code to send back, "02" when the protocol has one


def canonical_or_none(text):
    try:
        return identifiers.canonical(text or "")
    except identifiers.IdentifierError:
        return None


def json_answer(answer):
    return json.dumps(answer, ensure_ascii=False)


def channel_name(code):
    """The queue_job channel of a partner: ``root.cchc_exchange.<code>``."""
    return "root.cchc_exchange." + (re.sub(r"[^A-Za-z0-9_]", "_", code or "") or "partner")


INTERNAL_CHANNEL = "root.cchc_exchange.internal"


def secret_error(env, exc):
    """The translated refusal for a :class:`cchc_secrets.SecretKeyError`."""
    if exc.reason == "missing":
        return UserError(
            env._(
                "The secrets of the exchange are encrypted with a key kept outside the database, "
                "and this server has none: set cchc_secret_key in the server configuration file "
                "(or the CCHC_SECRET_KEY environment variable) and restart the server."
            )
        )
    return UserError(
        env._(
            "A stored secret of the exchange cannot be decrypted with this server's key "
            "(cchc_secret_key): the key was changed or the value damaged. Restore the key, or "
            "enter the passphrase or shared secret again."
        )
    )


def encrypt_secret(env, plaintext):
    try:
        return cchc_secrets.encrypt(plaintext)
    except cchc_secrets.SecretKeyError as exc:
        raise secret_error(env, exc) from None


def decrypt_secret(env, token):
    try:
        return cchc_secrets.decrypt(token)
    except cchc_secrets.SecretKeyError as exc:
        raise secret_error(env, exc) from None
