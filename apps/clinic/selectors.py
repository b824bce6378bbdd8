from django.db.models import QuerySet

from apps.clinic.models import Centro, Doctor, Paciente
from apps.common.roles import Rol


def pacientes_visibles(*, actor) -> QuerySet[Paciente]:
    """A patient sees its own record only; the other roles allowed to read patients see them all."""
    pacientes = Paciente.objects.all()
    if actor.rol == Rol.PACIENTE:
        return pacientes.filter(user=actor)
    return pacientes


def referencias_cita(*, id_doctor: int, id_centro: int, id_paciente: int) -> dict:
    """What booking a cita needs to know about its doctor, centro and patient: None where absent."""
    return {
        "doctor": Doctor.objects.filter(pk=id_doctor).first(),
        "centro": Centro.objects.filter(pk=id_centro).first(),
        "paciente": Paciente.objects.filter(pk=id_paciente).first(),
    }
