import time
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.services import tokens_revoke
from apps.accounts.tests.factories import UserFactory
from apps.clinic.tests.conftest import ROLES
from apps.clinic.tests.factories import (
    AusenciaFactory,
    CentroFactory,
    DoctorFactory,
    HorarioFactory,
    PacienteFactory,
)
from apps.common.roles import Rol

pytestmark = pytest.mark.django_db


def test_service_reads_what_booking_needs_in_one_answer(as_role):
    doctor, centro, paciente = DoctorFactory(), CentroFactory(), PacienteFactory(estado="INACTIVO")
    query = f"id_doctor={doctor.pk}&id_centro={centro.pk}&id_paciente={paciente.pk}"
    response = as_role("servicio").get(f"/interno/referencias?{query}")
    assert response.status_code == 200
    assert response.json() == {
        "doctor": {
            "id_doctor": doctor.pk,
            "nombre": doctor.nombre,
            "especialidad": doctor.especialidad,
            "activo": True,
        },
        "centro": {
            "id_centro": centro.pk,
            "nombre": centro.nombre,
            "antelacion_minima_minutos": 0,
            "horizonte_dias": 365,
            "intervalo_minutos": 15,
            "activo": True,
        },
        "paciente": {
            "id_paciente": paciente.pk,
            "nombre": paciente.nombre,
            "estado": "INACTIVO",
            "documento": None,
            "email": paciente.email,
        },
        "horarios": [],
        "ausencias": [],
    }


def test_missing_records_are_null(as_role):
    response = as_role("servicio").get("/interno/referencias?id_doctor=7&id_centro=8&id_paciente=9")
    assert response.json() == {
        "doctor": None,
        "centro": None,
        "paciente": None,
        "horarios": [],
        "ausencias": [],
    }


def instant(day: int, hour: int) -> str:
    return datetime(2031, 3, day, hour, tzinfo=UTC).isoformat()


def test_booking_gets_the_doctors_horario_at_the_centro_and_the_ausencias_around_the_cita(as_role):
    doctor, centro, otro_centro, paciente = (
        DoctorFactory(),
        CentroFactory(),
        CentroFactory(),
        PacienteFactory(),
    )
    lunes = HorarioFactory(doctor=doctor, centro=centro, dia_semana=1, hora_inicio=9 * 60, hora_fin=24 * 60)
    HorarioFactory(doctor=doctor, centro=otro_centro, dia_semana=2)  # another centro: not asked for
    HorarioFactory(centro=centro)  # another doctor: not asked for
    # 2031-03-03 is a Monday; the cita is asked for 10:00-10:30 UTC.
    de_baja = AusenciaFactory(doctor=doctor, inicio=instant(3, 8), fin=instant(3, 11))
    cerrado = AusenciaFactory(doctor=None, centro=centro, inicio=instant(2, 0), fin=instant(4, 0))
    AusenciaFactory(doctor=doctor, inicio=instant(3, 11), fin=instant(3, 12))  # after the cita
    AusenciaFactory(doctor=None, centro=otro_centro, inicio=instant(3, 0), fin=instant(4, 0))
    query = (
        f"id_doctor={doctor.pk}&id_centro={centro.pk}&id_paciente={paciente.pk}"
        f"&desde={instant(3, 10)}&hasta={instant(3, 10).replace('10:00', '10:30')}"
    )
    body = as_role("servicio").get(f"/interno/referencias?{query.replace('+', '%2B')}").json()
    assert body["horarios"] == [
        {
            "id_doctor": doctor.pk,
            "id_centro": centro.pk,
            "dia_semana": 1,
            "hora_inicio": "09:00",
            "hora_fin": "24:00",
            "vigente_desde": None,
            "vigente_hasta": None,
        }
    ]
    assert lunes.pk
    assert {(a["id_doctor"], a["id_centro"], a["inicio"]) for a in body["ausencias"]} == {
        (doctor.pk, None, de_baja.inicio),
        (None, centro.pk, cerrado.inicio),
    }


