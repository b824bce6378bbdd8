"""The outbox: a message written with each booking, change and cancellation, sent once, retried with
backoff, and the dead letters."""

import smtplib
from datetime import timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from icalendar import Calendar

from apps.appointments.models import Cita, EstadoCita
from apps.appointments.tests.conftest import OTRO_PACIENTE, PACIENTE, book, en
from apps.notifications import services
from apps.notifications.models import EstadoNotificacion, Notificacion, TipoNotificacion

pytestmark = pytest.mark.django_db


@pytest.fixture
def con_email(gestion_fake):
    gestion_fake.add_paciente(PACIENTE, nombre="Ana Pérez", email="ana@example.org")
    return gestion_fake


def enviar(notificacion: Notificacion, gestion) -> str | None:
    return services.notificacion_send(id_notificacion=notificacion.pk, gestion=gestion)


def test_a_booking_a_change_and_a_cancellation_each_write_their_message(as_role, con_email, cita_body):
    admin = as_role("admin")
    booked = book(admin, cita_body).json()
    changed = admin.put(f"/citas/{booked['id_cita']}", {"fecha": en(days=3)}, format="json").json()["cita"]
    admin.put(f"/citas/{changed['id_cita']}", {"estado": "CANCELADA"}, format="json")
    assert list(Notificacion.objects.values_list("cita_id", "tipo", "estado")) == [
        (booked["id_cita"], TipoNotificacion.RESERVA, EstadoNotificacion.PENDIENTE),
        (changed["id_cita"], TipoNotificacion.CAMBIO, EstadoNotificacion.PENDIENTE),
        (changed["id_cita"], TipoNotificacion.CANCELACION, EstadoNotificacion.PENDIENTE),
    ]


def test_a_refused_booking_writes_no_message(as_role, con_email, cita_body):
    admin = as_role("admin")
    assert book(admin, cita_body).status_code == 201
    assert book(admin, cita_body, id_paciente=OTRO_PACIENTE).status_code == 409
    assert Notificacion.objects.count() == 1


