"""The province's language: what is written once for every reader is written in Vietnamese.

A register's name, the one-stop forms, the portal's pages for citizens and the demo records are
read by everyone whatever their own language; they are written in Vietnamese whenever Vietnamese
is installed, and in the language of the caller otherwise (a database without it, such as the
tests' own).
"""

PROVINCE_LANG = "vi_VN"


def province_lang(env):
    """``vi_VN`` when installed, otherwise the language of ``env`` (``en_US`` by default)."""
    installed = {code for code, _name in env["res.lang"].get_installed()}
    return PROVINCE_LANG if PROVINCE_LANG in installed else (env.lang or "en_US")


def in_province_lang(env):
    """``env`` with the province's language in its context (itself when it already has it)."""
    lang = province_lang(env)
    return env if env.lang == lang else env(context=dict(env.context, lang=lang))