def test_several_ranges_and_ausencias_come_once_each_in_order(as_role):
    doctor, centro, paciente = DoctorFactory(), CentroFactory(), PacienteFactory()
    HorarioFactory(doctor=doctor, centro=centro, dia_semana=1, hora_inicio=16 * 60, hora_fin=20 * 60)
    HorarioFactory(doctor=doctor, centro=centro, dia_semana=1, hora_inicio=9 * 60, hora_fin=13 * 60)
    HorarioFactory(doctor=doctor, centro=centro, dia_semana=1, hora_inicio=14 * 60, hora_fin=15 * 60)
    tarde = AusenciaFactory(doctor=doctor, inicio=instant(3, 9), fin=instant(3, 12))
    pronto = AusenciaFactory(doctor=None, centro=centro, inicio=instant(3, 8), fin=instant(3, 11))
    query = (
        f"id_doctor={doctor.pk}&id_centro={centro.pk}&id_paciente={paciente.pk}"
        f"&desde={instant(3, 10)}&hasta={instant(3, 10).replace('10:00', '10:30')}"
    )
    body = as_role("servicio").get(f"/interno/referencias?{query.replace('+', '%2B')}").json()
    assert [(h["dia_semana"], h["hora_inicio"]) for h in body["horarios"]] == [
        (1, "09:00"),
        (1, "14:00"),
        (1, "16:00"),
    ]
    assert [a["inicio"] for a in body["ausencias"]] == [pronto.inicio, tarde.inicio]


@pytest.mark.parametrize(
    ("desde", "hasta", "dias"),
    [
        ("2031-03-03T10:00:00Z", "2031-03-03T10:30:00Z", [1]),  # a Monday morning
        ("2031-03-03T22:30:00Z", "2031-03-03T23:30:00Z", [1, 2]),  # past midnight in Madrid
        ("2031-03-09T10:00:00Z", "2031-03-10T10:00:00Z", [1, 7]),  # Sunday into Monday
        ("2031-03-04T10:00:00Z", "2031-03-12T10:00:00Z", [1, 2, 3, 4, 5, 6, 7]),  # over a week
        ("2031-03-04T10:00:00Z", "2031-03-03T10:00:00Z", [2]),  # backwards: the first day's
        (None, None, [1, 2, 3, 4, 5, 6, 7]),  # no range: the whole horario
    ],
)
def test_the_horario_comes_for_the_local_week_days_of_the_range(as_role, desde, hasta, dias):
    doctor, centro, paciente = DoctorFactory(), CentroFactory(), PacienteFactory()
    for dia in range(1, 8):
        HorarioFactory(doctor=doctor, centro=centro, dia_semana=dia)
    query = f"id_doctor={doctor.pk}&id_centro={centro.pk}&id_paciente={paciente.pk}"
    if desde is not None:
        query += f"&desde={desde}&hasta={hasta}"
    body = as_role("servicio").get(f"/interno/referencias?{query}").json()
    assert [h["dia_semana"] for h in body["horarios"]] == dias


def test_a_range_no_longer_in_force_is_left_out(as_role):
    doctor, centro, paciente = DoctorFactory(), CentroFactory(), PacienteFactory()
    HorarioFactory(doctor=doctor, centro=centro, vigente_hasta="2031-02-28")
    vigente = HorarioFactory(doctor=doctor, centro=centro, dia_semana=2, vigente_desde="2031-03-01")
    query = (
        f"id_doctor={doctor.pk}&id_centro={centro.pk}&id_paciente={paciente.pk}"
        f"&desde=2031-03-04T10:00:00Z&hasta=2031-03-04T10:30:00Z"
    )
    body = as_role("servicio").get(f"/interno/referencias?{query}").json()
    assert [h["dia_semana"] for h in body["horarios"]] == [vigente.dia_semana]


