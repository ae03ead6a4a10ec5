"""Benchmark (bench/run.py): production's settings and code paths, over plain HTTP on loopback (no TLS to end
there), with no second factor for the signed-in load, and the minimal view beside the product's URLs."""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
KINPLAN_TWO_FACTOR_ROLES: list[str] = []
ROOT_URLCONF = "bench.urls"
