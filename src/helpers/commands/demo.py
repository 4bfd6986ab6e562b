"""`xxgk demo`: see helpers.demo."""
from ..demo import register  # noqa: F401
