"""citas: appointments. Knows gestion only through its REST API."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DJANGO_APPS,
    REST_FRAMEWORK,
    SERVICE_ACCOUNT_PASSWORD,
    SPECTACULAR_SETTINGS,
    THIRD_PARTY_APPS,
    database_from_env,
    env,
)

SERVICE_NAME = "citas"
ROOT_URLCONF = "odontocare.urls.citas"

INSTALLED_APPS = [
    *DJANGO_APPS,
    "django.contrib.admin",
    *THIRD_PARTY_APPS,
    "apps.common",
    "apps.personal",
    "apps.appointments",
]

# The staff site's users: gestion checks their passwords, citas keeps none (an unusable one).
AUTH_USER_MODEL = "personal.Personal"
AUTHENTICATION_BACKENDS = ["apps.appointments.staff.backends.GestionBackend"]

DATABASES = {"default": database_from_env("citas.sqlite3")}

# Shared by every worker and process: a paciente's booking rate is counted here.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://odontocare_cache")}

# A paciente booking for itself: at most this many active citas still to come, and this rate.
MAX_CITAS_ACTIVAS_PACIENTE = env.int("MAX_CITAS_ACTIVAS_PACIENTE", default=6)
RESERVAS_PACIENTE_RATE = env.str("RESERVAS_PACIENTE_RATE", default="10/min")

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    # Stateless: a token's signature and claims are all the API needs of its caller.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.common.authentication.StatelessJWTAuthentication",
        # Staff signed in at /staff/ (or the browsable API's login) use the browsable API and Swagger.
        "rest_framework.authentication.SessionAuthentication",
    ],
}

GESTION_URL = env.str("GESTION_URL", default="http://127.0.0.1:8000")

# Tokens gestion revoked are refused here too, learnt from gestion at most this often
# (apps.appointments.revocaciones).
JWT_REVOCATION_CHECK = "apps.appointments.revocaciones.revocado"
REVOCACIONES_REFRESCO_SEGUNDOS = env.float("REVOCACIONES_REFRESCO_SEGUNDOS", default=5)
if not SERVICE_ACCOUNT_PASSWORD:
    raise ImproperlyConfigured("SERVICE_ACCOUNT_PASSWORD must be set: citas asks gestion with that account.")
GESTION_CONNECT_TIMEOUT = env.float("GESTION_CONNECT_TIMEOUT", default=1.0)
GESTION_READ_TIMEOUT = env.float("GESTION_READ_TIMEOUT", default=3.0)

SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "TITLE": "OdontoCare citas",
    "DESCRIPTION": "Appointments. Tokens are issued by gestion (`POST /auth/login`) and verified here.",
}
