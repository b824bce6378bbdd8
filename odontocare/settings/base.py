"""Settings shared by both deployables. Everything comes from the environment.

ODONTOCARE_ENV selects the profile: ``production`` (the default: no secret has a default),
``development`` (what ``scripts/dev`` runs) or ``test``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from odontocare.keys import ensure_keypair, read_key

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

ODONTOCARE_ENV = env.str("ODONTOCARE_ENV", default="production")
if ODONTOCARE_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(
        f"ODONTOCARE_ENV must be production, development or test, not {ODONTOCARE_ENV!r}"
    )
PRODUCTION = ODONTOCARE_ENV == "production"

DATA_DIR = Path(env.str("ODONTOCARE_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()

# Off unless asked for: with DEBUG on, Django answers unknown paths with HTML pages.
DEBUG = env.bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG shows code and settings to anyone: it is refused in production.")

_INSECURE_KEY_PREFIX = "django-insecure-"
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
    if SECRET_KEY.startswith(_INSECURE_KEY_PREFIX) or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
else:
    SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY_PREFIX + "odontocare-development-only-key")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "apps.common.errors.csrf_failure"

# Both deployables have a staff site (the Django admin at /staff/).
DJANGO_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "simple_history",
]

MIDDLEWARE = [
    "apps.common.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.common.middleware.OptionalTrailingSlashMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Keeps the request, so that each historical row names who wrote it (apps.common.history).
    "simple_history.middleware.HistoryRequestMiddleware",
]

WSGI_APPLICATION = "odontocare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database_from_env(default_sqlite_name: str) -> dict:
    """DATABASE_URL if set, else an SQLite file under the data directory."""
    default_url = f"sqlite:///{DATA_DIR / default_sqlite_name}"
    database = env.db_url_config(env.str("DATABASE_URL", default="") or default_url)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock when a transaction begins, so two writers never
        # interleave a read-check-write; WAL lets readers go on meanwhile.
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    else:
        database["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        database["CONN_HEALTH_CHECKS"] = True
        # psycopg's default. Django sets None, which turns prepared statements off even where a cursor asks
        # for them; only apps.common.sql's cursors do (the ORM's bind on the client and never prepare).
        database.setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
    return database


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Internationalisation: the API speaks Spanish unless the client asks for English.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English")]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Madrid")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it; collectstatic fills it in images.

# JWT: RS256. gestion holds the private key; both deployables hold the public key.
JWT_DIR = DATA_DIR / "jwt"


def _optional_path(name: str) -> Path | None:
    value = env.str(name, default="")
    return Path(value) if value else None


JWT_PRIVATE_KEY_PATH = _optional_path("JWT_PRIVATE_KEY_PATH")
JWT_PUBLIC_KEY_PATH = _optional_path("JWT_PUBLIC_KEY_PATH")
if not PRODUCTION and JWT_PUBLIC_KEY_PATH is None:
    # Development and tests: a key pair under the data directory, made on first use.
    JWT_PRIVATE_KEY_PATH = JWT_PRIVATE_KEY_PATH or JWT_DIR / "private.pem"
    JWT_PUBLIC_KEY_PATH = JWT_DIR / "public.pem"
    ensure_keypair(JWT_PRIVATE_KEY_PATH, JWT_PUBLIC_KEY_PATH)
if JWT_PUBLIC_KEY_PATH is None:
    raise ImproperlyConfigured("JWT_PUBLIC_KEY_PATH must point to the PEM public key.")

JWT_PUBLIC_KEY = read_key(JWT_PUBLIC_KEY_PATH)
JWT_ISSUER = "odontocare-gestion"
# Short-lived: a revoked access token is refused at once by gestion and within seconds by citas, but a copy
# that never reaches either expires soon anyway.
JWT_ACCESS_LIFETIME = timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=5))
JWT_REFRESH_LIFETIME = timedelta(days=env.int("JWT_REFRESH_DAYS", default=1))
JWT_LEEWAY_SECONDS = 5
# A token that passed is taken again without checks for this long (apps.common.authentication).
JWT_VERIFICADO_SEGUNDOS = env.float("JWT_VERIFICADO_SEGUNDOS", default=5)

# The read-only account citas uses to query gestion: gestion creates it, citas logs in with it.
SERVICE_ACCOUNT_USERNAME = env.str("SERVICE_ACCOUNT_USERNAME", default="servicio-citas")
SERVICE_ACCOUNT_PASSWORD = env.str(
    "SERVICE_ACCOUNT_PASSWORD", default=None if PRODUCTION else "odontocare-dev-servicio"
)

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["apps.common.parsers.JSONParser"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.common.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "apps.common.filters.OrderingFilter",
        # Last: when it applies, its order (the change, then the id) is the list's.
        "apps.common.filters.ActualizadaDesdeFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_standardized_errors.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "UNAUTHENTICATED_USER": None,
}

# A list's count is exact up to this many rows, an estimate beyond (apps.common.counts): counting a large
# table row by row on every page would cost more than the page.
COUNT_EXACTO_HASTA = env.int("COUNT_EXACTO_HASTA", default=10_000)

_ERROR_STATUS_CODES = ["400", "401", "403", "404", "405", "406", "415", "429", "500"]
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "apps.common.errors.ExceptionHandler",
    "ERROR_SCHEMAS": {code: "apps.common.openapi.ErrorResponseSerializer" for code in _ERROR_STATUS_CODES},
}

SPECTACULAR_SETTINGS = {
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"HealthStateEnum": ["ok", "error"]},
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
    "GET_LIB_DOC_EXCLUDES": "apps.common.openapi.doc_excludes",
}

# How long a sync feed (?actualizada_desde=) holds the newest changes back: longer than any write transaction.
SYNC_MARGEN_SEGUNDOS = env.int("SYNC_MARGEN_SEGUNDOS", default=5)

# How long an Idempotency-Key is kept at least (manage.py purge_idempotency_keys removes older ones).
IDEMPOTENCY_KEY_HORAS = env.int("IDEMPOTENCY_KEY_HORAS", default=24)

# The staff sites show each record's history but never write an old version back: writes go through services.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "apps.common.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [request_id=%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # The health probe comes from the container runtime over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/?$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
