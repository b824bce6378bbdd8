import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from apps.appointments.models import Cita
from apps.appointments.tests.conftest import (
    CENTRO,
    DOCTOR,
    OTRO_CENTRO,
    OTRO_DOCTOR,
    OTRO_PACIENTE,
    PACIENTE,
    ROLES,
    book,
    en,
)

pytestmark = pytest.mark.django_db


def test_admin_books_for_a_patient(as_role, gestion_fake, cita_body):
    response = book(as_role("admin", user_id=77), cita_body)
    assert response.status_code == 201
    body = response.json()
    assert body["estado"] == "PROGRAMADA"
    assert body["id_user_registrado"] == 77
    assert body["duracion_minutos"] == 30
    assert body["id_cita_anterior"] is None
    assert body["fecha"].endswith(("+01:00", "+02:00"))


def test_naive_fecha_is_read_in_the_clinics_time_zone_and_stored_in_utc(as_role, gestion_fake, cita_body):
    body = book(as_role("admin"), cita_body, fecha="2031-07-01T10:00:00").json()
    assert body["fecha"] == "2031-07-01T10:00:00+02:00"
    stored = Cita.objects.get(pk=body["id_cita"]).fecha
    assert stored == datetime(2031, 7, 1, 8, 0, tzinfo=ZoneInfo("UTC"))


def test_a_patient_books_for_itself_without_naming_itself(as_role, gestion_fake, cita_body):
    body = {k: v for k, v in cita_body.items() if k != "id_paciente"}
    response = book(as_role("paciente"), body)
    assert response.status_code == 201
    assert response.json()["id_paciente"] == PACIENTE


def test_a_patient_account_without_a_patient_record_cannot_book(as_role, gestion_fake, cita_body):
    response = book(as_role("paciente", id_paciente=None), cita_body)
    assert response.status_code == 403
    assert not Cita.objects.exists()


def test_a_patient_cannot_book_for_another_patient(as_role, gestion_fake, cita_body):
    response = book(as_role("paciente"), cita_body, id_paciente=OTRO_PACIENTE)
    assert response.status_code == 403
    assert not Cita.objects.exists()


@pytest.mark.parametrize(("rol", "status"), [(None, 401), ("medico", 403), ("servicio", 403)])
def test_only_patients_secretaria_and_admin_book(as_role, gestion_fake, cita_body, rol, status):
    assert book(as_role(rol), cita_body).status_code == status
    assert not Cita.objects.exists()