def test_the_agenda_of_a_centro_has_its_doctors_their_ranges_there_and_the_ausencias(as_role):
    centro, otro_centro = CentroFactory(), CentroFactory()
    ana, luis, eva = (
        DoctorFactory(especialidad="Ortodoncia"),
        DoctorFactory(especialidad="Endodoncia"),
        DoctorFactory(),
    )
    HorarioFactory(doctor=ana, centro=centro, dia_semana=1)
    HorarioFactory(doctor=ana, centro=centro, dia_semana=1, hora_inicio=16 * 60, hora_fin=20 * 60)
    HorarioFactory(doctor=luis, centro=centro, dia_semana=3)
    HorarioFactory(doctor=eva, centro=otro_centro, dia_semana=1)  # works elsewhere only
    AusenciaFactory(doctor=luis, inicio=instant(5, 0), fin=instant(6, 0))
    AusenciaFactory(doctor=eva, inicio=instant(5, 0), fin=instant(6, 0))  # not a doctor of the centro
    client = as_role("servicio")
    window = "desde=2031-03-03T00:00:00Z&hasta=2031-03-10T00:00:00Z"
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/interno/agenda?id_centro={centro.pk}&{window}").json()
    assert [d["id_doctor"] for d in body["doctores"]] == [ana.pk, luis.pk]
    assert body["centro"]["id_centro"] == centro.pk
    assert [(h["id_doctor"], h["hora_inicio"]) for h in body["horarios"]] == [
        (ana.pk, "09:00"),
        (ana.pk, "16:00"),
        (luis.pk, "09:00"),
    ]
    assert [a["id_doctor"] for a in body["ausencias"]] == [luis.pk]
    assert len([q for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]) <= 5
    solo = client.get(f"/interno/agenda?id_centro={centro.pk}&{window}&especialidad=endodoncia").json()
    assert [d["id_doctor"] for d in solo["doctores"]] == [luis.pk]


def test_the_agenda_of_a_missing_centro_is_empty(as_role):
    body = as_role("servicio").get(
        "/interno/agenda?id_centro=99&desde=2031-03-03T00:00Z&hasta=2031-03-04T00:00Z"
    )
    assert body.json() == {"centro": None, "doctores": [], "horarios": [], "ausencias": []}


@pytest.mark.parametrize(
    "window",
    ["desde=2031-03-04T00:00Z&hasta=2031-03-03T00:00Z", "desde=2031-03-01T00:00Z&hasta=2031-04-03T00:00Z"],
)
def test_an_agenda_window_backwards_or_over_32_days_is_400(as_role, window):
    response = as_role("servicio").get(f"/interno/agenda?id_centro=1&{window}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "hasta"


def test_non_integer_id_is_400(as_role):
    response = as_role("servicio").get("/interno/referencias?id_doctor=x&id_centro=1&id_paciente=1")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "id_doctor"


@pytest.mark.parametrize(
    ("rol", "status"), [(None, 401), ("secretaria", 403), ("medico", 403), ("paciente", 403)]
)
def test_only_the_service_and_admin_use_the_internal_path(as_role, rol, status):
    client = as_role(rol)
    assert client.get("/interno/referencias?id_doctor=1&id_centro=1&id_paciente=1").status_code == status
    window = "desde=2031-03-03T00:00Z&hasta=2031-03-04T00:00Z"
    assert client.get(f"/interno/agenda?id_centro=1&{window}").status_code == status


def test_role_matrices_cover_every_role():
    assert set(ROLES) == set(Rol.values)


def test_the_service_token_is_checked_again_only_after_a_few_seconds(client_for, settings, monkeypatch):
    settings.JWT_VERIFICADO_SEGUNDOS = 5
    servicio = UserFactory(rol=Rol.SERVICIO)
    client = client_for(servicio)
    url = "/interno/referencias?id_doctor=7&id_centro=8&id_paciente=9"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert len(again) == len(first) - 1  # no revocation read
    time.sleep(1.1)  # the token was issued a second ago at least
    tokens_revoke(id_user=servicio.pk)
    assert client.get(url).status_code == 200
    later = time.monotonic() + 5
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert client.get(url).status_code == 401
