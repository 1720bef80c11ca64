"""The token with which server code writes what no client may write.

A JSON-RPC client can send any field and any context key, so neither can be a permission. What
a model protects is declared on the model (``cchc.protected.mixin``) and may only be written
inside ``unlocked(model)``: a ``contextvars`` value that lives in the server's own call stack.
No request can set it; only Python code running in the server can, and only for the block it
opens. Each request runs in its own thread (or worker process), and a context variable set in
one thread is not seen by another.

    from odoo.addons.cchc_base.tools.protect import unlocked

    def action_issue(self):
        self._check_clerk()            # the caller's role and the record's state, checked here
        with unlocked(self):
            self.write({"state": "issued", "code": code})
"""

from contextlib import contextmanager
from contextvars import ContextVar

_UNLOCKED: ContextVar[frozenset] = ContextVar("cchc_unlocked", default=frozenset())


def _names(models):
    names = set()
    for model in models:
        names.add(model if isinstance(model, str) else model._name)
    return names


@contextmanager
def unlocked(*models):
    """Let the code inside the block write the protected fields and frozen records of these
    models (records or model names)."""
    token = _UNLOCKED.set(_UNLOCKED.get() | _names(models))
    try:
        yield
    finally:
        _UNLOCKED.reset(token)


def is_unlocked(model) -> bool:
    return (model if isinstance(model, str) else model._name) in _UNLOCKED.get()
