"""Stateless bearer-token authentication: verifies the RS256 signature with the public key and
builds the caller from the token's claims, with no database lookup.

A client sends one token for minutes: a token that passed (signature, claims, the deployable's revocation
check) is taken again without those checks for ``JWT_VERIFICADO_SEGUNDOS``, never past its ``exp``. A
revocation thus applies within that many seconds more (within a minute is the rule).
"""

import functools
import time
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from apps.common.roles import Rol

ACCESS_TOKEN_TYPE = "access"  # noqa: S105 (a claim value, not a secret)
REQUIRED_CLAIMS = ["exp", "iat", "iss", "jti", "token_type", "user_id", "username", "rol"]


@dataclass(frozen=True)
class ClaimsUser:
    """The caller as its access token describes it."""

    id_user: int
    username: str
    rol: str
    id_paciente: int | None = None
    id_doctor: int | None = None

    is_authenticated = True
    is_anonymous = False

    @property
    def pk(self) -> int:
        return self.id_user

    @classmethod
    def from_claims(cls, claims: dict) -> "ClaimsUser":
        return cls(
            id_user=int(claims["user_id"]),
            username=str(claims["username"]),
            rol=str(claims["rol"]),
            id_paciente=claims.get("id_paciente"),
            id_doctor=claims.get("id_doctor"),
        )


class InvalidToken(exceptions.AuthenticationFailed):
    default_detail = _("Token is invalid or expired.")
    default_code = "token_not_valid"


@functools.cache
def _verifying_key(pem: str) -> RSAPublicKey:
    """The public key, parsed once: given the PEM, PyJWT would parse it on every call."""
    return serialization.load_pem_public_key(pem.encode())


def decode_access_token(raw: str) -> dict:
    try:
        claims = jwt.decode(
            raw,
            key=_verifying_key(settings.JWT_PUBLIC_KEY),
            algorithms=["RS256"],
            issuer=settings.JWT_ISSUER,
            leeway=settings.JWT_LEEWAY_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken() from exc
    if claims["token_type"] != ACCESS_TOKEN_TYPE or claims["rol"] not in Rol.values:
        raise InvalidToken()
    return claims


def _is_revoked(claims: dict) -> bool:
    """The deployable's revocation check (``JWT_REVOCATION_CHECK``, a dotted path), if it has one."""
    path = getattr(settings, "JWT_REVOCATION_CHECK", None)
    return bool(path) and import_string(path)(claims)


class _Verificados:
    """Tokens that passed, by their text: (caller, claims, until when they are taken without checks)."""

    LIMITE = 4096  # tokens remembered; past that the memory starts again

    def __init__(self):
        self._por_token: dict[str, tuple[ClaimsUser, dict, float]] = {}

    def get(self, raw: str) -> tuple[ClaimsUser, dict] | None:
        found = self._por_token.get(raw)
        if found is None or time.monotonic() >= found[2]:
            return None
        return found[0], found[1]

    def put(self, raw: str, user: ClaimsUser, claims: dict) -> None:
        seconds = min(settings.JWT_VERIFICADO_SEGUNDOS, claims["exp"] - time.time())
        if seconds <= 0:
            return
        if len(self._por_token) >= self.LIMITE:
            self._por_token = {}
        self._por_token[raw] = (user, claims, time.monotonic() + seconds)

    def clear(self) -> None:
        self._por_token = {}


verificados = _Verificados()


class StatelessJWTAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise InvalidToken(_("Authorization header must contain two space-delimited values."))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise InvalidToken() from exc
        if (known := verificados.get(raw)) is not None:
            return known
        claims = decode_access_token(raw)
        if _is_revoked(claims):
            raise InvalidToken()
        user = ClaimsUser.from_claims(claims)
        verificados.put(raw, user, claims)
        return user, claims

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class StatelessJWTScheme(OpenApiAuthenticationExtension):
    target_class = StatelessJWTAuthentication
    name = "jwtAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
