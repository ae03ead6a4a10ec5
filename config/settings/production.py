"""Production: PostgreSQL through DATABASE_URL, secrets from the environment, HTTPS only, secure cookies.

`manage.py check --deploy --fail-level WARNING` passes with these settings (tested in
kinplan/core/tests/test_security_headers.py); docs/security.md lists what each one is for.
"""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

# No default: without DJANGO_SECRET_KEY, production refuses to start (KeyError) rather than sign sessions with a
# key everyone knows. Old keys listed in DJANGO_SECRET_KEY_FALLBACKS keep sessions valid while a key is rotated.
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# HTTPS only. Behind a reverse proxy that ends TLS, the proxy must set X-Forwarded-Proto (and strip any the client
# sent); HSTS tells browsers never to try plain HTTP again, for a year.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The load balancer's health check reaches each app server directly, over plain HTTP: answer it, not redirect it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

# Cookies: sent over HTTPS only, out of reach of scripts, and not on requests another site starts (SameSite=Lax
# still lets a link in an e-mail open Kinplan signed in).
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
