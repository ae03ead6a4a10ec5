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

# The reports alias as a mirror of the test database (Django's TEST MIRROR: the same database, its own connection),
# so a test can send reads through it (kinplan/audit/tests/test_reports_database.py). Reports use it only where a
# test points KINPLAN_REPORTS_DATABASE at it; a test that does must run in committed transactions
# (django_db(transaction=True, databases=[...])), since the mirror's connection cannot see another's uncommitted rows.
DATABASES["reports"] = DATABASES["default"] | {"TEST": {"MIRROR": "default"}}
KINPLAN_REPORTS_DATABASE = "default"
