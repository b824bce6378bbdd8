"""The floor a booking is measured against: the same Django, DRF, gunicorn and database as citas, one view
that checks overlap and inserts, with no authentication, no gateway and no middleware to speak of; and the
same view after one HTTP call to a bare app at FLOOR_CALL_URL (scripts/bench/bare_call.py)."""

import os

from odontocare.settings.citas import *  # noqa: F403

ROOT_URLCONF = "scripts.bench.floor_urls"
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
}
FLOOR_CALL_URL = os.environ["FLOOR_CALL_URL"]
