"""The messages of the pure core (cchc_core) in the user's language, for every addon.

The core speaks English and raises :class:`cchc_core.messages.Message` strings that keep their
template and values; each addon lists the templates it shows in a ``*_messages.py`` file of
``_lt(...)`` calls, so that they are extracted into its .pot and translated in its vi.po.

Why the module names are given: ``env._`` looks a text up in the translations of the module whose
code calls it (Odoo finds it from the caller's frame), so a helper in cchc_base calling ``env._``
would only ever see cchc_base's vi.po — that is why each addon once kept its own copy. This helper
asks Odoo's translation API for the named modules instead (``code_translations`` and
``get_translation``, what ``env._`` uses underneath), in the order given, then cchc_base, which
translates the archives' refusals every addon that reads an upload may show.
"""

from odoo.tools.translate import LazyGettext, code_translations, get_translation

from cchc_core.messages import Message


def translate(env, message, *modules, terms=()):
    """``message`` in the language of ``env``.

    :param message: a :class:`Message` (anything else is returned as ``str``)
    :param modules: the addons whose vi.po translate it, looked up in this order, cchc_base last;
        a template none of them translates comes out in English, its values filled in
    :param terms: texts (``str`` or ``_lt``) that a message may carry as a value, such as
        "the receipt time" in "%(what)s must be a date and time"; a value equal to one of them is
        translated too. Only listed texts are, so that a file name or a code that happens to
        equal a translated word stays as it is.

    A value that is itself a :class:`Message` ("sheet 'X' not read: <why>") is translated the
    same way.
    """
    if not isinstance(message, Message):
        return str(message)
    terms = {str(term._source) if isinstance(term, LazyGettext) else term for term in terms}
    return _translate(env.lang or "en_US", message, (*modules, "cchc_base"), terms)


def _translate(lang, message, modules, terms):
    params = {key: _value(lang, value, modules, terms) for key, value in message.params.items()}
    return get_translation(
        _module_of(lang, message.template, modules), lang, message.template, params
    )


def _value(lang, value, modules, terms):
    if isinstance(value, Message):
        return _translate(lang, value, modules, terms)
    if isinstance(value, str) and value in terms:
        return get_translation(_module_of(lang, value, modules), lang, value, ())
    return value


def _module_of(lang, source, modules):
    """The first of ``modules`` that translates ``source`` (the last when none does: Odoo then
    keeps the English source)."""
    if lang != "en_US":
        for module in modules:
            if source in code_translations.get_python_translations(module, lang):
                return module
    return modules[-1]


def sentence(text):
    """``text`` as a sentence shown on its own: its first letter upper-case, a full stop at
    the end unless it ends a sentence already. The messages of ``cchc_core`` are written to be
    embedded ("<file>: <why>") and start lower-case."""
    text = str(text or "").strip()
    if not text:
        return ""
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?", "…")) else ".")
