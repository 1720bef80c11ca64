"""Secrets at rest, encrypted with a key that is not in the database.

A passphrase of a system key or a secret shared with another system is stored only as a Fernet
token (AES-128-CBC + HMAC-SHA256, ``cryptography``). The key comes from the server's
configuration file (``cchc_secret_key = …`` in the ``[options]`` section of odoo.conf, read
through ``odoo.tools.config``) or from the environment variable ``CCHC_SECRET_KEY``: a dump of
the database alone reveals no secret. Any long random text is a key (it is stretched with
SHA-256); generate one with ``python3 -c "import secrets; print(secrets.token_urlsafe(32))"``
and keep it with the server's other secrets: without it the stored secrets cannot be read.

    from odoo.addons.cchc_base.tools.secrets import SecretKeyError, decrypt, encrypt

Errors are :class:`SecretKeyError` (``missing`` or ``wrong_key``): the addon that catches one
says it in the user's language.
"""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken

from odoo.tools import config

CONFIG_KEY = "cchc_secret_key"
ENVIRONMENT_KEY = "CCHC_SECRET_KEY"
# Stored values start with this: what is not a token is refused, never taken as clear text.
PREFIX = "fernet1:"


class SecretKeyError(Exception):
    """``reason`` is ``missing`` (no key configured) or ``wrong_key`` (a stored secret does not
    open with the configured key: another key, or a damaged value)."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _fernet():
    raw = config.get(CONFIG_KEY) or os.environ.get(ENVIRONMENT_KEY) or ""
    if not raw.strip():
        raise SecretKeyError("missing")
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(raw.strip().encode()).digest()))


def has_key():
    """Whether a key is configured."""
    try:
        _fernet()
    except SecretKeyError:
        return False
    return True


def encrypt(plaintext):
    """The token to store for ``plaintext`` (a str); empty stays empty."""
    if not plaintext:
        return False
    return PREFIX + _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token):
    """The clear text of a stored token; empty stays empty."""
    if not token:
        return False
    if not token.startswith(PREFIX):
        raise SecretKeyError("wrong_key")
    try:
        return _fernet().decrypt(token[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise SecretKeyError("wrong_key") from None
