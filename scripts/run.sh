#!/usr/bin/env bash
# Set up everything and serve Kinplan at http://127.0.0.1:8000 on the embedded SQLite database,
# with the demo data set loaded on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_env.sh requirements.txt
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
export DJANGO_DEBUG="${DJANGO_DEBUG:-false}"  # a served product shows friendly error pages, not tracebacks
mkdir -p "${KINPLAN_DATA_DIR:-data}"
python manage.py compile_catalogues
python manage.py migrate --noinput
python manage.py collectstatic --noinput --verbosity 0
python manage.py seed_demo
echo
python manage.py demo_logins
echo
# The background worker sends reminders (e-mail is printed here: set DJANGO_EMAIL_HOST for SMTP); it stops with us.
python manage.py kinplan_worker --verbosity 0 &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT INT TERM
echo "Kinplan is running at http://127.0.0.1:8000 with its background worker  (Ctrl-C to stop)"
gunicorn config.wsgi --bind 127.0.0.1:8000 --workers 2 --threads 4 --access-logfile - --log-level warning
