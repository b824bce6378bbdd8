import logging

from django.contrib.auth.backends import BaseBackend

from apps.appointments.gateway import GestionNoDisponible, gestion
from apps.common.clients import client_address
from apps.personal.models import PERMISOS_STAFF, Personal

logger = logging.getLogger(__name__)


class GestionBackend(BaseBackend):
    """Signs staff in with their gestion username and password, which gestion checks (through the gateway).

    gestion counts a failed attempt under its failed-login policy, for the address the person signs in
    from; while that is locked it raises AccesoBloqueado, which the login view answers 429. Only the roles
    that have a place on the staff site get in. citas keeps a local user for the session,
    named and roled as gestion says at each sign-in, with an unusable password: no password and no hash of
    one is ever stored here.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        try:
            usuario = gestion().autenticar(
                username=username, password=password, direccion=client_address(request)
            )
        except GestionNoDisponible as exc:
            logger.warning("Staff sign-in not possible, gestion is unavailable: %s", exc)
            return None
        if usuario is None or usuario.rol not in PERMISOS_STAFF:
            return None
        Personal.objects.filter(username=usuario.username).exclude(id_user=usuario.id_user).delete()
        personal, created = Personal.objects.get_or_create(
            id_user=usuario.id_user, defaults={"username": usuario.username, "rol": usuario.rol}
        )
        if created:
            personal.set_unusable_password()
        personal.username, personal.rol = usuario.username, usuario.rol
        personal.save()
        return personal

    def get_user(self, user_id):
        return Personal.objects.filter(pk=user_id).first()
