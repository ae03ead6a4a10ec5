"""Test settings: fast hashing, in-memory-friendly, otherwise the same as production code paths."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Thousands of tests sign managers in with force_login and no second factor; the two-factor tests
# (kinplan/accounts/tests/test_two_factor.py) switch the requirement on with override_settings.
KINPLAN_TWO_FACTOR_ROLES: list[str] = []
