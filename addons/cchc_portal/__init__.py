from . import controllers, models, report


def _post_init_hook(env):
    """Dossiers received before the portal existed get their tracking secret and rating link."""
    env["cchc.onestop.dossier"]._portal_backfill()
