#!/usr/bin/env bash
# Set up everything and serve Kinplan at http://127.0.0.1:8000 on the embedded SQLite database,
# with the demo data set loaded on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_env.sh requirements.txt
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
export DJANGO_DEBUG="${DJANGO_DEBUG:-false}"  # a served product shows friendly error pages, not tracebacks
mkdir -p data
python manage.py migrate --noinput
python manage.py collectstatic --noinput --verbosity 0
python manage.py seed_demo
echo
python manage.py demo_logins
echo
echo "Kinplan is running at http://127.0.0.1:8000  (Ctrl-C to stop)"
exec gunicorn config.wsgi --bind 127.0.0.1:8000 --workers 2 --threads 4 --access-logfile - --log-level warning
