"""Every message the pure package can show a user is listed for translation in an addon."""

import ast
from pathlib import Path

from cchc_core.messages import Message

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "cchc_core"


def _calls(path: Path, name: str, position: int = 0) -> set[str]:
    """The literal arguments at ``position`` of the calls to ``name`` in a module, or in every
    module of a package when ``path`` is its folder."""
    if path.is_dir():
        return set().union(*(_calls(file, name, position) for file in path.rglob("*.py")))
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == name
            and len(node.args) > position
            and isinstance(node.args[position], ast.Constant)
        ):
            found.add(node.args[position].value)
    return found


def test_every_appendix_message_is_translatable():
    # The table pipeline's messages are the appendix's too (and the procedure list's).
    templates = _calls(CORE / "appendix", "Message") | _calls(CORE / "tables.py", "Message")
    listed = _calls(ROOT / "addons" / "cchc_plan" / "tools" / "appendix_messages.py", "_lt")
    assert templates, "no messages found: the test would prove nothing"
    assert templates == listed


def test_every_signing_message_is_translatable():
    core = ROOT / "cchc_core"
    templates = _calls(core / "pki", "Message") | _calls(core / "pades", "Message")
    templates -= {""}
    listed = _calls(ROOT / "addons" / "cchc_esign" / "tools" / "signing_messages.py", "_lt")
    assert templates, "no messages found: the test would prove nothing"
    assert templates == listed


def test_every_onestop_message_is_translatable():
    core = ROOT / "cchc_core"
    listing = ROOT / "addons" / "cchc_onestop" / "tools" / "onestop_messages.py"
    onestop = _calls(core / "onestop.py", "Message")
    catalogue = _calls(core / "catalogue.py", "Message") | _calls(core / "tables.py", "Message")
    assert onestop and catalogue, "no messages found: the test would prove nothing"
    listed = _listed(listing)
    assert onestop == listed["ONESTOP_MESSAGES"]
    assert catalogue == listed["CATALOGUE_MESSAGES"]
    # What "%(what)s" names in the messages above is translated too.
    terms = _calls(core / "onestop.py", "_check_moment", 1) | _calls(
        core / "onestop.py", "_amount", 1
    )
    assert terms == listed["ONESTOP_TERMS"]


def _listed(path: Path) -> dict[str, set[str]]:
    """The ``_lt`` literals of each tuple assigned at the top of ``path``."""
    listed = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            listed[node.targets[0].id] = {
                call.args[0].value
                for call in node.value.elts
                if isinstance(call, ast.Call) and isinstance(call.args[0], ast.Constant)
            }
    return listed


def test_message_keeps_template_and_values():
    message = Message("the table has more than %(rows)s rows", rows=20000)
    assert message == "the table has more than 20000 rows"
    assert (message.template, message.params) == (
        "the table has more than %(rows)s rows",
        {"rows": 20000},
    )
