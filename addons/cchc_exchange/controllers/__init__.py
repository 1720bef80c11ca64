from . import edxml
