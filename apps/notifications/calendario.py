"""Citas as iCalendar: the private feeds and the ``.ics`` each message carries."""

from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, Event

from apps.appointments.models import Cita, EstadoCita

PRODID = "-//OdontoCare//citas//ES"


def uid(cita: Cita) -> str:
    """The same event in every feed and message, so that a calendar app updates it instead of adding one."""
    return f"cita-{cita.pk}@odontocare"


def evento(cita: Cita) -> Event:
    event = Event()
    event.add("uid", uid(cita))
    event.add("dtstamp", cita.actualizada)
    event.add("dtstart", cita.fecha)
    event.add("dtend", cita.fin)
    event.add("summary", f"Cita: {cita.doctor_nombre or 'doctor'} · {cita.paciente_nombre or 'paciente'}")
    if cita.centro_nombre:
        event.add("location", cita.centro_nombre)
    if cita.motivo:
        event.add("description", cita.motivo)
    event.add("status", "CANCELLED" if cita.estado == EstadoCita.CANCELADA else "CONFIRMED")
    event.add("sequence", int(cita.actualizada.timestamp()))  # each change of the cita, a newer version
    return event


def calendario(citas: Iterable[Cita], *, nombre: str, metodo: str | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", nombre)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    if metodo:
        cal.add("method", metodo)
    for cita in citas:
        cal.add_component(evento(cita))
    return cal.to_ical()
