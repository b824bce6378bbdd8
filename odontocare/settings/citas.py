"""citas: appointments. Knows gestion only through its REST API."""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DATA_DIR,
    DJANGO_APPS,
    PRODUCTION,
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
    "apps.notifications",
    "huey.contrib.djhuey",
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
_gestion = urlsplit(GESTION_URL)
if _gestion.scheme not in {"http", "https"} or not _gestion.hostname:  # e.g. "gestion:8000": every call fails
    raise ImproperlyConfigured(
        "GESTION_URL must be an http:// or https:// URL with a host: http://gestion:8000."
    )

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

# Messages to patients (apps.notifications): written to an outbox with the cita, delivered by the worker
# (`manage.py run_huey` with these settings, several at once if need be). The worker's queue is an SQLite
# file that citas and the workers share (one host, or a shared volume); no fsync, since the outbox in citas'
# database is what must survive a crash, and the worker's periodic sweep queues its due messages again.
HUEY_SQLITE_PATH = Path(env.str("HUEY_SQLITE_PATH", default=str(DATA_DIR / "citas-cola.sqlite3")))
HUEY_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
HUEY = {
    "name": "citas",
    "huey_class": "huey.SqliteHuey",
    "immediate": False,
    "results": False,
    "utc": True,
    "connection": {"filename": str(HUEY_SQLITE_PATH), "fsync": False},
    "consumer": {"workers": env.int("NOTIFICACIONES_HILOS", default=2), "worker_type": "thread"},
}
# The worker's heartbeat (its healthcheck, `manage.py worker_health`): a file of this host or container.
NOTIFICACIONES_LATIDO = env.str("NOTIFICACIONES_LATIDO", default=str(DATA_DIR / "worker-latido"))
# How messages reach patients: channel name -> class (apps.notifications.canales); each message names its
# channel (email, the one so far).
NOTIFICACIONES_CANALES = {"email": "apps.notifications.canales.Email"}
RECORDATORIO_HORAS = env.int("RECORDATORIO_HORAS", default=24)
# A failed send is tried again after 1, 2, 4... times this, at most NOTIFICACIONES_REINTENTO_MAXIMO_SEGUNDOS
# apart, NOTIFICACIONES_INTENTOS times in all; then it is a dead letter.
NOTIFICACIONES_REINTENTO_SEGUNDOS = env.float("NOTIFICACIONES_REINTENTO_SEGUNDOS", default=60)
NOTIFICACIONES_REINTENTO_MAXIMO_SEGUNDOS = env.float("NOTIFICACIONES_REINTENTO_MAXIMO_SEGUNDOS", default=3600)
NOTIFICACIONES_INTENTOS = env.int("NOTIFICACIONES_INTENTOS", default=10)
# A send held longer than this is taken as interrupted (its worker stopped): a dead letter, not resent.
NOTIFICACIONES_PLAZO_ENVIO_SEGUNDOS = env.float("NOTIFICACIONES_PLAZO_ENVIO_SEGUNDOS", default=300)
# Email: EMAIL_URL (smtp://user:password@host:587/?tls=True, consolemail://, filemail:///path/), read into
# EMAIL_BACKEND, EMAIL_HOST and the rest as django-environ documents it.
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25" if PRODUCTION else "consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OdontoCare <citas@odontocare.invalid>")
# A mail server that stops answering fails the send (tried again later) instead of holding a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The calendar feeds' URLs are made from this origin (e.g. https://citas.example.org); else the request's.
CALENDARIO_ORIGEN = env.str("CALENDARIO_ORIGEN", default="")
