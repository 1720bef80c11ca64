"""Talk to the running server exactly as a browser or any JSON-RPC client does.

Rules that must hold against any client are proven through ``/web/dataset/call_kw`` as the
low-privilege user, with whatever arguments and context keys an attacker would send, never only
with ``with_user`` in Python.
"""

import json

from odoo.tests.common import HttpCase


class RpcCase(HttpCase):
    """An ``HttpCase`` with a JSON-RPC client logged in as one user at a time."""

    def rpc_login(self, user):
        """Log in as ``user`` (a ``new_test_user``: the password is the login)."""
        self.authenticate(user.login, user.login)
        self._rpc_user = user

    def call_kw(self, model, method, args=(), kwargs=None, context=None):
        """Call ``model.method(*args, **kwargs)`` over HTTP; return ``(result, error)``.

        ``error`` is the server's error data (``name``, ``message``…) or None."""
        kwargs = dict(kwargs or {})
        if context is not None:
            kwargs["context"] = context
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        body = response.json()
        if "error" in body:
            return None, body["error"].get("data") or body["error"]
        # Odoo leaves "result" out when the method returns None.
        return body.get("result"), None

    def assertRpcRefused(self, model, method, args=(), kwargs=None, context=None, error=None):
        """The call fails with an error (of class ``error``, e.g. ``AccessError``, when given)
        and returns the error's message."""
        result, err = self.call_kw(model, method, args, kwargs, context)
        self.assertIsNotNone(
            err, f"{model}.{method}{tuple(args)!r} was accepted over JSON-RPC: {result!r}"
        )
        if error:
            self.assertTrue(
                err.get("name", "").endswith(error),
                f"{model}.{method}: expected {error}, got {err.get('name')}: {err.get('message')}",
            )
        return err.get("message", "")

    def assertRpcOk(self, model, method, args=(), kwargs=None, context=None):
        result, err = self.call_kw(model, method, args, kwargs, context)
        self.assertIsNone(err, f"{model}.{method} refused: {err and err.get('message')}")
        return result


# Context keys that earlier versions read as permissions; clients may still send them, and
# they must change nothing.
OLD_GUARD_KEYS = {
    "cchc_onestop_transition": True,
    "cchc_esign_internal": True,
    "cchc_budget_settling": True,
    "cchc_report_unlock": True,
    "cchc_plan_state_change": True,
    "install_mode": True,
    "tracking_disable": True,
}
