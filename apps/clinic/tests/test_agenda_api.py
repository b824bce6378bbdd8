"""Horarios and ausencias over gestion's API: shapes, the no-overlap rule, role scopes and filters."""

import pytest
from django.db import IntegrityError, connection, transaction

from apps.accounts.models import User
from apps.clinic.models import Ausencia, Doctor, Horario
from apps.clinic.tests.conftest import ROLES
from apps.clinic.tests.factories import AusenciaFactory, CentroFactory, DoctorFactory, HorarioFactory

pytestmark = pytest.mark.django_db


def rango(doctor, centro, dia=1, inicio="09:00", fin="14:00", **more):
    return {
        "id_doctor": doctor.pk,
        "id_centro": centro.pk,
        "dia_semana": dia,
        "hora_inicio": inicio,
        "hora_fin": fin,
        **more,
    }


def post(client, path, body):
    return client.post(path, body, format="json")


def test_admin_creates_a_horario_in_wall_time(as_role):
    doctor, centro = DoctorFactory(), CentroFactory()
    response = post(as_role("admin"), "/admin/horarios", rango(doctor, centro, fin="24:00"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {
        "id_horario": body["id_horario"],
        **rango(doctor, centro, fin="24:00"),
        "vigente_desde": None,
        "vigente_hasta": None,
    }
    stored = Horario.objects.get(pk=body["id_horario"])
    assert (stored.hora_inicio, stored.hora_fin) == (9 * 60, 24 * 60)


@pytest.mark.parametrize(
    ("changes", "attr"),
    [
        ({"hora_inicio": "9:00"}, "hora_inicio"),
        ({"hora_inicio": "09:60"}, "hora_inicio"),
        ({"hora_fin": "24:01"}, "hora_fin"),
        ({"hora_fin": "25:00"}, "hora_fin"),
        ({"hora_inicio": "14:00", "hora_fin": "09:00"}, "hora_fin"),
        ({"hora_inicio": "10:00", "hora_fin": "10:00"}, "hora_fin"),
        ({"dia_semana": 0}, "dia_semana"),
        ({"dia_semana": 8}, "dia_semana"),
        ({"vigente_desde": "2031-02-01", "vigente_hasta": "2031-01-31"}, "vigente_hasta"),
        ({"id_centro": 999}, "id_centro"),
    ],
)
def test_a_malformed_horario_is_400_naming_the_field(as_role, changes, attr):
    doctor, centro = DoctorFactory(), CentroFactory()
    response = post(as_role("admin"), "/admin/horarios", {**rango(doctor, centro), **changes})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr
    assert not Horario.objects.exists()


def test_split_shifts_and_another_centro_on_another_day_are_fine(as_role):
    doctor, centro, otro = DoctorFactory(), CentroFactory(), CentroFactory()
    body = [
        rango(doctor, centro, 1, "09:00", "14:00"),
        rango(doctor, centro, 1, "16:00", "20:00"),
        rango(doctor, otro, 2, "09:00", "14:00"),
        rango(doctor, otro, 1, "14:00", "16:00"),  # touching is not overlapping: ranges are half-open
    ]
    response = post(as_role("admin"), "/admin/horarios", body)
    assert response.status_code == 201, response.json()
    assert Horario.objects.filter(doctor=doctor).count() == 4


@pytest.mark.parametrize("same_centro", [True, False], ids=["same-centro", "other-centro"])
def test_an_overlapping_range_of_the_same_doctor_is_409(as_role, same_centro):
    existing = HorarioFactory(dia_semana=3, hora_inicio=9 * 60, hora_fin=14 * 60)
    centro = existing.centro if same_centro else CentroFactory()
    response = post(as_role("admin"), "/admin/horarios", rango(existing.doctor, centro, 3, "13:30", "15:00"))
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "horario_solapado"
    assert Horario.objects.count() == 1


def test_ranges_that_are_never_in_force_together_may_overlap(as_role):
    existing = HorarioFactory(vigente_hasta="2031-06-30")
    later = rango(existing.doctor, existing.centro, vigente_desde="2031-07-01")
    assert post(as_role("admin"), "/admin/horarios", later).status_code == 201
    both = rango(existing.doctor, existing.centro, vigente_desde="2031-06-30", inicio="10:00")
    assert post(as_role("admin"), "/admin/horarios", both).status_code == 409


def test_another_doctor_may_work_at_the_same_time(as_role):
    existing = HorarioFactory()
    assert (
        post(as_role("admin"), "/admin/horarios", rango(DoctorFactory(), existing.centro)).status_code == 201
    )


def test_a_batch_whose_items_overlap_each_other_writes_nothing_and_names_the_item(as_role):
    doctor, centro = DoctorFactory(), CentroFactory()
    body = [rango(doctor, centro), rango(doctor, centro, inicio="12:00", fin="15:00")]
    response = post(as_role("admin"), "/admin/horarios", body)
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["1.hora_inicio"]
    assert response.json()["errors"][0]["code"] == "horario_solapado"
    assert not Horario.objects.exists()


def test_a_change_into_an_overlap_is_409_and_changes_nothing(as_role):
    first = HorarioFactory(hora_inicio=9 * 60, hora_fin=12 * 60)
    second = HorarioFactory(doctor=first.doctor, centro=first.centro, hora_inicio=12 * 60, hora_fin=14 * 60)
    client = as_role("admin")
    response = client.patch(f"/admin/horarios/{second.pk}", {"hora_inicio": "11:00"}, format="json")
    assert response.status_code == 409
    second.refresh_from_db()
    assert second.hora_inicio == 12 * 60
    moved = client.patch(f"/admin/horarios/{second.pk}", {"hora_fin": "15:00"}, format="json")
    assert moved.status_code == 200
    assert moved.json()["hora_fin"] == "15:00"


def test_admin_deletes_a_horario(as_role):
    horario = HorarioFactory()
    assert as_role("admin").delete(f"/admin/horarios/{horario.pk}").status_code == 204
    assert not Horario.objects.exists()


@pytest.mark.parametrize("rol", [r for r in ROLES if r != "admin"])
def test_only_admin_writes_the_agenda(as_role, rol):
    horario, ausencia = HorarioFactory(), AusenciaFactory()
    client = as_role(rol)
    assert post(client, "/admin/horarios", rango(DoctorFactory(), CentroFactory())).status_code == 403
    assert client.patch(
        f"/admin/horarios/{horario.pk}", {"hora_fin": "15:00"}, format="json"
    ).status_code in {
        403,
        404,
    }
    assert client.delete(f"/admin/ausencias/{ausencia.pk}").status_code in {403, 404}
    assert Horario.objects.count() == 1
    assert Ausencia.objects.count() == 1
    horario.refresh_from_db()
    assert horario.hora_fin == 14 * 60


@pytest.mark.parametrize(
    ("rol", "status"),
    [("admin", 200), ("secretaria", 200), ("servicio", 200), ("paciente", 403), (None, 401)],
)
def test_who_reads_the_agenda(as_role, rol, status):
    HorarioFactory(), AusenciaFactory()
    client = as_role(rol)
    for path in ("/admin/horarios", "/admin/ausencias"):
        response = client.get(path)
        assert response.status_code == status
        if status == 200:
            assert response.json()["count"] == 1


def test_a_doctor_reads_its_own_horario_only(client_for):
    own = HorarioFactory()
    other = HorarioFactory()
    client = client_for(own.doctor.user)
    assert [h["id_horario"] for h in client.get("/admin/horarios").json()["results"]] == [own.pk]
    assert client.get(f"/admin/horarios/{other.pk}").status_code == 404


def test_a_doctor_reads_its_own_ausencias_and_its_centros(client_for):
    own = HorarioFactory()
    mine = AusenciaFactory(doctor=own.doctor)
    holiday = AusenciaFactory(doctor=None, centro=own.centro)
    AusenciaFactory()  # another doctor's
    AusenciaFactory(doctor=None, centro=CentroFactory())  # a centro it does not work at
    listed = client_for(own.doctor.user).get("/admin/ausencias").json()["results"]
    assert sorted(a["id_ausencia"] for a in listed) == sorted([mine.pk, holiday.pk])


def test_horarios_filter_by_doctor_centro_and_weekday(as_role):
    lunes = HorarioFactory(dia_semana=1)
    martes = HorarioFactory(doctor=lunes.doctor, dia_semana=2)
    otro = HorarioFactory(centro=lunes.centro, dia_semana=2)
    client = as_role("secretaria")

    def ids(query):
        return sorted(h["id_horario"] for h in client.get(f"/admin/horarios?{query}").json()["results"])

    assert ids(f"id_doctor={lunes.doctor_id}") == sorted([lunes.pk, martes.pk])
    assert ids(f"id_centro={lunes.centro_id}") == sorted([lunes.pk, otro.pk])
    assert ids("dia_semana=2") == sorted([martes.pk, otro.pk])


def test_an_ausencia_is_a_doctors_or_a_centros(as_role):
    doctor, centro = DoctorFactory(), CentroFactory()
    client = as_role("admin")
    times = {"inicio": "2031-01-06T00:00:00", "fin": "2031-01-07T00:00:00", "motivo": "Reyes"}
    for both_or_none in ({"id_doctor": doctor.pk, "id_centro": centro.pk}, {}):
        response = post(client, "/admin/ausencias", {**times, **both_or_none})
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == "id_doctor"
    response = post(client, "/admin/ausencias", {**times, "id_centro": centro.pk})
    assert response.status_code == 201
    assert response.json()["inicio"] == "2031-01-06T00:00:00+01:00"
    assert response.json()["id_doctor"] is None
    backwards = post(client, "/admin/ausencias", {**times, "id_doctor": doctor.pk, "fin": times["inicio"]})
    assert backwards.status_code == 400
    assert backwards.json()["errors"][0]["attr"] == "fin"
    assert Ausencia.objects.count() == 1


def test_ausencias_filter_by_the_time_they_overlap(as_role):
    early = AusenciaFactory(inicio="2031-01-01T00:00:00Z", fin="2031-01-02T00:00:00Z")
    late = AusenciaFactory(inicio="2031-01-10T00:00:00Z", fin="2031-01-12T00:00:00Z")
    client = as_role("admin")

    def ids(query):
        return [a["id_ausencia"] for a in client.get(f"/admin/ausencias?{query}").json()["results"]]

    assert ids("desde=2031-01-05T00:00:00Z") == [late.pk]
    assert ids("hasta=2031-01-05T00:00:00Z") == [early.pk]
    assert ids("desde=2031-01-11T00:00:00Z&hasta=2031-01-11T01:00:00Z") == [late.pk]
    assert ids(f"id_doctor={early.doctor_id}") == [early.pk]


DOCTOR = {
    "nombre": "Dra. Ana Ruiz",
    "especialidad": "Ortodoncia",
    "username": "ana.ruiz",
    "password": "clave-segura-2026",
}


def test_a_doctor_is_created_with_its_horarios_in_one_go(as_role):
    centro, otro = CentroFactory(), CentroFactory()
    horarios = [
        {"id_centro": centro.pk, "dia_semana": dia, "hora_inicio": "09:00", "hora_fin": "14:00"}
        for dia in range(1, 6)
    ] + [{"id_centro": otro.pk, "dia_semana": 2, "hora_inicio": "16:00", "hora_fin": "20:00"}]
    response = post(as_role("admin"), "/admin/doctores", {**DOCTOR, "horarios": horarios})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["horarios"]) == 6
    assert {h["id_doctor"] for h in body["horarios"]} == {body["id_doctor"]}
    assert Horario.objects.filter(doctor=body["id_doctor"]).count() == 6


def test_a_doctor_whose_horarios_overlap_is_not_created_at_all(as_role):
    centro, otro = CentroFactory(), CentroFactory()
    horarios = [
        {"id_centro": centro.pk, "dia_semana": 2, "hora_inicio": "09:00", "hora_fin": "17:00"},
        {"id_centro": otro.pk, "dia_semana": 2, "hora_inicio": "16:00", "hora_fin": "20:00"},
    ]
    response = post(as_role("admin"), "/admin/doctores", {**DOCTOR, "horarios": horarios})
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "horario_solapado"
    assert not Doctor.objects.exists()
    assert not User.objects.filter(username="ana.ruiz").exists()
    assert not Horario.objects.exists()


def test_the_database_refuses_overlapping_ranges_whatever_the_code_does():
    existing = HorarioFactory(dia_semana=4)
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            HorarioFactory(doctor=existing.doctor, dia_semana=4, hora_inicio=13 * 60, hora_fin=15 * 60)
        HorarioFactory(doctor=existing.doctor, dia_semana=5)  # another day
        HorarioFactory(doctor=existing.doctor, dia_semana=4, hora_inicio=14 * 60, hora_fin=15 * 60)
        assert Horario.objects.count() == 3
    else:
        # SQLite: writes are serialized, so the service's check and its insert cannot interleave.
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_the_very_same_range_again_is_a_duplicate_not_an_overlap(as_role):
    existing = HorarioFactory()
    response = post(as_role("admin"), "/admin/horarios", rango(existing.doctor, existing.centro))
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "horario_duplicado"
    assert Horario.objects.count() == 1
