"""What each message says."""

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.appointments.models import Cita
from apps.notifications.calendario import calendario
from apps.notifications.canales import Mensaje
from apps.notifications.models import Notificacion, TipoNotificacion


def mensaje(notificacion: Notificacion, cita: Cita) -> Mensaje:
    cuando = timezone.localtime(cita.fecha).strftime("%d/%m/%Y %H:%M")
    datos = {
        "cuando": cuando,
        "doctor": cita.doctor_nombre,
        "centro": cita.centro_nombre,
        "paciente": cita.paciente_nombre,
    }
    asuntos = {
        TipoNotificacion.RESERVA: _("Your appointment on %(cuando)s is booked"),
        TipoNotificacion.CAMBIO: _("Your appointment has changed: now on %(cuando)s"),
        TipoNotificacion.CANCELACION: _("Your appointment on %(cuando)s is cancelled"),
        TipoNotificacion.RECORDATORIO: _("Reminder: your appointment on %(cuando)s"),
    }
    cancelada = notificacion.tipo == TipoNotificacion.CANCELACION
    texto = _("Hello %(paciente)s,\n\n%(asunto)s, with %(doctor)s at %(centro)s.\n\nOdontoCare") % {
        **datos,
        "asunto": asuntos[notificacion.tipo] % datos,
    }
    metodo = "CANCEL" if cancelada else "REQUEST"
    return Mensaje(
        asunto=asuntos[notificacion.tipo] % datos,
        texto=texto,
        ics=calendario([cita], nombre="OdontoCare", metodo=metodo),
        metodo_ics=metodo,
        id_mensaje=f"<notificacion-{notificacion.pk}@odontocare>",
    )
