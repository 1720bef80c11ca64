"""What the Odoo benchmarks share: a timer that can profile, and the registry of the database
their command line names. Imported by the scripts, which run from this folder."""

from __future__ import annotations

import time


def timed(func, profile=False, top=25):
    """``(func(), seconds)``; with ``profile``, the ``top`` cumulative entries are printed."""
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)
    return result, elapsed


def odoo_registry(odoo_args):
    """Odoo's registry of the database named by the Odoo options (after an optional ``--``)."""
    import odoo

    odoo.tools.config.parse_config(odoo_args[1:] if odoo_args[:1] == ["--"] else odoo_args)
    return odoo.modules.registry.Registry(odoo.tools.config["db_name"])
