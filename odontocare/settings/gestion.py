"""gestion: users and the administrative registry (centros, doctores, pacientes)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DJANGO_APPS,
    JWT_ACCESS_LIFETIME,
    JWT_ISSUER,
    JWT_LEEWAY_SECONDS,
    JWT_PRIVATE_KEY_PATH,
    JWT_PUBLIC_KEY,
    JWT_REFRESH_LIFETIME,
    MIDDLEWARE,
    ODONTOCARE_ENV,
    PRODUCTION,
    REST_FRAMEWORK,
    SPECTACULAR_SETTINGS,
    THIRD_PARTY_APPS,
    database_from_env,
    env,
    read_key,
)

SERVICE_NAME = "gestion"
ROOT_URLCONF = "odontocare.urls.gestion"

INSTALLED_APPS = [
    *DJANGO_APPS,
    "apps.accounts.admin_config.StaffAdminConfig",  # django.contrib.admin, with its login under the policy
    *THIRD_PARTY_APPS,
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "apps.common",
    "apps.accounts",
    "apps.clinic",
]

DATABASES = {"default": database_from_env("gestion.sqlite3")}

# What citas asks on every booking is answered right after the security middleware, before the rest
# (apps.clinic.fast_path).
_fast_path_at = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_fast_path_at],
    "apps.clinic.fast_path.ReferenciasFastPathMiddleware",
    *MIDDLEWARE[_fast_path_at:],
]

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if ODONTOCARE_ENV == "test"
    else ["django.contrib.auth.hashers.Argon2PasswordHasher"]
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins are counted in this cache, shared by every worker and process (apps.accounts.login_guard).
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://odontocare_cache")}

if JWT_PRIVATE_KEY_PATH is None:
    raise ImproperlyConfigured(
        "JWT_PRIVATE_KEY_PATH must point to the PEM private key (gestion signs tokens)."
    )

SIMPLE_JWT = {
    "ALGORITHM": "RS256",
    "SIGNING_KEY": read_key(JWT_PRIVATE_KEY_PATH),
    "VERIFYING_KEY": JWT_PUBLIC_KEY,
    "ISSUER": JWT_ISSUER,
    "ACCESS_TOKEN_LIFETIME": JWT_ACCESS_LIFETIME,
    "REFRESH_TOKEN_LIFETIME": JWT_REFRESH_LIFETIME,
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "LEEWAY": JWT_LEEWAY_SECONDS,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id_user",
    "USER_ID_CLAIM": "user_id",
    "TOKEN_OBTAIN_SERIALIZER": "apps.accounts.serializers.LoginSerializer",
}

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.RevocableJWTAuthentication",
        # Lets staff signed in at /staff/ use the browsable API.
        "rest_framework.authentication.SessionAuthentication",
    ],
}

# The internal endpoints authenticate the service statelessly (no user row read per call); this refuses
# revoked tokens there.
JWT_REVOCATION_CHECK = "apps.accounts.authentication.revocado"

SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,
    "TITLE": "OdontoCare gestion",
    "DESCRIPTION": "Users, authentication and the administrative registry: centros, doctores, pacientes.",
}

ODONTOCARE_ADMIN_USERNAME = env.str("ODONTOCARE_ADMIN_USERNAME", default="admin")
ODONTOCARE_ADMIN_PASSWORD = env.str(
    "ODONTOCARE_ADMIN_PASSWORD", default=None if PRODUCTION else "odontocare-dev-admin"
)

# The network's defaults for a new centro's booking settings (each centro may change its own).
AGENDA_ANTELACION_MINIMA_MINUTOS = env.int("AGENDA_ANTELACION_MINIMA_MINUTOS", default=0)
AGENDA_HORIZONTE_DIAS = env.int("AGENDA_HORIZONTE_DIAS", default=365)
AGENDA_INTERVALO_MINUTOS = env.int("AGENDA_INTERVALO_MINUTOS", default=15)

# Failed logins, on every way in: per (address, username), per address across usernames, in a window.
LOGIN_FALLOS_POR_USUARIO = env.int("LOGIN_FALLOS_POR_USUARIO", default=5)
LOGIN_FALLOS_POR_DIRECCION = env.int("LOGIN_FALLOS_POR_DIRECCION", default=20)
LOGIN_VENTANA_SEGUNDOS = env.int("LOGIN_VENTANA_SEGUNDOS", default=300)
