"""How a message reaches a patient. A channel says where it would send to the patient (None: it cannot)
and sends; ``settings.NOTIFICACIONES_CANALES`` names the channels, so that an SMS one can be added."""

import smtplib
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from apps.appointments.gateway import PacienteRef


@dataclass(frozen=True)
class Mensaje:
    asunto: str
    texto: str
    ics: bytes
    metodo_ics: str  # REQUEST, or CANCEL
    id_mensaje: str  # the same on every attempt


class EnvioRechazado(Exception):
    """The channel refused the message for good (e.g. the address does not exist): trying again is useless."""


class Canal(Protocol):
    def direccion(self, paciente: PacienteRef) -> str | None: ...

    def enviar(self, mensaje: Mensaje, destinatario: str) -> None:
        """Raise EnvioRechazado for a refusal for good; any other exception means "try again later"."""


class Email:
    def direccion(self, paciente: PacienteRef) -> str | None:
        return paciente.email or None

    def enviar(self, mensaje: Mensaje, destinatario: str) -> None:
        email = EmailMessage(
            subject=mensaje.asunto,
            body=mensaje.texto,
            to=[destinatario],
            headers={"Message-ID": mensaje.id_mensaje},
        )
        email.attach("cita.ics", mensaje.ics, f"text/calendar; method={mensaje.metodo_ics}; charset=utf-8")
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise EnvioRechazado(str(exc)) from exc


def canales() -> dict[str, Canal]:
    return {nombre: import_string(ruta)() for nombre, ruta in settings.NOTIFICACIONES_CANALES.items()}
