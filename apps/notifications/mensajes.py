"""What each message says (in the site's language), with the cita attached as iCalendar."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.appointments.models import Cita
from apps.notifications.calendario import calendario
from apps.notifications.canales import Mensaje
from apps.notifications.models import Notificacion, TipoNotificacion

ASUNTOS = {
    TipoNotificacion.RESERVA: gettext_lazy("Your appointment on %(cuando)s is booked"),
    TipoNotificacion.CAMBIO: gettext_lazy("Your appointment has changed: now on %(cuando)s"),
    TipoNotificacion.CANCELACION: gettext_lazy("Your appointment on %(cuando)s is cancelled"),
    TipoNotificacion.RECORDATORIO: gettext_lazy("Reminder: your appointment on %(cuando)s"),
}


def mensaje(notificacion: Notificacion, cita: Cita) -> Mensaje:
    datos = {
        "cuando": timezone.localtime(cita.fecha).strftime("%d/%m/%Y %H:%M"),
        "doctor": cita.doctor_nombre,
        "centro": cita.centro_nombre,
        "paciente": cita.paciente_nombre,
    }
    asunto = str(ASUNTOS[notificacion.tipo]) % datos
    texto = _("Hello %(paciente)s,\n\n%(asunto)s, with %(doctor)s at %(centro)s.\n\nOdontoCare") % {
        **datos,
        "asunto": asunto,
    }
    metodo = "CANCEL" if notificacion.tipo == TipoNotificacion.CANCELACION else "REQUEST"
    return Mensaje(
        asunto=asunto,
        texto=texto,
        ics=calendario([cita], nombre="OdontoCare", metodo=metodo),
        metodo_ics=metodo,
        id_mensaje=f"<notificacion-{notificacion.pk}@odontocare>",
    )
