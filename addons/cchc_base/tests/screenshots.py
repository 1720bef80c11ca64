"""Screenshots of what a tour leaves on screen, for the README: saved only when
``CCHC_SCREENSHOTS`` names a folder (``CCHC_SCREENSHOTS=docs/screenshots`` to refresh the README's);
an ordinary test run leaves the tracked images alone."""

import base64
import os
from pathlib import Path
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser


def screenshots_dir():
    """The folder the screenshots are saved in, or None (not asked for)."""
    folder = os.environ.get("CCHC_SCREENSHOTS")
    return Path(folder) if folder else None


def load_vietnamese(env):
    """Vietnamese active, with every installed addon's terms (the top menu shows each addon's
    entries)."""
    env["res.lang"]._activate_lang("vi_VN")
    installed = env["ir.module.module"].search([("state", "=", "installed")])
    env["ir.module.module"]._load_module_terms(installed.mapped("name"), ["vi_VN"], overwrite=True)


def tour_screenshot(case, url, tour, login, name):
    """Play ``tour`` as ``login`` in ``case`` (an ``HttpCase``), save the screen it ends on as
    ``<name>.png`` in :func:`screenshots_dir` when asked; return the PNG bytes."""
    shots = []
    stop = ChromeBrowser.stop

    def stop_after_screenshot(browser):
        shots.append(browser._websocket_request("Page.captureScreenshot")["data"])
        stop(browser)

    with patch.object(ChromeBrowser, "stop", stop_after_screenshot):
        case.start_tour(url, tour, login=login)
    png = base64.b64decode(shots[0])
    case.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
    folder = screenshots_dir()
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(png)
    return png
