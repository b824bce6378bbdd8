"""A cita's history (each write with who, the request id, each field before and after) and the sync feeds."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.appointments.models import Cita
from apps.appointments.tests.conftest import book

pytestmark = pytest.mark.django_db


def test_booked_changed_cancelled_and_deleted_each_step_is_in_the_history_in_order(
    as_role, gestion_fake, cita_body
):
    paciente, secretaria, admin = (
        as_role("paciente", user_id=7),
        as_role("secretaria", user_id=8),
        as_role("admin", user_id=9),
    )
    body = {k: v for k, v in cita_body.items() if k != "id_paciente"}
    first = paciente.post("/citas", body, format="json", HTTP_X_REQUEST_ID="req-reserva").json()
    later = (timezone.localtime(timezone.now()) + timedelta(days=3)).replace(
        hour=11, minute=0, second=0, microsecond=0
    )
    changed = secretaria.put(
        f"/citas/{first['id_cita']}",
        {"fecha": later.isoformat()},
        format="json",
        HTTP_X_REQUEST_ID="req-cambio",
    ).json()["cita"]
    secretaria.put(
        f"/citas/{changed['id_cita']}",
        {"estado": "CANCELADA", "motivo_cancelacion": "Viaje"},
        format="json",
        HTTP_X_REQUEST_ID="req-cancela",
    )
    assert admin.delete(f"/citas/{changed['id_cita']}", HTTP_X_REQUEST_ID="req-borra").status_code == 204

    old = admin.get(f"/citas/{first['id_cita']}/historial").json()
    assert [(e["accion"], e["id_user"], e["rol"], e["request_id"]) for e in old["results"]] == [
        ("creada", 7, "paciente", "req-reserva"),
        ("cambiada", 8, "secretaria", "req-cambio"),
    ]
    assert old["results"][0]["cambios"]["estado"] == [None, "PROGRAMADA"]
    assert old["results"][1]["cambios"]["estado"] == ["PROGRAMADA", "CANCELADA"]

    new = admin.get(f"/citas/{changed['id_cita']}/historial").json()  # deleted: an admin still reads it
    assert [(e["accion"], e["rol"], e["request_id"]) for e in new["results"]] == [
        ("creada", "secretaria", "req-cambio"),
        ("cancelada", "secretaria", "req-cancela"),
        ("eliminada", "admin", "req-borra"),
    ]
    assert new["results"][1]["cambios"]["motivo_cancelacion"] == ["", "Viaje"]
    assert new["results"][0]["cambios"]["id_cita_anterior"] == [None, first["id_cita"]]
    stamps = [e["fecha"] for e in old["results"] + new["results"]]
    assert stamps == sorted(stamps)


def test_a_history_is_scoped_like_its_cita(as_role, gestion_fake, cita_body):
    cita = book(as_role("admin"), cita_body).json()
    assert as_role("paciente").get(f"/citas/{cita['id_cita']}/historial").status_code == 200
    assert as_role("paciente", id_paciente=13).get(f"/citas/{cita['id_cita']}/historial").status_code == 404
    assert as_role("medico", id_doctor=4).get(f"/citas/{cita['id_cita']}/historial").status_code == 404
    assert as_role("admin").get("/citas/999999/historial").status_code == 404


def test_a_state_change_is_in_the_history(as_role, gestion_fake, cita_body):
    cita = book(as_role("admin"), cita_body).json()
    as_role("paciente").post(f"/citas/{cita['id_cita']}/confirmar")
    entries = as_role("admin").get(f"/citas/{cita['id_cita']}/historial").json()["results"]
    assert entries[-1]["accion"] == "confirmada"
    assert entries[-1]["cambios"] == {"estado": ["PROGRAMADA", "CONFIRMADA"]}


def test_deleted_citas_are_listed_for_admin_from_an_instant(as_role, gestion_fake, cita_body, settings):
    settings.SYNC_MARGEN_SEGUNDOS = 0
    admin = as_role("admin")
    cita = book(admin, cita_body).json()
    before = timezone.now()
    admin.delete(f"/citas/{cita['id_cita']}")
    listed = admin.get("/citas/eliminadas", {"desde": before.isoformat()}).json()
    assert [e["id_cita"] for e in listed["results"]] == [cita["id_cita"]]
    assert admin.get("/citas/eliminadas", {"desde": timezone.now().isoformat()}).json()["count"] == 0
    assert as_role("secretaria").get("/citas/eliminadas").status_code == 403


def test_changed_since_lists_what_changed_in_order_and_holds_back_the_newest(
    as_role, gestion_fake, cita_body, settings
):
    admin = as_role("admin")
    start = timezone.now()
    first = book(admin, cita_body).json()
    second = book(admin, cita_body, id_doctor=4, id_paciente=13).json()
    settings.SYNC_MARGEN_SEGUNDOS = 60
    assert (
        admin.get("/citas", {"actualizada_desde": start.isoformat()}).json()["count"] == 0
    )  # not settled yet
    settings.SYNC_MARGEN_SEGUNDOS = 0
    admin.put(f"/citas/{first['id_cita']}", {"estado": "CANCELADA"}, format="json")
    listed = admin.get("/citas", {"actualizada_desde": start.isoformat()}).json()["results"]
    assert [c["id_cita"] for c in listed] == [second["id_cita"], first["id_cita"]]  # by the change, then id
    last = listed[-1]["actualizada"]
    again = admin.get("/citas", {"actualizada_desde": last}).json()["results"]
    assert [c["id_cita"] for c in again] == [first["id_cita"]]  # at or after: the last one again, no other
    assert admin.get("/citas", {"actualizada_desde": "ayer"}).status_code == 400


def test_the_history_manager_class_is_built_once():
    assert type(Cita.history) is type(Cita.history)
