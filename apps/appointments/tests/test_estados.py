"""What can become of a cita: each action's who, from and when, cell by cell, as the contract tables them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.appointments.models import Cita
from apps.appointments.tests.conftest import CENTRO, DOCTOR, OTRO_DOCTOR, PACIENTE, ROLES, book

pytestmark = pytest.mark.django_db

AHORA = datetime(2031, 5, 5, 12, 0, tzinfo=ZoneInfo("Europe/Madrid"))
ESTADOS = ["PROGRAMADA", "CONFIRMADA", "EN_SALA", "COMPLETADA", "NO_ASISTIO", "CANCELADA"]
CUANDO = {
    "en_una_hora": AHORA + timedelta(hours=1),
    "manana": AHORA + timedelta(days=1),
    "hace_diez_minutos": AHORA - timedelta(minutes=10),
    "hace_una_hora": AHORA - timedelta(hours=1),
}
# The contract's table, written out: who, from which states, and when.
CONTRATO = {
    "confirmar": (
        {"paciente", "secretaria", "admin"},
        {"PROGRAMADA"},
        {"en_una_hora", "manana"},
        "CONFIRMADA",
    ),
    "llegada": (
        {"secretaria", "admin"},
        {"PROGRAMADA", "CONFIRMADA"},
        {"en_una_hora", "hace_diez_minutos", "hace_una_hora"},
        "EN_SALA",
    ),
    "completar": ({"medico", "secretaria", "admin"}, {"EN_SALA"}, set(CUANDO), "COMPLETADA"),
    "no-asistio": ({"secretaria", "admin"}, {"PROGRAMADA", "CONFIRMADA"}, {"hace_una_hora"}, "NO_ASISTIO"),
}


@pytest.fixture
def at_noon(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: AHORA)


def cita_en(estado: str, fecha: datetime, id_doctor: int = DOCTOR, id_paciente: int = PACIENTE) -> Cita:
    return Cita.objects.create(
        fecha=fecha,
        id_doctor=id_doctor,
        id_centro=CENTRO,
        id_paciente=id_paciente,
        id_user_registrado=1,
        estado=estado,
    )


@pytest.mark.parametrize("cuando", list(CUANDO))
@pytest.mark.parametrize("estado", ESTADOS)
@pytest.mark.parametrize("rol", ROLES)
@pytest.mark.parametrize("accion", list(CONTRATO))
def test_each_cell_of_the_table(as_role, at_noon, accion, rol, estado, cuando):
    roles, desde, momentos, destino = CONTRATO[accion]
    cita = cita_en(estado, CUANDO[cuando])
    response = as_role(rol).post(f"/citas/{cita.pk}/{accion}")
    cita.refresh_from_db()
    if rol not in roles:
        assert response.status_code == 403
        assert cita.estado == estado
    elif estado in desde and cuando in momentos:
        assert response.status_code == 200, response.json()
        assert response.json()["cita"]["estado"] == destino == cita.estado
        assert response.json()["mensaje"]
    else:
        assert response.status_code == 409
        assert response.json()["errors"][0]["code"] == "transicion_no_permitida"
        assert cita.estado == estado


@pytest.mark.parametrize(
    ("accion", "rol", "estado"), [("confirmar", "paciente", "PROGRAMADA"), ("completar", "medico", "EN_SALA")]
)
def test_a_patient_or_doctor_acts_on_its_own_citas_only(as_role, at_noon, accion, rol, estado):
    someone_elses = cita_en(estado, CUANDO["en_una_hora"], id_doctor=OTRO_DOCTOR, id_paciente=13)
    response = as_role(rol).post(f"/citas/{someone_elses.pk}/{accion}")
    assert response.status_code == 404
    someone_elses.refresh_from_db()
    assert someone_elses.estado == estado


@pytest.mark.parametrize(
    ("estado", "blocks"),
    [("CONFIRMADA", True), ("EN_SALA", True), ("COMPLETADA", False), ("NO_ASISTIO", False)],
)
def test_a_cita_holds_its_time_while_it_is_active_and_not_after(
    as_role, gestion_fake, cita_body, estado, blocks
):
    first = book(as_role("admin"), cita_body).json()
    Cita.objects.filter(pk=first["id_cita"]).update(estado=estado)
    again = book(as_role("admin"), cita_body, id_paciente=13)
    assert again.status_code == (409 if blocks else 201), again.json()


@pytest.mark.parametrize("estado", ["CONFIRMADA", "EN_SALA"])
def test_an_active_cita_can_still_be_cancelled_or_changed(as_role, gestion_fake, cita_body, estado):
    admin = as_role("admin")
    cita = book(admin, cita_body).json()
    Cita.objects.filter(pk=cita["id_cita"]).update(estado=estado)
    fecha = datetime.fromisoformat(cita["fecha"]) + timedelta(hours=1)
    changed = admin.put(f"/citas/{cita['id_cita']}", {"fecha": fecha.isoformat()}, format="json")
    assert changed.status_code == 200, changed.json()
    cancelled = admin.put(
        f"/citas/{changed.json()['cita']['id_cita']}", {"estado": "CANCELADA"}, format="json"
    )
    assert cancelled.status_code == 200


@pytest.mark.parametrize("estado", ["COMPLETADA", "NO_ASISTIO"])
def test_a_finished_cita_can_no_longer_change(as_role, gestion_fake, cita_body, estado):
    admin = as_role("admin")
    cita = book(admin, cita_body).json()
    Cita.objects.filter(pk=cita["id_cita"]).update(estado=estado)
    response = admin.put(f"/citas/{cita['id_cita']}", {"estado": "CANCELADA"}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["detail"].startswith("No se ha podido cambiar la cita")
