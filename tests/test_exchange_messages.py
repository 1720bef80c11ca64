"""Every message cchc_core.edxml and cchc_core.msglog can show a user is listed for translation:
in cchc_esign (signing_messages.py, those shared with pki) and cchc_exchange (exchange_messages.py,
the rest)."""

from pathlib import Path

from test_appendix_messages import _calls

ROOT = Path(__file__).resolve().parent.parent
SIGNING = ROOT / "addons" / "cchc_esign" / "tools"
EXCHANGE = ROOT / "addons" / "cchc_exchange" / "tools"


def test_every_exchange_message_is_translatable():
    core = ROOT / "cchc_core"
    templates = (_calls(core / "edxml", "Message") | _calls(core / "msglog.py", "Message")) - {""}
    signing = _calls(SIGNING / "signing_messages.py", "_lt")
    listed = _calls(EXCHANGE / "exchange_messages.py", "_lt")
    assert templates, "no messages found: the test would prove nothing"
    assert templates - signing == listed
    assert not listed & signing, "a message is listed twice"