def test_a_message_is_sent_once_with_the_cita_as_ics(as_role, con_email, cita, mailoutbox):
    notificacion = Notificacion.objects.get()
    assert enviar(notificacion, con_email) == EstadoNotificacion.ENVIADA
    assert enviar(notificacion, con_email) is None  # already sent: nobody claims it again
    (email,) = mailoutbox
    assert email.to == ["ana@example.org"]
    assert email.extra_headers["Message-ID"] == f"<notificacion-{notificacion.pk}@odontocare>"
    ((nombre, ics, tipo),) = email.attachments
    assert nombre == "cita.ics" and tipo.startswith("text/calendar; method=REQUEST")
    (evento,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(evento["uid"]) == f"cita-{cita['id_cita']}@odontocare"
    assert evento.decoded("dtstart") == Cita.objects.get().fecha
    notificacion.refresh_from_db()
    assert (notificacion.estado, notificacion.intentos, notificacion.destinatario) == (
        EstadoNotificacion.ENVIADA,
        1,
        "ana@example.org",
    )
    assert notificacion.enviada is not None


def test_a_cancellation_carries_a_cancelling_ics(as_role, con_email, cita, mailoutbox):
    as_role("admin").put(f"/citas/{cita['id_cita']}", {"estado": "CANCELADA"}, format="json")
    enviar(Notificacion.objects.get(tipo=TipoNotificacion.CANCELACION), con_email)
    ((_, ics, tipo),) = mailoutbox[0].attachments
    assert "method=CANCEL" in tipo
    (evento,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(evento["status"]) == "CANCELLED"


def test_a_patient_without_an_address_gets_nothing(as_role, gestion_fake, cita, mailoutbox):
    assert enviar(Notificacion.objects.get(), gestion_fake) == EstadoNotificacion.DESCARTADA
    assert mailoutbox == []


class CanalCaido:
    """A channel whose server is down."""

    def direccion(self, paciente):
        return paciente.email

    def enviar(self, mensaje, destinatario):
        raise ConnectionRefusedError("the mail server is down")


class ServidorQueRechaza(BaseEmailBackend):
    """An SMTP server that refuses the address."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"ana@example.org": (550, b"no such user")})


def test_a_failed_send_is_tried_again_later_with_backoff_then_is_a_dead_letter(
    as_role, con_email, cita, settings
):
    settings.NOTIFICACIONES_CANALES = {"email": f"{__name__}.CanalCaido"}
    settings.NOTIFICACIONES_REINTENTO_SEGUNDOS = 60
    settings.NOTIFICACIONES_INTENTOS = 3
    notificacion = Notificacion.objects.get()
    esperas = []
    for _ in range(2):
        antes = timezone.now()
        assert enviar(notificacion, con_email) == EstadoNotificacion.PENDIENTE
        notificacion.refresh_from_db()
        esperas.append((notificacion.proximo_intento - antes).total_seconds())
        assert enviar(notificacion, con_email) is None  # not due yet
        Notificacion.objects.filter(pk=notificacion.pk).update(proximo_intento=timezone.now())
    assert [round(espera / 60) for espera in esperas] == [1, 2]
    assert enviar(notificacion, con_email) == EstadoNotificacion.FALLIDA
    notificacion.refresh_from_db()
    assert notificacion.intentos == 3 and "the mail server is down" in notificacion.ultimo_error


def test_an_address_refused_for_good_is_a_dead_letter_at_once(as_role, con_email, cita, settings):
    settings.EMAIL_BACKEND = f"{__name__}.ServidorQueRechaza"
    notificacion = Notificacion.objects.get()
    assert enviar(notificacion, con_email) == EstadoNotificacion.FALLIDA
    notificacion.refresh_from_db()
    assert notificacion.intentos == 1 and "no such user" in notificacion.ultimo_error


def test_a_send_interrupted_mid_way_is_not_sent_again_by_itself(as_role, con_email, cita, mailoutbox):
    notificacion = Notificacion.objects.get()
    hace_mucho = timezone.now() - timedelta(hours=1)
    # Its worker claimed it, then stopped before saying how the send went.
    Notificacion.objects.filter(pk=notificacion.pk).update(
        estado=EstadoNotificacion.ENVIANDO, enviando_desde=hace_mucho, intentos=1
    )
    assert services.notificaciones_sweep() == []
    notificacion.refresh_from_db()
    assert notificacion.estado == EstadoNotificacion.INTERRUMPIDA
    assert enviar(notificacion, con_email) is None and mailoutbox == []
    # Staff decide to send it again.
    assert services.notificacion_retry(id_notificacion=notificacion.pk)
    assert enviar(notificacion, con_email) == EstadoNotificacion.ENVIADA and len(mailoutbox) == 1


def test_the_sweep_hands_the_due_messages_again(as_role, con_email, cita):
    notificacion = Notificacion.objects.get()
    assert services.notificaciones_sweep() == [notificacion.pk]
    Notificacion.objects.update(proximo_intento=timezone.now() + timedelta(minutes=5))
    assert services.notificaciones_sweep() == []


def test_a_reminder_for_each_active_cita_within_the_window_and_none_for_a_cancelled_one(
    as_role, con_email, cita_body, settings, mailoutbox
):
    settings.RECORDATORIO_HORAS = 24
    admin = as_role("admin")
    manana = book(admin, cita_body, fecha=en(days=1, hour=10)).json()
    cancelada = book(admin, cita_body, fecha=en(days=1, hour=12)).json()
    lejos = book(admin, cita_body, fecha=en(days=5)).json()
    admin.put(f"/citas/{cancelada['id_cita']}", {"estado": "CANCELADA"}, format="json")
    ahora = Cita.objects.get(pk=manana["id_cita"]).fecha - timedelta(hours=23)
    assert services.recordatorios_create(ahora=ahora) == 1
    assert services.recordatorios_create(ahora=ahora) == 0  # one per cita, however often asked
    (recordatorio,) = Notificacion.objects.filter(tipo=TipoNotificacion.RECORDATORIO)
    assert recordatorio.cita_id == manana["id_cita"]
    assert not Notificacion.objects.filter(cita_id__in=[cancelada["id_cita"], lejos["id_cita"]]).exclude(
        tipo__in=[TipoNotificacion.RESERVA, TipoNotificacion.CANCELACION]
    )
    assert enviar(recordatorio, con_email) == EstadoNotificacion.ENVIADA
    assert mailoutbox[-1].subject.startswith("Recordatorio: su cita del ")


def test_a_reminder_whose_cita_was_cancelled_meanwhile_is_not_sent(as_role, con_email, cita, mailoutbox):
    services.recordatorios_create(ahora=Cita.objects.get().fecha - timedelta(hours=1))
    Cita.objects.update(estado=EstadoCita.CANCELADA)
    recordatorio = Notificacion.objects.get(tipo=TipoNotificacion.RECORDATORIO)
    assert enviar(recordatorio, con_email) == EstadoNotificacion.DESCARTADA
    assert mailoutbox == []


def test_staff_read_a_citas_messages(as_role, con_email, cita):
    enviar(Notificacion.objects.get(), con_email)
    body = as_role("secretaria").get(f"/citas/{cita['id_cita']}/notificaciones").json()
    assert body["count"] == 1
    (mensaje,) = body["results"]
    assert (mensaje["tipo"], mensaje["estado"], mensaje["destinatario"], mensaje["intentos"]) == (
        "RESERVA",
        "ENVIADA",
        "ana@example.org",
        1,
    )
    assert as_role("admin").get("/citas/999999/notificaciones").status_code == 404
    assert as_role("paciente").get(f"/citas/{cita['id_cita']}/notificaciones").status_code == 403
