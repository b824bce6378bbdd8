from django.conf import settings
from rest_framework.throttling import UserRateThrottle

from apps.common.roles import Rol


class ReservasPacienteThrottle(UserRateThrottle):
    """A paciente's bookings per minute (``RESERVAS_PACIENTE_RATE``), counted in the shared cache; staff are
    not limited."""

    scope = "reservas_paciente"

    def get_rate(self):
        return settings.RESERVAS_PACIENTE_RATE

    def get_cache_key(self, request, view):
        if getattr(request.user, "rol", None) != Rol.PACIENTE:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.id_user}
