from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication

from apps.accounts.models import Revocacion
from apps.common.authentication import InvalidToken, StatelessJWTAuthentication, StatelessJWTScheme


class RevocableJWTAuthentication(JWTAuthentication):
    """simplejwt's bearer authentication, refusing the tokens a logout, a deactivation or a password change
    revoked (issued before the user's revocation)."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            user, token = found
            revocada = Revocacion.objects.filter(id_user=user.pk).values_list("desde", flat=True).first()
            if revocada is not None and int(token["iat"]) < int(revocada.timestamp()):
                raise InvalidToken()
        return found


def revocado(claims: dict) -> bool:
    """gestion's revocation check for the stateless authentication of its internal endpoints."""
    revocada = Revocacion.objects.filter(id_user=claims["user_id"]).values_list("desde", flat=True).first()
    return revocada is not None and int(claims["iat"]) < int(revocada.timestamp())


class RevocableJWTScheme(SimpleJWTScheme):
    target_class = RevocableJWTAuthentication


class ServiceJWTAuthentication(StatelessJWTAuthentication):
    """gestion's internal endpoints: the calling service's token, verified from its claims alone (no user
    row read per call); revocation still applies through ``JWT_REVOCATION_CHECK``."""


class ServiceJWTScheme(StatelessJWTScheme):
    target_class = ServiceJWTAuthentication
    name = "serviceJwtAuth"
