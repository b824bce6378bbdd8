#!/bin/sh
# Prepare this deployable's database, then run the command (gunicorn by default).
set -eu

case "${DJANGO_SETTINGS_MODULE:-}" in
    odontocare.settings.gestion)
        python manage.py migrate --no-input
        python manage.py createcachetable
        python manage.py ensure_admin
        python manage.py ensure_service_account
        ;;
    odontocare.settings.citas)
        python manage.py migrate --no-input
        python manage.py createcachetable
        ;;
    *)
        echo "DJANGO_SETTINGS_MODULE must be odontocare.settings.gestion or odontocare.settings.citas" >&2
        exit 2
        ;;
esac

exec "$@"
