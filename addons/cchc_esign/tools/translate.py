"""The messages of the pure package in the user's language."""

from cchc_core.messages import Message


# Each addon keeps its own copy: env._ looks the text up in the translations of the module
# that calls it, so a shared helper in cchc_base would miss this addon's vi.po.
def translate(env, message):
    """A message of the pure package in the user's language (see cchc_core.messages.Message)."""
    if isinstance(message, Message):
        return env._(message.template, **message.params)
    return str(message)
