"""The embedded default: SQLite under data/, debug on, for a laptop or a single office PC."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
