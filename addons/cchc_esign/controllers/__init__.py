from . import exchange
from . import main
