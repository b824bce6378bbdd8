from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication

from apps.common import sql
from apps.common.authentication import InvalidToken, StatelessJWTAuthentication, StatelessJWTScheme


class RevocableJWTAuthentication(JWTAuthentication):
    """simplejwt's bearer authentication, refusing the tokens a logout, a deactivation or a password change
    revoked (issued before the user's revocation)."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            _, token = found
            if revocado(token):
                raise InvalidToken()
        return found


# On every authenticated request: raw SQL (see apps.common.sql).
_REVOCACION = "SELECT desde FROM accounts_revocacion WHERE id_user = %s"


def revocado(claims) -> bool:
    """Whether the token was issued before its user's revocation; also the revocation check
    (``JWT_REVOCATION_CHECK``) of the stateless authentication of gestion's internal endpoints."""
    found = sql.rows(_REVOCACION, [int(claims["user_id"])])
    return bool(found) and int(claims["iat"]) < int(sql.instante(found[0][0]).timestamp())


class RevocableJWTScheme(SimpleJWTScheme):
    target_class = RevocableJWTAuthentication


class ServiceJWTAuthentication(StatelessJWTAuthentication):
    """gestion's internal endpoints: the calling service's token, verified from its claims alone (no user
    row read per call); revocation still applies through ``JWT_REVOCATION_CHECK``."""


class ServiceJWTScheme(StatelessJWTScheme):
    target_class = ServiceJWTAuthentication
    name = "serviceJwtAuth"
