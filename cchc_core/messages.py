"""The message every part of the core raises: English text that keeps its template.

The pure package speaks English; an Odoo addon shows a :class:`Message` in the user's language
by looking its ``template`` up in the addon's translations and filling in ``params`` (each addon
lists the templates it may show, so that they are extracted and translated).
"""

from __future__ import annotations

__all__ = ["Message"]


class Message(str):
    """English text that keeps its template and values, so that a user interface can show it
    translated: ``Message("the table has more than %(rows)s rows", rows=20000)``."""

    template: str
    params: dict

    def __new__(cls, template: str, **params) -> Message:
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text
