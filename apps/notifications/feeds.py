"""Private calendar feeds: a URL per user that a calendar app reads without a bearer token.

The URL's token is signed (it cannot be made up) and names the user's current ``Calendario.clave``: a new
clave, or none, revokes every URL given before. A feed also ends when gestion revokes its owner's tokens
(logout, password change, deactivation) after the feed was made: the owner asks for a new URL.
"""

import secrets
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError
from django.utils import timezone

from apps.appointments import revocaciones
from apps.appointments.selectors import citas_visibles
from apps.common.authentication import ClaimsUser
from apps.notifications.models import Calendario

SALT = "apps.notifications.feeds"
DIAS_ATRAS = 90  # a feed shows the citas from this many days ago on


def calendario_token(*, actor: ClaimsUser) -> str:
    """The caller's feed token (the same until revoked), its scope kept to the caller's current claims."""
    campos = {
        "username": actor.username,
        "rol": actor.rol,
        "id_doctor": actor.id_doctor,
        "id_paciente": actor.id_paciente,
    }
    try:
        calendario, _ = Calendario.objects.update_or_create(
            id_user=actor.id_user,
            defaults=campos,
            create_defaults={**campos, "clave": secrets.token_urlsafe(24)},
        )
    except IntegrityError:  # made by a concurrent request of the same user
        calendario = Calendario.objects.get(id_user=actor.id_user)
    return signing.dumps({"u": calendario.id_user, "k": calendario.clave}, salt=SALT)


def calendario_revoke(*, actor: ClaimsUser) -> None:
    Calendario.objects.filter(id_user=actor.id_user).delete()


def calendario_owner(token: str) -> ClaimsUser | None:
    """Whose feed this token opens; None for a token that is forged, revoked or of a revoked user."""
    try:
        datos = signing.loads(token, salt=SALT)
        calendario = Calendario.objects.filter(id_user=int(datos["u"]), clave=str(datos["k"])).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if calendario is None:
        return None
    if revocaciones.revocado({"user_id": calendario.id_user, "iat": int(calendario.creado.timestamp())}):
        return None
    return ClaimsUser(
        id_user=calendario.id_user,
        username=calendario.username,
        rol=calendario.rol,
        id_doctor=calendario.id_doctor,
        id_paciente=calendario.id_paciente,
    )


def citas_del_calendario(actor: ClaimsUser):
    desde = timezone.now() - timedelta(days=DIAS_ATRAS)
    return citas_visibles(actor=actor).filter(fecha__gte=desde).order_by("fecha", "id_cita")