def test_admin_must_name_the_patient(as_role, gestion_fake, cita_body):
    body = {k: v for k, v in cita_body.items() if k != "id_paciente"}
    response = book(as_role("admin"), body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "id_paciente"


@pytest.mark.parametrize(
    ("changes", "attr", "code"),
    [
        ({"id_doctor": 999}, "id_doctor", "doctor_no_existe"),
        ({"id_centro": 999}, "id_centro", "centro_no_existe"),
        ({"id_paciente": 999}, "id_paciente", "paciente_no_existe"),
        ({"id_paciente": 14}, "id_paciente", "paciente_inactivo"),
        ({"fecha": "2020-01-01T10:00:00"}, "fecha", "fecha_pasada"),
        ({"duracion_minutos": 4}, "duracion_minutos", "min_value"),
        ({"duracion_minutos": 481}, "duracion_minutos", "max_value"),
        ({"fecha": "mañana"}, "fecha", "invalid"),
        ({"fecha": "9999-12-31T22:00:00Z", "duracion_minutos": 480}, "fecha", "overflow"),
        ({"fecha": "0001-01-01T00:00:00+05:00"}, "fecha", "overflow"),
        # In Madrid, 02:30 is skipped on 30 March 2031 and happens twice on 26 October 2031.
        ({"fecha": "2031-03-30T02:30:00"}, "fecha", "hora_ambigua"),
        ({"fecha": "2031-10-26T02:30:00"}, "fecha", "hora_ambigua"),
    ],
)
def test_invalid_bookings_are_400_naming_the_field(as_role, gestion_fake, cita_body, changes, attr, code):
    response = book(as_role("admin"), cita_body, **changes)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == (attr, code)
    assert not Cita.objects.exists()


def test_double_booking_is_409_in_spanish(as_role, gestion_fake, cita_body):
    admin = as_role("admin")
    book(admin, cita_body)
    response = book(
        admin, cita_body, fecha=cita_body["fecha"].replace(":00:00", ":15:00"), id_paciente=OTRO_PACIENTE
    )
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["code"] == "doble_reserva"
    assert error["detail"] == "El doctor ya tiene una cita a esa hora."
    assert Cita.objects.count() == 1


def test_gestion_down_is_503_json_and_writes_nothing(as_role, gestion_fake, cita_body):
    gestion_fake.disponible = False
    response = book(as_role("admin"), cita_body)
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "servicio_no_disponible"
    assert not Cita.objects.exists()


def test_a_database_busy_past_its_timeout_is_503_json(as_role, gestion_fake, cita_body, monkeypatch):
    from django.db import OperationalError

    from apps.appointments import services

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")  # what SQLite says when its busy timeout runs out

    monkeypatch.setattr(services, "_insertar", busy)
    response = book(as_role("admin"), cita_body)
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "servicio_no_disponible"


def test_each_role_sees_its_scope(as_role, gestion_fake, cita_body):
    admin = as_role("admin")
    mine = book(admin, cita_body).json()
    book(admin, cita_body, id_doctor=OTRO_DOCTOR, id_paciente=OTRO_PACIENTE)
    ids = {
        rol: [c["id_cita"] for c in as_role(rol).get("/citas").json()["results"]]
        for rol in ["admin", "secretaria", "medico", "paciente"]
    }
    assert len(ids["admin"]) == len(ids["secretaria"]) == 2
    assert ids["medico"] == [mine["id_cita"]]
    assert ids["paciente"] == [mine["id_cita"]]


@pytest.mark.parametrize(("rol", "status"), [(None, 401), ("servicio", 403)])
def test_others_cannot_list(as_role, rol, status):
    assert as_role(rol).get("/citas").status_code == status


def test_patient_cannot_read_another_patients_cita(as_role, cita):
    other = as_role("paciente", id_paciente=OTRO_PACIENTE)
    assert other.get(f"/citas/{cita['id_cita']}").status_code == 404
    assert as_role("paciente").get(f"/citas/{cita['id_cita']}").status_code == 200


def test_doctor_cannot_read_another_doctors_cita(as_role, cita):
    assert as_role("medico", id_doctor=OTRO_DOCTOR).get(f"/citas/{cita['id_cita']}").status_code == 404


def test_patient_cannot_cancel_or_change_another_patients_cita(as_role, gestion_fake, cita):
    other = as_role("paciente", id_paciente=OTRO_PACIENTE)
    url = f"/citas/{cita['id_cita']}"
    assert other.put(url, {"estado": "CANCELADA"}, format="json").status_code == 404
    assert other.put(url, {"fecha": en(days=3)}, format="json").status_code == 404
    assert Cita.objects.get(pk=cita["id_cita"]).estado == "PROGRAMADA"


def test_list_is_ordered_by_fecha_and_paginated(as_role, gestion_fake, cita_body):
    admin = as_role("admin")
    for days in (5, 3, 4):
        book(admin, cita_body, fecha=en(days=days))
    body = admin.get("/citas?page_size=2").json()
    assert body["count"] == 3 and body["next"]
    fechas = [c["fecha"] for c in body["results"]]
    assert fechas == sorted(fechas)


@pytest.mark.parametrize("rol", ["admin", "secretaria"])
@pytest.mark.parametrize(
    ("query", "which"),
    [
        (f"id_doctor={DOCTOR}", "first"),
        (f"id_doctor={OTRO_DOCTOR}", "second"),
        (f"id_paciente={PACIENTE}", "first"),
        (f"id_paciente={OTRO_PACIENTE}", "second"),
        (f"id_centro={CENTRO}", "first"),
        (f"id_centro={OTRO_CENTRO}", "second"),
        ("estado=PROGRAMADA", "first"),
        ("estado=CANCELADA", "second"),
    ],
)
def test_each_filter_selects_exactly_its_citas(as_role, gestion_fake, cita_body, rol, query, which):
    admin = as_role("admin")
    first = book(admin, cita_body).json()
    second = book(
        admin, cita_body, id_doctor=OTRO_DOCTOR, id_paciente=OTRO_PACIENTE, id_centro=OTRO_CENTRO
    ).json()
    admin.put(f"/citas/{second['id_cita']}", {"estado": "CANCELADA"}, format="json")
    found = [c["id_cita"] for c in as_role(rol).get(f"/citas?{query}").json()["results"]]
    assert found == [{"first": first, "second": second}[which]["id_cita"]]


@pytest.mark.parametrize("rol", ["admin", "secretaria"])
def test_filter_by_local_day_and_range(as_role, gestion_fake, cita_body, rol):
    admin = as_role("admin")
    book(admin, cita_body, fecha="2031-03-10T23:30:00")  # still the 10th in Madrid, the 10th in UTC too
    book(admin, cita_body, fecha="2031-03-11T00:30:00")  # the 11th in Madrid, the 10th in UTC
    client = as_role(rol)
    assert client.get("/citas?fecha=2031-03-10").json()["count"] == 1
    assert client.get("/citas?fecha=2031-03-11").json()["count"] == 1
    window = "fecha_desde=2031-03-10T23:00:00%2B01:00&fecha_hasta=2031-03-11T00:00:00%2B01:00"
    assert client.get(f"/citas?{window}").json()["count"] == 1


@pytest.mark.parametrize(("day", "hours"), [("2031-03-30", 23), ("2031-10-26", 25)])
def test_a_local_day_spans_23_or_25_hours_on_dst_changes(as_role, gestion_fake, cita_body, day, hours):
    admin = as_role("admin")
    madrid = ZoneInfo("Europe/Madrid")
    start = datetime.fromisoformat(f"{day}T00:00:00").replace(tzinfo=madrid)
    # One cita at the first minute of each UTC hour that the local day spans, plus one just outside.
    instant = start.astimezone(ZoneInfo("UTC"))
    for _ in range(hours + 1):
        response = book(admin, cita_body, fecha=instant.isoformat(), duracion_minutos=5)
        assert response.status_code == 201, response.json()
        instant += timedelta(hours=1)
    assert admin.get(f"/citas?fecha={day}").json()["count"] == hours


@pytest.mark.parametrize(
    ("query", "attr"),
    [
        ("fecha=yesterday", "fecha"),
        ("fecha=9999-12-31", "fecha"),
        ("fecha_desde=0001-01-01T00:00:00%2B05:00", "fecha_desde"),
        ("fecha_hasta=9999-12-31T23:59:59-05:00", "fecha_hasta"),
    ],
)
def test_bad_filter_is_400(as_role, query, attr):
    response = as_role("admin").get(f"/citas?{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr


def test_cancel_answers_a_message_and_the_cita(as_role, gestion_fake, cita):
    response = as_role("paciente").put(
        f"/citas/{cita['id_cita']}", {"estado": "CANCELADA", "motivo_cancelacion": "Viaje"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["mensaje"] == "La cita ha sido cancelada."
    assert (body["cita"]["estado"], body["cita"]["motivo_cancelacion"]) == ("CANCELADA", "Viaje")


def test_cancelling_a_cancelled_cita_is_409(as_role, gestion_fake, cita):
    secretaria = as_role("secretaria")
    url = f"/citas/{cita['id_cita']}"
    secretaria.put(url, {"estado": "CANCELADA"}, format="json")
    response = secretaria.put(url, {"estado": "CANCELADA"}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "cita_ya_cancelada"


def test_medico_cannot_cancel(as_role, gestion_fake, cita):
    assert (
        as_role("medico").put(f"/citas/{cita['id_cita']}", {"estado": "CANCELADA"}, format="json").status_code
        == 403
    )


def test_change_answers_both_citas(as_role, gestion_fake, cita):
    response = as_role("paciente").put(f"/citas/{cita['id_cita']}", {"fecha": en(days=6)}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["mensaje"] == "La cita ha sido cambiada; la anterior queda cancelada."
    assert body["cita"]["id_cita_anterior"] == cita["id_cita"]
    assert body["cita_anterior"]["estado"] == "CANCELADA"


def test_change_into_a_taken_slot_is_409_and_keeps_the_old_cita(as_role, gestion_fake, cita_body, cita):
    admin = as_role("admin")
    taken = book(admin, cita_body, fecha=en(days=7), id_paciente=OTRO_PACIENTE).json()
    response = admin.put(f"/citas/{cita['id_cita']}", {"fecha": taken["fecha"]}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["detail"].startswith("No se ha podido cambiar la cita: ")
    assert Cita.objects.get(pk=cita["id_cita"]).estado == "PROGRAMADA"


def test_change_15_minutes_later_into_its_own_old_slot_succeeds(as_role, gestion_fake, cita_body, cita):
    later = cita_body["fecha"].replace(":00:00", ":15:00")
    response = as_role("admin").put(f"/citas/{cita['id_cita']}", {"fecha": later}, format="json")
    assert response.status_code == 200


def test_change_failing_a_rule_is_400_saying_it_could_not_change(as_role, gestion_fake, cita):
    response = as_role("admin").put(
        f"/citas/{cita['id_cita']}", {"fecha": en(days=3), "id_doctor": 999}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"].startswith("No se ha podido cambiar la cita: ")
    assert Cita.objects.count() == 1


def test_change_with_a_bad_field_is_400_saying_it_could_not_change(as_role, gestion_fake, cita):
    response = as_role("admin").put(
        f"/citas/{cita['id_cita']}", {"fecha": en(days=3), "duracion_minutos": 1000}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["attr"], error["code"]) == ("duracion_minutos", "max_value")
    assert error["detail"].startswith("No se ha podido cambiar la cita: ")


def test_change_of_a_cancelled_cita_is_409(as_role, gestion_fake, cita):
    admin = as_role("admin")
    admin.put(f"/citas/{cita['id_cita']}", {"estado": "CANCELADA"}, format="json")
    assert admin.put(f"/citas/{cita['id_cita']}", {"fecha": en(days=3)}, format="json").status_code == 409


@pytest.mark.parametrize(
    "body",
    [{}, {"estado": "CANCELADA", "fecha": en(days=3)}, {"estado": "COMPLETADA"}, {"motivo": "sin fecha"}],
)
def test_ambiguous_or_empty_put_is_400(as_role, gestion_fake, cita, body):
    assert as_role("admin").put(f"/citas/{cita['id_cita']}", body, format="json").status_code == 400


def test_admin_deletes(as_role, gestion_fake, cita):
    assert as_role("secretaria").delete(f"/citas/{cita['id_cita']}").status_code == 403
    assert as_role("admin").delete(f"/citas/{cita['id_cita']}").status_code == 204
    assert not Cita.objects.exists()


def test_unknown_cita_is_404(as_role):
    assert as_role("admin").get("/citas/999").status_code == 404


def test_role_matrix_covers_every_role():
    from apps.common.roles import Rol

    assert set(ROLES) == set(Rol.values)


def test_secretaria_books_for_a_patient(as_role, gestion_fake, cita_body):
    response = book(as_role("secretaria", user_id=55), cita_body)
    assert response.status_code == 201, response.json()
    assert (response.json()["id_paciente"], response.json()["id_user_registrado"]) == (PACIENTE, 55)


def test_a_cita_carries_the_names_gestion_gave_at_booking(as_role, gestion_fake, cita_body):
    admin = as_role("admin")
    book(admin, cita_body)
    gestion_fake.add_paciente(PACIENTE, nombre="Renamed Later")  # a later change in gestion
    [cita] = admin.get("/citas").json()["results"]
    assert cita["paciente"] == {"id": PACIENTE, "nombre": "Paciente Prueba"}
    assert cita["doctor"] == {"id": DOCTOR, "nombre": "Dra. Prueba", "especialidad": "Ortodoncia"}
    assert cita["centro"] == {"id": CENTRO, "nombre": "Clínica Prueba"}


def test_search_finds_citas_by_the_patients_doctors_or_centros_name(as_role, gestion_fake, cita_body):
    admin = as_role("admin")
    mine = book(admin, cita_body).json()
    other = book(
        admin, cita_body, id_doctor=OTRO_DOCTOR, id_paciente=OTRO_PACIENTE, id_centro=OTRO_CENTRO
    ).json()
    for term, found in [
        ("prueba", [mine]),
        ("otro paciente", [other]),
        ("dr. otro", [other]),
        ("otra", [other]),
    ]:
        results = admin.get(f"/citas?search={term}").json()["results"]
        assert [c["id_cita"] for c in results] == [c["id_cita"] for c in found], term


@pytest.mark.parametrize(
    ("inactive", "attr", "code"),
    [("doctor", "id_doctor", "doctor_inactivo"), ("centro", "id_centro", "centro_inactivo")],
)
def test_an_inactive_doctor_or_centro_takes_no_new_citas(
    as_role, gestion_fake, cita_body, inactive, attr, code
):
    if inactive == "doctor":
        gestion_fake.add_doctor(DOCTOR, activo=False)
    else:
        gestion_fake.add_centro(CENTRO, activo=False, horizonte_dias=3650)
    response = book(as_role("admin"), cita_body)
    assert response.status_code == 400
    assert (response.json()["errors"][0]["attr"], response.json()["errors"][0]["code"]) == (attr, code)
    assert not Cita.objects.exists()
    day = en(days=2)[:10]
    free = as_role("admin").get(f"/citas/disponibilidad?id_centro={CENTRO}&desde={day}&hasta={day}").json()
    assert DOCTOR not in [d["id_doctor"] for d in free["doctores"]]


def _revoked_after_one_request(as_role, gestion_fake, settings, *, user_id: int, verificado: float):
    """A client whose token citas took once, and gestion revoked since; revocations are asked every time."""
    settings.REVOCACIONES_REFRESCO_SEGUNDOS = 0
    settings.JWT_VERIFICADO_SEGUNDOS = verificado
    client = as_role("admin", user_id=user_id)
    assert client.get("/citas").status_code == 200
    time.sleep(1.1)  # the token was issued a second ago at least
    gestion_fake.revocar(user_id)
    return client


def test_a_token_gestion_revoked_is_refused_after_the_next_refresh(as_role, gestion_fake, settings):
    client = _revoked_after_one_request(as_role, gestion_fake, settings, user_id=321, verificado=0)
    response = client.get("/citas")
    assert response.status_code == 401
    assert as_role("admin", user_id=322).get("/citas").status_code == 200


def test_a_token_that_passed_is_taken_without_checks_for_a_few_seconds_only(
    as_role, gestion_fake, settings, monkeypatch
):
    client = _revoked_after_one_request(as_role, gestion_fake, settings, user_id=323, verificado=5)
    assert client.get("/citas").status_code == 200  # taken as it was a moment ago
    later = time.monotonic() + 5
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert client.get("/citas").status_code == 401
