from . import models
from . import report


def post_init_hook(env):
    """Users that exist when the suite is installed (demo users too) land on the home screen,
    unless they already chose another home action."""
    env["res.users"]._cchc_home_set_default()
