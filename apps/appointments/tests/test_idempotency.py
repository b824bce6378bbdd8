"""Idempotency-Key on POST /citas: a retried booking is answered, not booked twice."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.appointments.models import Cita
from apps.common.models import ClaveIdempotencia

pytestmark = pytest.mark.django_db


def post(client, body, key, **extra):
    return client.post("/citas", body, format="json", HTTP_IDEMPOTENCY_KEY=key, **extra)


def test_a_replayed_post_gets_the_same_answer_and_one_cita_exists(as_role, gestion_fake, cita_body):
    admin = as_role("admin", user_id=5)
    first = post(admin, cita_body, "reserva-1")
    again = post(admin, cita_body, "reserva-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Cita.objects.count() == 1


def test_the_same_key_with_another_body_is_422(as_role, gestion_fake, cita_body):
    admin = as_role("admin", user_id=5)
    post(admin, cita_body, "reserva-1")
    other = post(admin, {**cita_body, "motivo": "Otra cosa"}, "reserva-1")
    assert other.status_code == 422
    assert other.json()["errors"][0]["code"] == "idempotency_key_reutilizada"
    assert Cita.objects.count() == 1


def test_keys_are_each_users_own(as_role, gestion_fake, cita_body):
    assert post(as_role("admin", user_id=5), cita_body, "k").status_code == 201
    response = post(as_role("admin", user_id=6), cita_body, "k")
    assert response.status_code == 409  # a booking of its own: the slot is taken, not a replay
    assert response.json()["errors"][0]["code"] == "doble_reserva"


def test_an_error_answer_is_replayed_too_but_a_server_failure_is_not(as_role, gestion_fake, cita_body):
    admin = as_role("admin", user_id=5)
    refused = post(admin, {**cita_body, "id_doctor": 999}, "mala")
    assert post(admin, {**cita_body, "id_doctor": 999}, "mala").json() == refused.json()
    gestion_fake.disponible = False
    assert post(admin, cita_body, "caida").status_code == 503
    gestion_fake.disponible = True
    assert post(admin, cita_body, "caida").status_code == 201  # the retry ran


def test_a_key_must_be_visible_ascii(as_role, gestion_fake, cita_body):
    response = post(as_role("admin"), cita_body, "clave con espacios")
    assert response.status_code == 400
    assert not Cita.objects.exists()


def test_old_keys_are_purged(as_role, gestion_fake, cita_body, settings):
    post(as_role("admin"), cita_body, "vieja")
    ClaveIdempotencia.objects.update(
        creada=timezone.now() - timezone.timedelta(hours=settings.IDEMPOTENCY_KEY_HORAS + 1)
    )
    call_command("purge_idempotency_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not ClaveIdempotencia.objects.exists()
