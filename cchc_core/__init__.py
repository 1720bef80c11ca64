"""Pure-Python core of the CCHC Suite.

Nothing in this package imports Odoo: it is tested with plain pytest on any machine and reused by
the Odoo addons (``addons/cchc_*``) and by the ``cchc`` command-line tool.
"""

__version__ = "18.0.1.0.0"
