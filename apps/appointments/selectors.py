from django.db.models import QuerySet

from apps.appointments.models import Cita
from apps.common.authentication import ClaimsUser
from apps.common.roles import Rol


def citas_visibles(*, actor: ClaimsUser) -> QuerySet[Cita]:
    """The citas a caller may see: a doctor its own, a patient its own, secretaria and admin all."""
    citas = Cita.objects.all()
    if actor.rol == Rol.MEDICO:
        return citas.filter(id_doctor=actor.id_doctor)
    if actor.rol == Rol.PACIENTE:
        return citas.filter(id_paciente=actor.id_paciente)
    if actor.rol in (Rol.ADMIN, Rol.SECRETARIA):
        return citas
    return citas.none()
